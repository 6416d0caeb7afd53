package io.javelin.transport.rdma.verbs;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An open device ({@code struct ibv_context}) and the provider's data-path entry points read from its
 * {@code ops} table once. Not owned here: RDMA CM opens the contexts of its ids and closes them itself.
 */
public final class VerbsContext
{
    final MemorySegment context;
    final MemorySegment pollCq;
    final MemorySegment postSend;
    final MemorySegment postRecv;

    /**
     * @param context a {@code struct ibv_context *}.
     */
    VerbsContext(final MemorySegment context)
    {
        if (MemorySegment.NULL.equals(context))
        {
            throw new VerbsException("the RDMA CM id has no device context: bind or resolve it first", 0);
        }
        this.context = context.reinterpret(IbvLayouts.CONTEXT.byteSize());
        this.pollCq = this.context.get(ValueLayout.ADDRESS, IbvLayouts.CONTEXT_POLL_CQ);
        this.postSend = this.context.get(ValueLayout.ADDRESS, IbvLayouts.CONTEXT_POST_SEND);
        this.postRecv = this.context.get(ValueLayout.ADDRESS, IbvLayouts.CONTEXT_POST_RECV);
        if (MemorySegment.NULL.equals(pollCq) || MemorySegment.NULL.equals(postSend) ||
            MemorySegment.NULL.equals(postRecv))
        {
            throw new VerbsException("the device's provider has no post_send / post_recv / poll_cq in its ops table; " +
                "update rdma-core (ibverbs-providers)", 0);
        }
    }

    /**
     * @return the device's kernel name, e.g. rxe0.
     */
    public String deviceName()
    {
        try
        {
            final MemorySegment device = context.get(ValueLayout.ADDRESS, IbvLayouts.CONTEXT_DEVICE);
            return NativeAccess.string((MemorySegment)Ibv.GET_DEVICE_NAME.invokeExact(device));
        }
        catch (final Throwable ex)
        {
            throw NativeAccess.rethrow(ex);
        }
    }

    /**
     * @return the device's limits ({@code ibv_query_device}).
     */
    public RdmaDevices.Attributes attributes()
    {
        return RdmaDevices.queryAttributes(context, deviceName());
    }

    /**
     * @return a new protection domain, owned by the caller.
     */
    public ProtectionDomain allocateProtectionDomain()
    {
        final MemorySegment pd = Ibv.pointerOrThrow("ibv_alloc_pd", "",
            state -> (MemorySegment)Ibv.ALLOC_PD.invokeExact(state, context));
        return new ProtectionDomain(this, pd);
    }

    /**
     * @param entries completions the queue holds at least.
     * @return a new completion queue without completion channel (polled only), owned by the caller.
     */
    public CompletionQueue createCompletionQueue(final int entries)
    {
        final MemorySegment cq = Ibv.pointerOrThrow("ibv_create_cq(" + entries + " entries)",
            "ask for fewer entries (javelin.rdma.*.depth settings)",
            state -> (MemorySegment)Ibv.CREATE_CQ.invokeExact(state, context, entries, MemorySegment.NULL,
            MemorySegment.NULL, 0));
        return new CompletionQueue(this, cq);
    }
}
