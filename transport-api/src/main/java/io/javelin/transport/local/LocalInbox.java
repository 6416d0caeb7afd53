package io.javelin.transport.local;

import io.javelin.transport.TransportStatus;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A receiver's queue of two-sided messages: many sender threads offer, the receiver's thread polls.
 * Messages from one sender stay in the order offered. Bounded both in messages and in bytes, so a
 * receiver that stops progressing back-pressures its senders instead of exhausting memory.
 */
final class LocalInbox
{
    private final ManyToOneConcurrentArrayQueue<LocalMessage> queue;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final long limitBytes;

    /**
     * @param capacity   messages held before back-pressure.
     * @param limitBytes bytes held before back-pressure; one larger message still enters an empty inbox.
     */
    LocalInbox(final int capacity, final long limitBytes)
    {
        this.queue = new ManyToOneConcurrentArrayQueue<>(capacity);
        this.limitBytes = limitBytes;
    }

    /**
     * Copies header and payload into a buffer from the sender's pool and enqueues it; sender's thread.
     *
     * @return {@link TransportStatus#OK}, or {@link TransportStatus#BACK_PRESSURED} with nothing queued.
     */
    int offer(final LocalTransport sender, final MessagePool pool, final MemorySegment header, final int headerLength,
        final MemorySegment payload, final long payloadOffset, final int payloadLength)
    {
        if (0 == queue.remainingCapacity())
        {
            return TransportStatus.BACK_PRESSURED;
        }
        final int length = headerLength + payloadLength;
        final long queued = queuedBytes.getAndAdd(length);
        if (queued > 0 && queued + length > limitBytes)
        {
            queuedBytes.addAndGet(-length);
            return TransportStatus.BACK_PRESSURED;
        }
        final LocalMessage message = pool.acquire(length);
        final MemorySegment buffer = message.buffer();
        if (headerLength > 0)
        {
            MemorySegment.copy(header, 0, buffer, 0, headerLength);
        }
        if (payloadLength > 0)
        {
            MemorySegment.copy(payload, payloadOffset, buffer, headerLength, payloadLength);
        }
        message.prepare(sender, length);
        if (!queue.offer(message))
        {
            queuedBytes.addAndGet(-length);
            message.recycle();
            return TransportStatus.BACK_PRESSURED;
        }
        return TransportStatus.OK;
    }

    /**
     * @return the oldest message, or null; receiver's thread. Hand it to {@link #consumed(LocalMessage)}.
     */
    LocalMessage poll()
    {
        return queue.poll();
    }

    /**
     * Releases a polled message's bytes and returns its buffer to the sender's pool.
     */
    void consumed(final LocalMessage message)
    {
        queuedBytes.addAndGet(-message.length());
        message.recycle();
    }

    /**
     * @return whether no message is queued.
     */
    boolean isEmpty()
    {
        return queue.isEmpty();
    }

    /**
     * Drops every queued message (the receiver closed).
     */
    void discardAll()
    {
        LocalMessage message;
        while (null != (message = queue.poll()))
        {
            consumed(message);
        }
    }
}
