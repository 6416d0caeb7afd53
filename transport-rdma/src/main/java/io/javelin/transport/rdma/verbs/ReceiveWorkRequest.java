package io.javelin.transport.rdma.verbs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One {@code struct ibv_recv_wr} with one scatter/gather entry, laid out once in native memory and patched
 * for each post ({@link QueuePair#postReceive}). Layout: the 32-byte work request, the 16-byte
 * {@code ibv_sge} it points to, then the {@code bad_wr} pointer slot. Not thread-safe.
 */
public final class ReceiveWorkRequest
{
    private static final long SGE_OFFSET = IbvLayouts.RECV_WR.byteSize();
    private static final long BAD_WR_OFFSET = SGE_OFFSET + IbvLayouts.SGE.byteSize();

    final MemorySegment wr;
    final MemorySegment badWr;
    private final MemorySegment sge;

    /**
     * @param arena owns the native memory.
     */
    public ReceiveWorkRequest(final Arena arena)
    {
        final MemorySegment memory = arena.allocate(BAD_WR_OFFSET + ValueLayout.ADDRESS.byteSize(), 8);
        wr = memory.asSlice(0, SGE_OFFSET);
        sge = memory.asSlice(SGE_OFFSET, IbvLayouts.SGE.byteSize());
        badWr = memory.asSlice(BAD_WR_OFFSET, ValueLayout.ADDRESS.byteSize());
        wr.set(ValueLayout.ADDRESS, IbvLayouts.RECV_WR_NEXT, MemorySegment.NULL);
        wr.set(ValueLayout.ADDRESS, IbvLayouts.RECV_WR_SG_LIST, sge);
        wr.set(ValueLayout.JAVA_INT, IbvLayouts.RECV_WR_NUM_SGE, 1);
    }

    /**
     * @param wrId    returned in the completion.
     * @param address first byte of the buffer.
     * @param length  buffer bytes.
     * @param lkey    local key of the buffer's registration.
     * @return this.
     */
    public ReceiveWorkRequest set(final long wrId, final long address, final int length, final int lkey)
    {
        wr.set(ValueLayout.JAVA_LONG, IbvLayouts.RECV_WR_ID, wrId);
        sge.set(ValueLayout.JAVA_LONG, IbvLayouts.SGE_ADDR, address);
        sge.set(ValueLayout.JAVA_INT, IbvLayouts.SGE_LENGTH, length);
        sge.set(ValueLayout.JAVA_INT, IbvLayouts.SGE_LKEY, lkey);
        return this;
    }
}
