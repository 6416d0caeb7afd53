package io.javelin.transport.rdma.verbs;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Registered memory ({@code struct ibv_mr}): the local and remote keys of one pinned range. Owned by whoever
 * registered it; close before freeing the memory.
 */
public final class MemoryRegistration implements AutoCloseable
{
    private final MemorySegment segment;
    private final MemorySegment mr;
    private final int lkey;
    private final int rkey;
    private boolean closed;

    MemoryRegistration(final MemorySegment segment, final MemorySegment mr)
    {
        this.segment = segment;
        this.mr = mr.reinterpret(IbvLayouts.MR.byteSize());
        this.lkey = this.mr.get(ValueLayout.JAVA_INT, IbvLayouts.MR_LKEY);
        this.rkey = this.mr.get(ValueLayout.JAVA_INT, IbvLayouts.MR_RKEY);
    }

    /**
     * @return the registered memory.
     */
    public MemorySegment segment()
    {
        return segment;
    }

    /**
     * @return the virtual address of byte 0, as a peer names it.
     */
    public long address()
    {
        return segment.address();
    }

    /**
     * @return the local key (32 bits).
     */
    public int lkey()
    {
        return lkey;
    }

    /**
     * @return the remote key (32 bits).
     */
    public int rkey()
    {
        return rkey;
    }

    /**
     * @return whether {@link #close()} ran.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Deregisters. Idempotent.
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
            Ibv.check("ibv_dereg_mr", (int)Ibv.DEREG_MR.invokeExact(mr), "");
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
