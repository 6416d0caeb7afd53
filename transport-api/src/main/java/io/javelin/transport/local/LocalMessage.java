package io.javelin.transport.local;

import java.lang.foreign.MemorySegment;

/**
 * One two-sided message on its way from a sender to a receiver's inbox: a buffer holding header then
 * payload, and who sent it.
 *
 * <p>Ownership moves with the message: the sender fills it and enqueues it; the receiver delivers it
 * and hands it back to the sender's {@link MessagePool} with {@link #recycle()}. The fields are written
 * before the enqueue and read after the dequeue, which the queue orders.
 */
final class LocalMessage
{
    private final MessagePool pool;
    private final int sizeClass;
    private final MemorySegment buffer;
    private LocalTransport source;
    private int length;

    /**
     * @param pool      where the message returns after delivery.
     * @param sizeClass the pool's size class, or -1 if not pooled.
     * @param buffer    native memory for the message bytes.
     */
    LocalMessage(final MessagePool pool, final int sizeClass, final MemorySegment buffer)
    {
        this.pool = pool;
        this.sizeClass = sizeClass;
        this.buffer = buffer;
    }

    /**
     * @param source the sending transport.
     * @param length message bytes.
     */
    void prepare(final LocalTransport source, final int length)
    {
        this.source = source;
        this.length = length;
    }

    MemorySegment buffer()
    {
        return buffer;
    }

    int sizeClass()
    {
        return sizeClass;
    }

    LocalTransport source()
    {
        return source;
    }

    int length()
    {
        return length;
    }

    /**
     * Hands the message back to its pool; callable from any thread; the message must not be used afterwards.
     */
    void recycle()
    {
        source = null;
        pool.recycle(this);
    }
}
