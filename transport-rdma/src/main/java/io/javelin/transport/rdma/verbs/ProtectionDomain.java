package io.javelin.transport.rdma.verbs;

import java.lang.foreign.MemorySegment;

/**
 * A protection domain ({@code ibv_alloc_pd}): memory registrations and queue pairs of one transport.
 * Owned by whoever allocated it; close after every registration and queue pair in it.
 */
public final class ProtectionDomain implements AutoCloseable
{
    /** {@code IBV_ACCESS_LOCAL_WRITE}. */
    public static final int ACCESS_LOCAL_WRITE = 1;
    /** {@code IBV_ACCESS_REMOTE_WRITE}. */
    public static final int ACCESS_REMOTE_WRITE = 1 << 1;
    /** {@code IBV_ACCESS_REMOTE_READ}. */
    public static final int ACCESS_REMOTE_READ = 1 << 2;
    private static final int ENOMEM = 12;
    private static final int EPERM = 1;

    private final VerbsContext context;
    final MemorySegment pd;
    private boolean closed;

    ProtectionDomain(final VerbsContext context, final MemorySegment pd)
    {
        this.context = context;
        this.pd = pd;
    }

    /**
     * @return the device context this domain belongs to.
     */
    public VerbsContext context()
    {
        return context;
    }

    /**
     * Registers (pins) native memory.
     *
     * @param segment native memory.
     * @param access  {@code IBV_ACCESS_*} flags; remote write needs local write, as verbs requires.
     * @return the registration, owned by the caller.
     * @throws VerbsException when the device refuses; a memlock limit that is too low is named with its fix.
     */
    public MemoryRegistration register(final MemorySegment segment, final int access)
    {
        if (!segment.isNative())
        {
            throw new VerbsException("heap memory cannot be registered for RDMA (the garbage collector moves it): " +
                "use native memory (Arena.allocate / Javelin.allocate)", 0);
        }
        try
        {
            final MemorySegment mr = Ibv.pointerOrThrow("ibv_reg_mr(" + segment.byteSize() + " bytes)", "",
                state -> (MemorySegment)Ibv.REG_MR.invokeExact(state, pd, segment, segment.byteSize(), access));
            return new MemoryRegistration(segment, mr);
        }
        catch (final VerbsException ex)
        {
            if (ENOMEM == ex.errno() || EPERM == ex.errno())
            {
                throw new VerbsException(ex.getMessage() + "; " + MemoryLockLimit.advice(segment.byteSize()),
                    ex.errno());
            }
            throw ex;
        }
    }

    /**
     * Deallocates the domain. Idempotent.
     *
     * @throws VerbsException when registrations or queue pairs still use it.
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
            Ibv.check("ibv_dealloc_pd", (int)Ibv.DEALLOC_PD.invokeExact(pd),
                "deregister memory and destroy queue pairs first");
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
