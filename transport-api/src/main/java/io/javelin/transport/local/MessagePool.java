package io.javelin.transport.local;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.lang.foreign.Arena;
import java.util.function.Consumer;

/**
 * A sender's pool of native message buffers, in power-of-two size classes from 256 B to 1 MiB. Larger
 * messages get a buffer of their own, freed by the garbage collector.
 *
 * <p>Threading: {@link #acquire(int)} is called only by the owning sender's thread. Receivers hand
 * buffers back from their own threads through {@link #recycle(LocalMessage)}, which goes through a
 * lock-free queue drained by the owner when a size class runs dry. Buffers come from automatic arenas,
 * so messages still queued at a closed receiver cost nothing but garbage.
 */
final class MessagePool
{
    private static final int MIN_SHIFT = 8;
    private static final int MAX_SHIFT = 20;
    private static final int RETURN_QUEUE_CAPACITY = 4096;
    private static final long CLASS_BUDGET_BYTES = 1L << 20;
    private static final long ALIGNMENT = 64;

    private final LocalMessage[][] free = new LocalMessage[MAX_SHIFT - MIN_SHIFT + 1][];
    private final int[] freeCount = new int[free.length];
    private final ManyToOneConcurrentArrayQueue<LocalMessage> returned =
        new ManyToOneConcurrentArrayQueue<>(RETURN_QUEUE_CAPACITY);
    private final Consumer<LocalMessage> restock = this::restock;

    MessagePool()
    {
        for (int sizeClass = 0; sizeClass < free.length; sizeClass++)
        {
            final long bytes = 1L << (sizeClass + MIN_SHIFT);
            free[sizeClass] = new LocalMessage[Math.clamp(CLASS_BUDGET_BYTES / bytes, 4, 1024)];
        }
    }

    /**
     * @param length message bytes.
     * @return a message whose buffer holds at least {@code length} bytes.
     */
    LocalMessage acquire(final int length)
    {
        if (length > 1 << MAX_SHIFT)
        {
            return new LocalMessage(this, -1, Arena.ofAuto().allocate(length, ALIGNMENT));
        }
        final int sizeClass = sizeClass(length);
        if (0 == freeCount[sizeClass])
        {
            returned.drain(restock);
        }
        if (0 == freeCount[sizeClass])
        {
            final long bytes = 1L << (sizeClass + MIN_SHIFT);
            return new LocalMessage(this, sizeClass, Arena.ofAuto().allocate(bytes, ALIGNMENT));
        }
        final int index = --freeCount[sizeClass];
        final LocalMessage message = free[sizeClass][index];
        free[sizeClass][index] = null;
        return message;
    }

    /**
     * Returns a delivered (or undeliverable) message; any thread. Unpooled buffers and buffers beyond the
     * pool's capacity are dropped for the garbage collector.
     *
     * @param message a message from {@link #acquire(int)}.
     */
    void recycle(final LocalMessage message)
    {
        if (message.sizeClass() >= 0)
        {
            returned.offer(message);
        }
    }

    private void restock(final LocalMessage message)
    {
        final int sizeClass = message.sizeClass();
        if (freeCount[sizeClass] < free[sizeClass].length)
        {
            free[sizeClass][freeCount[sizeClass]++] = message;
        }
    }

    private static int sizeClass(final int length)
    {
        final int shift = length <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(length - 1);
        return Math.max(shift, MIN_SHIFT) - MIN_SHIFT;
    }
}
