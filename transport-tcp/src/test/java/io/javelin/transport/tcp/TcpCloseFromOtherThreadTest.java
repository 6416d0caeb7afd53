package io.javelin.transport.tcp;

import io.javelin.transport.Endpoint;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportListener;
import io.javelin.transport.TransportStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code close()} may come from any thread: it waits for the progress thread to leave the transport, then
 * completes what is in flight exactly once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpCloseFromOtherThreadTest
{
    private static final int WINDOW = 64;

    @Test
    void shouldCompleteEverythingOnceWhenClosedFromAnotherThreadDuringTraffic() throws Exception
    {
        final CountingListener senderEvents = new CountingListener();
        final CountingListener receiverEvents = new CountingListener();
        final TcpTransport sender = new TcpTransport(new TransportContext(0, 2, 7, senderEvents, Map.of()));
        final TcpTransport receiver = new TcpTransport(new TransportContext(1, 2, 7, receiverEvents, Map.of()));
        try
        {
            final Endpoint toReceiver = sender.connect(1, receiver.localAddress());
            receiver.connect(0, sender.localAddress());
            final AtomicLong posted = new AtomicLong();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final MemorySegment payload = MemorySegment.ofArray(new byte[4096]);

            final Thread senderThread = new Thread(() ->
            {
                try
                {
                    long cookie = 0;
                    while (true)
                    {
                        if (cookie - senderEvents.completions() < WINDOW)
                        {
                            final int status = toReceiver.send(payload, 16, payload, 16, 4000, cookie);
                            if (TransportStatus.CLOSED == status)
                            {
                                return;
                            }
                            if (TransportStatus.OK == status)
                            {
                                posted.incrementAndGet();
                                cookie++;
                            }
                        }
                        sender.progress();
                    }
                }
                catch (final Throwable ex)
                {
                    failure.set(ex);
                }
            }, "sender-progress");
            final Thread receiverThread = new Thread(() ->
            {
                while (!Thread.currentThread().isInterrupted())
                {
                    receiver.progress();
                }
            }, "receiver-progress");
            senderThread.start();
            receiverThread.start();
            try
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (receiverEvents.messages() < 2000 && System.nanoTime() < deadline)
                {
                    Thread.onSpinWait();
                }

                sender.close();
                senderThread.join(30_000);
            }
            finally
            {
                receiverThread.interrupt();
                receiverThread.join(30_000);
            }

            assertNull(failure.get(), "the progress thread failed");
            assertTrue(receiverEvents.messages() >= 2000, "traffic flowed before close");
            assertEquals(posted.get(), senderEvents.completions(), "every accepted send completed");
            assertEquals(Set.of(), senderEvents.duplicates(), "no cookie completed twice");
        }
        finally
        {
            sender.close();
            receiver.close();
        }
    }

    /** Counts callbacks; they come from the progress thread, or from the closing thread once it has waited. */
    private static final class CountingListener implements TransportListener
    {
        private final Set<Long> seen = new HashSet<>();
        private final Set<Long> duplicates = new HashSet<>();
        private volatile long completions;
        private volatile long messages;

        @Override
        public void onMessage(final Endpoint source, final MemorySegment buffer, final long offset, final int length)
        {
            messages = messages + 1;
        }

        @Override
        public synchronized void onCompletion(final long cookie, final int status)
        {
            if (!seen.add(cookie))
            {
                duplicates.add(cookie);
            }
            completions = completions + 1;
        }

        @Override
        public void onPeerFailure(final Endpoint endpoint, final String reason)
        {
        }

        long completions()
        {
            return completions;
        }

        long messages()
        {
            return messages;
        }

        synchronized Set<Long> duplicates()
        {
            return Set.copyOf(duplicates);
        }
    }
}
