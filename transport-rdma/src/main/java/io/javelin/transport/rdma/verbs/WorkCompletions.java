package io.javelin.transport.rdma.verbs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A flyweight over an array of {@code struct ibv_wc} in native memory, filled by
 * {@link CompletionQueue#poll}. Allocated once; read with an index after each poll.
 */
public final class WorkCompletions
{
    /** {@code IBV_WC_SUCCESS}. */
    public static final int STATUS_SUCCESS = 0;
    /** {@code IBV_WC_WR_FLUSH_ERR}: the queue pair was in the error state; the work request did not run. */
    public static final int STATUS_WR_FLUSH_ERR = 5;
    /** {@code IBV_WC_REM_ACCESS_ERR}: the peer refused a one-sided access (key, bounds, rights). */
    public static final int STATUS_REM_ACCESS_ERR = 10;
    /** {@code IBV_WC_RETRY_EXC_ERR}: the peer did not answer (gone, or unreachable). */
    public static final int STATUS_RETRY_EXC_ERR = 12;
    /** {@code IBV_WC_RNR_RETRY_EXC_ERR}: the peer had no receive posted. */
    public static final int STATUS_RNR_RETRY_EXC_ERR = 13;
    /** {@code IBV_WC_REM_INV_RD_REQ_ERR}. */
    public static final int STATUS_REM_INV_RD_REQ_ERR = 15;
    /** {@code IBV_WC_RECV}: opcode bit set on receive completions. */
    public static final int OPCODE_RECV = 1 << 7;
    /** {@code IBV_WC_RECV_RDMA_WITH_IMM}. */
    public static final int OPCODE_RECV_RDMA_WITH_IMM = OPCODE_RECV + 1;
    /** {@code IBV_WC_WITH_IMM}. */
    public static final int FLAG_WITH_IMM = 1 << 1;

    private static final long STRIDE = IbvLayouts.WC.byteSize();

    final MemorySegment array;
    private final int capacity;

    /**
     * @param arena    owns the array.
     * @param capacity completions taken per poll.
     */
    public WorkCompletions(final Arena arena, final int capacity)
    {
        this.array = arena.allocate(STRIDE * capacity, 8);
        this.capacity = capacity;
    }

    /**
     * @return completions taken per poll.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * @param i index below what the last poll returned.
     * @return the work request id given at post.
     */
    public long wrId(final int i)
    {
        return array.get(ValueLayout.JAVA_LONG, i * STRIDE + IbvLayouts.WC_ID);
    }

    /**
     * @param i index.
     * @return {@code enum ibv_wc_status}; {@link #STATUS_SUCCESS} when it worked.
     */
    public int status(final int i)
    {
        return array.get(ValueLayout.JAVA_INT, i * STRIDE + IbvLayouts.WC_STATUS);
    }

    /**
     * @param i index.
     * @return {@code enum ibv_wc_opcode} (valid only on success).
     */
    public int opcode(final int i)
    {
        return array.get(ValueLayout.JAVA_INT, i * STRIDE + IbvLayouts.WC_OPCODE);
    }

    /**
     * @param i index.
     * @return the provider's own error detail.
     */
    public int vendorError(final int i)
    {
        return array.get(ValueLayout.JAVA_INT, i * STRIDE + IbvLayouts.WC_VENDOR_ERR);
    }

    /**
     * @param i index.
     * @return bytes received (receives).
     */
    public int byteLength(final int i)
    {
        return array.get(ValueLayout.JAVA_INT, i * STRIDE + IbvLayouts.WC_BYTE_LEN);
    }

    /**
     * @param i index.
     * @return the immediate data in host order (valid when {@link #flags} has {@link #FLAG_WITH_IMM}).
     */
    public int immediate(final int i)
    {
        return Integer.reverseBytes(array.get(ValueLayout.JAVA_INT, i * STRIDE + IbvLayouts.WC_IMM_DATA));
    }

    /**
     * @param i index.
     * @return the local queue pair number.
     */
    public int qpNumber(final int i)
    {
        return array.get(ValueLayout.JAVA_INT, i * STRIDE + IbvLayouts.WC_QP_NUM);
    }

    /**
     * @param i index.
     * @return {@code IBV_WC_*} flags.
     */
    public int flags(final int i)
    {
        return array.get(ValueLayout.JAVA_INT, i * STRIDE + IbvLayouts.WC_FLAGS);
    }

    /**
     * @param status an {@code enum ibv_wc_status} value.
     * @return libibverbs' name for it, e.g. "remote access error".
     */
    public static String statusName(final int status)
    {
        return Ibv.wcStatus(status);
    }
}
