package io.javelin.transport.rdma.verbs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One {@code struct ibv_send_wr} with one scatter/gather entry, laid out once in native memory and patched
 * for each post ({@link QueuePair#postSend}); the provider copies it into the send queue during the post,
 * so one instance serves every post of its thread. Memory layout:
 * <pre>
 *   0      ibv_send_wr (128 bytes): wr_id, next = NULL, sg_list -> sge, num_sge = 1, opcode, send_flags,
 *                                   imm_data, wr.rdma.{remote_addr, rkey}
 *   128    ibv_sge (16 bytes): addr, length, lkey
 *   144    struct ibv_send_wr *bad_wr (8 bytes), written by the provider on failure
 * </pre>
 * Not thread-safe.
 */
public final class SendWorkRequest
{
    /** {@code IBV_WR_RDMA_WRITE}. */
    public static final int OPCODE_RDMA_WRITE = 0;
    /** {@code IBV_WR_RDMA_WRITE_WITH_IMM}. */
    public static final int OPCODE_RDMA_WRITE_WITH_IMM = 1;
    /** {@code IBV_WR_SEND}. */
    public static final int OPCODE_SEND = 2;
    /** {@code IBV_WR_SEND_WITH_IMM}. */
    public static final int OPCODE_SEND_WITH_IMM = 3;
    /** {@code IBV_WR_RDMA_READ}. */
    public static final int OPCODE_RDMA_READ = 4;
    /** {@code IBV_SEND_FENCE}. */
    public static final int FLAG_FENCE = 1;
    /** {@code IBV_SEND_SIGNALED}: produce a completion. */
    public static final int FLAG_SIGNALED = 1 << 1;
    /** {@code IBV_SEND_INLINE}: the bytes are copied at post; no lkey needed, the buffer is free at once. */
    public static final int FLAG_INLINE = 1 << 3;

    private static final long SGE_OFFSET = IbvLayouts.SEND_WR.byteSize();
    private static final long BAD_WR_OFFSET = SGE_OFFSET + IbvLayouts.SGE.byteSize();

    final MemorySegment wr;
    final MemorySegment badWr;
    private final MemorySegment sge;

    /**
     * @param arena owns the native memory.
     */
    public SendWorkRequest(final Arena arena)
    {
        final MemorySegment memory = arena.allocate(BAD_WR_OFFSET + ValueLayout.ADDRESS.byteSize(), 8);
        wr = memory.asSlice(0, SGE_OFFSET);
        badWr = memory.asSlice(BAD_WR_OFFSET, ValueLayout.ADDRESS.byteSize());
        sge = memory.asSlice(SGE_OFFSET, IbvLayouts.SGE.byteSize());
        wr.set(ValueLayout.ADDRESS, IbvLayouts.SEND_WR_NEXT, MemorySegment.NULL);
        wr.set(ValueLayout.ADDRESS, IbvLayouts.SEND_WR_SG_LIST, sge);
        wr.set(ValueLayout.JAVA_INT, IbvLayouts.SEND_WR_NUM_SGE, 1);
    }

    /**
     * Prepares a two-sided send of {@code length} bytes at {@code address}.
     *
     * @param wrId      returned in the completion.
     * @param address   first byte.
     * @param length    bytes (0 allowed: then no scatter/gather entry is used).
     * @param lkey      local key of the memory (ignored with {@link #FLAG_INLINE}).
     * @param flags     {@code FLAG_*} bits.
     * @param immediate immediate data (host order) delivered with the message.
     * @return this.
     */
    public SendWorkRequest send(final long wrId, final long address, final int length, final int lkey,
        final int flags, final int immediate)
    {
        header(wrId, OPCODE_SEND_WITH_IMM, flags, immediate);
        return local(address, length, lkey);
    }

    /**
     * Prepares a one-sided operation.
     *
     * @param wrId          returned in the completion.
     * @param opcode        {@link #OPCODE_RDMA_WRITE}, {@link #OPCODE_RDMA_WRITE_WITH_IMM} or
     *                      {@link #OPCODE_RDMA_READ}.
     * @param address       local first byte.
     * @param length        bytes.
     * @param lkey          local key.
     * @param remoteAddress peer's first byte.
     * @param rkey          peer's remote key.
     * @param flags         {@code FLAG_*} bits.
     * @param immediate     immediate data for {@link #OPCODE_RDMA_WRITE_WITH_IMM} (host order), else ignored.
     * @return this.
     */
    public SendWorkRequest rdma(final long wrId, final int opcode, final long address, final int length,
        final int lkey, final long remoteAddress, final int rkey, final int flags, final int immediate)
    {
        header(wrId, opcode, flags, immediate);
        wr.set(ValueLayout.JAVA_LONG, IbvLayouts.SEND_WR_REMOTE_ADDR, remoteAddress);
        wr.set(ValueLayout.JAVA_INT, IbvLayouts.SEND_WR_RKEY, rkey);
        return local(address, length, lkey);
    }

    private void header(final long wrId, final int opcode, final int flags, final int immediate)
    {
        wr.set(ValueLayout.JAVA_LONG, IbvLayouts.SEND_WR_ID, wrId);
        wr.set(ValueLayout.JAVA_INT, IbvLayouts.SEND_WR_OPCODE, opcode);
        wr.set(ValueLayout.JAVA_INT, IbvLayouts.SEND_WR_SEND_FLAGS, flags);
        wr.set(ValueLayout.JAVA_INT, IbvLayouts.SEND_WR_IMM_DATA, Integer.reverseBytes(immediate));
    }

    private SendWorkRequest local(final long address, final int length, final int lkey)
    {
        sge.set(ValueLayout.JAVA_LONG, IbvLayouts.SGE_ADDR, address);
        sge.set(ValueLayout.JAVA_INT, IbvLayouts.SGE_LENGTH, length);
        sge.set(ValueLayout.JAVA_INT, IbvLayouts.SGE_LKEY, lkey);
        wr.set(ValueLayout.JAVA_INT, IbvLayouts.SEND_WR_NUM_SGE, 0 == length ? 0 : 1);
        return this;
    }
}
