package io.javelin.transport.rdma.verbs;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A completion queue ({@code ibv_create_cq}), busy-polled through the provider's {@code poll_cq}.
 * Owned by whoever created it; close after the queue pairs that use it. Polled by one thread.
 */
public final class CompletionQueue implements AutoCloseable
{
    final MemorySegment cq;
    private final MemorySegment pollCq;
    private final int capacity;
    private boolean closed;

    CompletionQueue(final VerbsContext context, final MemorySegment cq)
    {
        this.cq = cq.reinterpret(IbvLayouts.CQ.byteSize());
        this.pollCq = context.pollCq;
        this.capacity = this.cq.get(ValueLayout.JAVA_INT, IbvLayouts.CQ_CQE);
    }

    /**
     * @return entries the queue holds (at least what was asked for).
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * Takes up to {@code completions.capacity()} completions. Does not allocate.
     *
     * @param completions where to put them.
     * @return how many (0 when none), or a negative value when polling failed (the queue is broken).
     */
    public int poll(final WorkCompletions completions)
    {
        try
        {
            return (int)Ibv.POLL_CQ.invokeExact(pollCq, cq, completions.capacity(), completions.array);
        }
        catch (final Throwable ex)
        {
            throw NativeAccess.rethrow(ex);
        }
    }

    /**
     * Destroys the queue. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            Ibv.check("ibv_destroy_cq", (int)Ibv.DESTROY_CQ.invokeExact(cq), "destroy the queue pairs using it first");
        }
        catch (final VerbsException ex)
        {
            throw ex;
        }
        catch (final Throwable ex)
        {
            throw NativeAccess.rethrow(ex);
        }
    }
}
