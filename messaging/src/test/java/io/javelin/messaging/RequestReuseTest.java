package io.javelin.messaging;

import io.javelin.messaging.bootstrap.LocalExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Released requests and consumed unexpected messages are reused: a reused object must behave exactly as a
 * new one (fresh id, status and error; no bytes of the previous message).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestReuseTest
{
    private static final int CONTEXT = 3;

    private final Arena arena = Arena.ofShared();
    private MessagingEngine rank0;
    private MessagingEngine rank1;

    @AfterEach
    void tearDown()
    {
        if (null != rank0)
        {
            rank0.close();
        }
        if (null != rank1)
        {
            rank1.close();
        }
        arena.close();
    }

    /**
     * Starts a two-rank job over the local transport; rank 1 wires up on a helper thread, then both engines
     * are driven by the test thread (one thread at a time, not necessarily the creating one).
     */
    private void startJob()
    {
        final MessagingEngine[] pair = LocalEnginePair.start();
        rank0 = pair[0];
        rank1 = pair[1];
    }

    private void startAlone()
    {
        rank0 = MessagingEngine.start(new LocalExchange(1, 30_000).bootstrap(0),
            Map.of(Configuration.TRANSPORT_PROP_NAME, "local"));
    }

    private MemorySegment bytes(final int length, final int seed)
    {
        return LocalEnginePair.pattern(arena, length, seed);
    }

    private void drive(final MessageRequest... requests)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (final MessageRequest request : requests)
        {
            while (!request.isComplete())
            {
                assertTrue(System.nanoTime() < deadline, "request did not complete within 30 s");
                rank0.progress();
                if (null != rank1)
                {
                    rank1.progress();
                }
            }
        }
    }

    @Test
    void shouldHandOutAReleasedReceiveAgainAsNew()
    {
        startAlone();
        final ReceiveRequest truncated = rank0.postReceive(CONTEXT, 0, 1, arena.allocate(4));
        final SendRequest first = rank0.postSend(CONTEXT, 0, 1, bytes(8, 1));
        drive(first, truncated);
        assertEquals(CompletionError.TRUNCATE, truncated.error());
        final long firstId = truncated.id;
        rank0.release(truncated);
        rank0.release(first);

        final MemorySegment target = arena.allocate(16);
        final ReceiveRequest again = rank0.postReceive(CONTEXT, 0, 2, target);
        assertSame(truncated, again);
        assertNotEquals(firstId, again.id);
        assertFalse(again.isComplete());
        assertEquals(CompletionError.NONE, again.error());
        assertNull(again.errorMessage());
        assertSame(target, again.buffer());

        final SendRequest second = rank0.postSend(CONTEXT, 0, 2, bytes(16, 9));
        assertSame(first, second);
        drive(second, again);
        assertEquals(CompletionError.NONE, again.error());
        assertEquals(16, again.statusBytes());
        assertEquals(2, again.statusTag());
        assertArrayEquals(bytes(16, 9).toArray(ValueLayout.JAVA_BYTE), target.toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void shouldRefuseToReleaseAnIncompleteRequest()
    {
        startAlone();
        final ReceiveRequest pending = rank0.postReceive(CONTEXT, 0, 1, arena.allocate(4));
        final IllegalStateException error = assertThrows(IllegalStateException.class, () -> rank0.release(pending));
        assertTrue(error.getMessage().contains("has not completed"), error.getMessage());
        final SendRequest send = rank0.postSend(CONTEXT, 0, 1, bytes(4, 0));
        drive(send, pending);
        assertEquals(4, pending.statusBytes());
    }

    @Test
    void shouldRefuseToReleaseTwice()
    {
        startAlone();
        final SendRequest send = rank0.postSend(CONTEXT, 0, 1, bytes(4, 0));
        final ReceiveRequest receive = rank0.postReceive(CONTEXT, 0, 1, arena.allocate(4));
        drive(send, receive);
        rank0.release(send);
        final IllegalStateException error = assertThrows(IllegalStateException.class, () -> rank0.release(send));
        assertTrue(error.getMessage().contains("released already"), error.getMessage());
    }

    @Test
    void shouldNotMixPayloadsOfReusedUnexpectedMessagesFromSelf()
    {
        startAlone();
        assertUnexpectedRoundsDeliverExactBytes(rank0, rank0, 0, 0);
    }

    @Test
    void shouldNotMixPayloadsOfReusedUnexpectedMessagesFromAPeer()
    {
        startJob();
        assertUnexpectedRoundsDeliverExactBytes(rank0, rank1, 1, 0);
    }

    /**
     * Sends messages of changing lengths before their receives are posted (so each waits as unexpected and
     * its record and payload array are reused by the next), and checks every received byte and length.
     */
    private void assertUnexpectedRoundsDeliverExactBytes(final MessagingEngine sender,
        final MessagingEngine receiver, final int destination, final int source)
    {
        final int[] lengths = {100, 10, 0, 200, 100, 1, 4000};
        for (int round = 0; round < lengths.length; round++)
        {
            final int length = lengths[round];
            final MemorySegment payload = bytes(length, round * 7);
            final SendRequest send = sender.postSend(CONTEXT, destination, round, payload);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!receiver.probe(CONTEXT, source, round))
            {
                assertTrue(System.nanoTime() < deadline, "message " + round + " did not arrive within 30 s");
                rank0.progress();
                if (null != rank1)
                {
                    rank1.progress();
                }
            }
            final MemorySegment target = arena.allocate(4096);
            target.fill((byte)-1);
            final ReceiveRequest receive = receiver.postReceive(CONTEXT, source, round, target);
            drive(send, receive);
            assertEquals(CompletionError.NONE, receive.error(), receive.errorMessage());
            assertEquals(length, receive.statusBytes(), "round " + round);
            assertArrayEquals(payload.toArray(ValueLayout.JAVA_BYTE),
                target.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), "round " + round);
            if (length < target.byteSize())
            {
                assertEquals(-1, target.get(ValueLayout.JAVA_BYTE, length), "byte after the message, round " + round);
            }
            sender.release(send);
            receiver.release(receive);
        }
    }
}
