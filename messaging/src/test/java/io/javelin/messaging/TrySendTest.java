package io.javelin.messaging;

import io.javelin.transport.aeron.AeronConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MessagingEngine#trySend}: over Aeron IPC (whose sends copy the payload) an eager message goes at once,
 * without a request, and arrives as a posted one would; everywhere else, and whenever a request is needed (to
 * itself, above the eager limit, no credit left, the transport not copying), nothing happens and false says
 * to post it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TrySendTest
{
    private static final int CONTEXT = 3;
    private static final int TAG = 11;
    private static final int CREDITS = 4;

    @Test
    void shouldSendEagerMessagesAtOnceOverAeronIpc()
    {
        // cross-memory attach off: its confined arena could not be closed from the helper thread of rank 1
        try (Job job = new Job(Map.of(Configuration.TRANSPORT_PROP_NAME, "aeron",
            Configuration.EAGER_CREDITS_PROP_NAME, String.valueOf(CREDITS), AeronConfiguration.CMA_PROP_NAME, "off")))
        {
            // the first send to a peer carries the handshake: it goes by request
            job.roundTrip(job.rank0.postSend(CONTEXT, 1, TAG, job.pattern(8, 0)), 8, 0);

            final MemorySegment payload = job.pattern(100, 7);
            assertTrue(job.rank0.trySend(CONTEXT, 1, TAG, payload));
            payload.fill((byte)0); // the payload is the caller's again at once: this must not reach the receiver
            job.receive(100, 7);

            assertFalse(job.rank0.trySend(CONTEXT, 0, TAG, payload), "a send to itself takes a request");
            final MemorySegment large = job.arena.allocate(job.rank0.eagerLimit() + 1);
            assertFalse(job.rank0.trySend(CONTEXT, 1, TAG, large), "a rendezvous send takes a request");

            // credits: the receiver returns none while it does not progress; each try spends one
            int sent = 0;
            while (job.rank0.trySend(CONTEXT, 1, TAG, job.pattern(16, sent)))
            {
                sent++;
                assertTrue(sent <= CREDITS, "sent " + sent + " messages on " + CREDITS + " credits");
            }
            assertTrue(sent > 0, "no credit left after one message");
            for (int i = 0; i < sent; i++)
            {
                job.receive(16, i);
            }
        }
    }

    @Test
    void shouldLeaveSendsOnTheLocalTransportToRequests()
    {
        try (Job job = new Job(Map.of(Configuration.TRANSPORT_PROP_NAME, "local", "javelin.local.fabric",
            "test-" + UUID.randomUUID())))
        {
            job.roundTrip(job.rank0.postSend(CONTEXT, 1, TAG, job.pattern(8, 0)), 8, 0);
            assertFalse(job.rank0.trySend(CONTEXT, 1, TAG, job.pattern(8, 1)),
                "the local transport's send does not copy the payload");
            assertFalse(job.rank1.probe(CONTEXT, 0, TAG), "a refused try sent nothing");
        }
    }

    /**
     * Two ranks of one job, driven by the test thread, and memory for their messages.
     */
    private static final class Job implements AutoCloseable
    {
        final Arena arena = Arena.ofShared();
        final MessagingEngine rank0;
        final MessagingEngine rank1;

        Job(final Map<String, String> settings)
        {
            final MessagingEngine[] pair = LocalEnginePair.start(settings);
            rank0 = pair[0];
            rank1 = pair[1];
        }

        MemorySegment pattern(final int length, final int seed)
        {
            return LocalEnginePair.pattern(arena, length, seed);
        }

        void roundTrip(final SendRequest send, final int length, final int seed)
        {
            while (!send.isComplete())
            {
                rank0.progress();
                rank1.progress();
            }
            assertEquals(CompletionError.NONE, send.error(), send.errorMessage());
            rank0.release(send);
            receive(length, seed);
        }

        /**
         * Receives the next message from rank 0 and checks it is the pattern of that seed.
         */
        void receive(final int length, final int seed)
        {
            final MemorySegment target = arena.allocate(length);
            final ReceiveRequest receive = rank1.postReceive(CONTEXT, 0, TAG, target);
            while (!receive.isComplete())
            {
                rank1.progress();
                rank0.progress();
            }
            assertEquals(CompletionError.NONE, receive.error(), receive.errorMessage());
            assertEquals(length, receive.statusBytes());
            for (int i = 0; i < length; i++)
            {
                assertEquals((byte)(seed + i), target.get(ValueLayout.JAVA_BYTE, i), "byte " + i);
            }
            rank1.release(receive);
        }

        @Override
        public void close()
        {
            try
            {
                rank0.close();
                rank1.close();
            }
            finally
            {
                arena.close();
            }
        }
    }
}
