package io.javelin.messaging;

import java.lang.foreign.MemorySegment;

/**
 * Completed requests given back by their users, handed out again by the next posts so that a caller who
 * releases its requests posts without allocating. Bounded: beyond {@link #CAPACITY} of a kind, released
 * requests are left to the garbage collector.
 *
 * <p>Not thread-safe: used by the engine's thread.
 */
final class RequestPool
{
    /** Most requests of each kind kept for reuse. */
    static final int CAPACITY = 64;

    private final SendRequest[] sends = new SendRequest[CAPACITY];
    private final ReceiveRequest[] receives = new ReceiveRequest[CAPACITY];
    private int sendCount;
    private int receiveCount;

    SendRequest send(final long id, final int context, final int destination, final int tag,
        final MemorySegment payload, final boolean rendezvous)
    {
        if (0 == sendCount)
        {
            return new SendRequest(id, context, destination, tag, payload, rendezvous);
        }
        final SendRequest send = sends[--sendCount];
        sends[sendCount] = null;
        send.reset(id, context, destination, tag, payload, rendezvous);
        return send;
    }

    ReceiveRequest receive(final long id, final int context, final int source, final int tag,
        final MemorySegment target)
    {
        if (0 == receiveCount)
        {
            return new ReceiveRequest(id, context, source, tag, target);
        }
        final ReceiveRequest receive = receives[--receiveCount];
        receives[receiveCount] = null;
        receive.reset(id, context, source, tag, target);
        return receive;
    }

    /**
     * Takes a completed request the caller no longer uses.
     *
     * @throws IllegalStateException if it has not completed or was released already (either is a bug in the
     *                               caller that would let two operations share one request).
     */
    void release(final MessageRequest request)
    {
        if (!request.complete || request.released)
        {
            throw new IllegalStateException("only a completed request can be released, and only once: request " +
                request.id + (request.released ? " was released already" : " has not completed") +
                "; release it after await() returned or isComplete() is true, then drop the reference");
        }
        request.released = true;
        request.buffer = MemorySegment.NULL;
        if (request instanceof SendRequest send)
        {
            send.lease = null;
            if (sendCount < CAPACITY)
            {
                sends[sendCount++] = send;
            }
        }
        else
        {
            final ReceiveRequest receive = (ReceiveRequest)request;
            receive.lease = null;
            receive.next = null;
            if (receiveCount < CAPACITY)
            {
                receives[receiveCount++] = receive;
            }
        }
    }
}
