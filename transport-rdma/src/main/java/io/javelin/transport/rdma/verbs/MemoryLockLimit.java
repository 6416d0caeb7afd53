package io.javelin.transport.rdma.verbs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The locked-memory limit ({@code RLIMIT_MEMLOCK}, {@code ulimit -l}) that bounds how much memory a
 * non-root process may register for RDMA.
 */
public final class MemoryLockLimit
{
    /** {@code RLIMIT_MEMLOCK} on Linux. */
    private static final int RLIMIT_MEMLOCK = 8;
    /** {@code RLIM_INFINITY}. */
    public static final long UNLIMITED = -1L;

    private MemoryLockLimit()
    {
    }

    /**
     * @return the soft limit in bytes, or {@link #UNLIMITED}.
     */
    public static long softLimitBytes()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment limit = arena.allocate(RdmaCmLayouts.RLIMIT);
            final int result = (int)NativeAccess.LibC.GETRLIMIT.invokeExact(RLIMIT_MEMLOCK, limit);
            return 0 == result ? limit.get(ValueLayout.JAVA_LONG, 0) : UNLIMITED;
        }
        catch (final Throwable ex)
        {
            throw NativeAccess.rethrow(ex);
        }
    }

    /**
     * @return whether this process runs as root (root may lock memory beyond the limit).
     */
    public static boolean isRoot()
    {
        try
        {
            return 0 == (int)NativeAccess.LibC.GETEUID.invokeExact();
        }
        catch (final Throwable ex)
        {
            throw NativeAccess.rethrow(ex);
        }
    }

    /**
     * @param neededBytes memory the caller is about to register.
     * @return null when the limit allows it, else the limit and how to raise it.
     */
    public static String check(final long neededBytes)
    {
        final long limit = softLimitBytes();
        if (UNLIMITED == limit || isRoot() || neededBytes <= limit)
        {
            return null;
        }
        return advice(neededBytes);
    }

    /**
     * @param neededBytes memory being registered.
     * @return the current limit and how to raise it.
     */
    public static String advice(final long neededBytes)
    {
        final long limit = softLimitBytes();
        return "registering " + neededBytes + " bytes needs locked memory, and the limit is " +
            (UNLIMITED == limit ? "unlimited" : (limit / 1024) + " KiB") + " (ulimit -l): raise it with " +
            "'ulimit -l unlimited' in the shell that starts the job, or '* - memlock unlimited' in " +
            "/etc/security/limits.conf (LimitMEMLOCK=infinity for systemd services, --ulimit memlock=-1 for " +
            "containers)";
    }
}
