package io.javelin.transport.rdma.verbs;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A reliable-connected queue pair ({@code struct ibv_qp}) created on an RDMA CM id
 * ({@link CmId#createQueuePair}); destroyed by {@link CmId#destroyQueuePair()}. Posts go through the provider's
 * ops table and return 0 or an error number, never throw and never allocate. One thread posts.
 */
public final class QueuePair
{
    final MemorySegment qp;
    private final MemorySegment postSend;
    private final MemorySegment postRecv;
    private final int number;
    private final int maxInlineBytes;
    private final int sendDepth;
    private final int receiveDepth;

    QueuePair(final VerbsContext context, final MemorySegment qp, final int maxInlineBytes, final int sendDepth,
        final int receiveDepth)
    {
        this.qp = qp.reinterpret(IbvLayouts.QP.byteSize());
        this.postSend = context.postSend;
        this.postRecv = context.postRecv;
        this.number = this.qp.get(ValueLayout.JAVA_INT, IbvLayouts.QP_NUM);
        this.maxInlineBytes = maxInlineBytes;
        this.sendDepth = sendDepth;
        this.receiveDepth = receiveDepth;
    }

    /**
     * @return the queue pair number (matches {@link WorkCompletions#qpNumber}).
     */
    public int number()
    {
        return number;
    }

    /**
     * @return largest payload of an inline send, as granted by the provider.
     */
    public int maxInlineBytes()
    {
        return maxInlineBytes;
    }

    /**
     * @return send work requests that may be outstanding, as granted.
     */
    public int sendDepth()
    {
        return sendDepth;
    }

    /**
     * @return receive work requests that may be posted, as granted.
     */
    public int receiveDepth()
    {
        return receiveDepth;
    }

    /**
     * @param request a prepared work request.
     * @return 0, or the error number (e.g. ENOMEM when the send queue is full, EINVAL in the error state).
     */
    public int postSend(final SendWorkRequest request)
    {
        try
        {
            return (int)Ibv.POST_SEND.invokeExact(postSend, qp, request.wr, request.badWr);
        }
        catch (final Throwable ex)
        {
            throw NativeAccess.rethrow(ex);
        }
    }

    /**
     * @param request a prepared receive.
     * @return 0, or the error number.
     */
    public int postReceive(final ReceiveWorkRequest request)
    {
        try
        {
            return (int)Ibv.POST_RECV.invokeExact(postRecv, qp, request.wr, request.badWr);
        }
        catch (final Throwable ex)
        {
            throw NativeAccess.rethrow(ex);
        }
    }
}
