package io.javelin.messaging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MessagingEngine#cancel}: a receive no message has matched leaves the posted queue and completes as
 * CANCELLED (a later message then waits as unexpected and never touches its buffer); a matched receive
 * cannot be withdrawn and completes as usual. Also the sliced {@link MessagingEngine#await(MessageRequest, int)}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceiveCancelTest
{
    private static final int CONTEXT = 5;
    private static final int TAG = 9;

    private final Arena arena = Arena.ofShared();
    private MessagingEngine rank0;
    private MessagingEngine rank1;

    @BeforeEach
    void startJob()
    {
        final MessagingEngine[] pair = LocalEnginePair.start();
        rank0 = pair[0];
        rank1 = pair[1];
    }

    @AfterEach
    void tearDown()
    {
        rank0.close();
        rank1.close();
        arena.close();
    }

    private MemorySegment bytes(final int length, final int seed)
    {
        return LocalEnginePair.pattern(arena, length, seed);
    }

    private void driveUntil(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, what + " within 30 s");
            rank0.progress();
            rank1.progress();
        }
    }

    @Test
    void shouldWithdrawAReceiveThatNoMessageMatched()
    {
        final MemorySegment target = arena.allocate(64);
        target.fill((byte)-1);
        final ReceiveRequest receive = rank1.postReceive(CONTEXT, 0, TAG, target);
        assertTrue(rank1.isPosted(receive));

        assertTrue(rank1.cancel(receive));
        assertTrue(receive.isComplete());
        assertEquals(CompletionError.CANCELLED, receive.error());
        assertFalse(rank1.isPosted(receive));
        assertFalse(rank1.cancel(receive), "a cancelled receive cannot be cancelled again");

        final MemorySegment payload = bytes(64, 3);
        final SendRequest send = rank0.postSend(CONTEXT, 1, TAG, payload);
        driveUntil(() -> rank1.probe(CONTEXT, 0, TAG), "the message arrives as unexpected");
        final byte[] untouched = new byte[64];
        Arrays.fill(untouched, (byte)-1);
        assertArrayEquals(untouched, target.toArray(ValueLayout.JAVA_BYTE), "the cancelled buffer is untouched");

        final MemorySegment second = arena.allocate(64);
        final ReceiveRequest again = rank1.postReceive(CONTEXT, 0, TAG, second);
        driveUntil(() -> again.isComplete() && send.isComplete(), "the message is received by a new receive");
        assertEquals(CompletionError.NONE, again.error(), again.errorMessage());
        assertArrayEquals(payload.toArray(ValueLayout.JAVA_BYTE), second.toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void shouldNotWithdrawAReceiveThatARendezvousMessageMatched()
    {
        final int length = (int)rank0.eagerLimit() * 4;
        final MemorySegment payload = bytes(length, 7);
        final SendRequest send = rank0.postSend(CONTEXT, 1, TAG, payload);
        driveUntil(() -> rank1.probe(CONTEXT, 0, TAG), "the RTS arrives");
        final MemorySegment target = arena.allocate(length);
        final ReceiveRequest receive = rank1.postReceive(CONTEXT, 0, TAG, target);
        assertFalse(rank1.isPosted(receive), "matched at once");

        assertFalse(rank1.cancel(receive));
        driveUntil(() -> receive.isComplete() && send.isComplete(), "the transfer completes");
        assertEquals(CompletionError.NONE, receive.error(), receive.errorMessage());
        assertArrayEquals(payload.toArray(ValueLayout.JAVA_BYTE), target.toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void shouldAwaitInSlicesUntilTheRequestCompletes()
    {
        final MemorySegment target = arena.allocate(8);
        final ReceiveRequest receive = rank1.postReceive(CONTEXT, 0, TAG, target);
        assertFalse(rank1.await(receive, 16), "nothing was sent: the slice runs out");

        final SendRequest send = rank0.postSend(CONTEXT, 1, TAG, bytes(8, 1));
        driveUntil(send::isComplete, "the eager send completes");
        assertTrue(rank1.await(receive, Integer.MAX_VALUE));
        assertEquals(8, receive.statusBytes());
        assertTrue(rank1.await(receive, 0), "a complete request needs no poll");
    }
}
