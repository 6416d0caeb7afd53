package io.javelin.transport.aeron;

import io.javelin.transport.cma.CrossMemoryAttach;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Whether a process on this host still exists, by {@code kill(pid, 0)}: one system call (under a microsecond),
 * where {@link ProcessHandle#isAlive()} reads {@code /proc} and allocates (about 20 us, far more before the
 * JIT compiled it), which a rank polling its peers every 100 ms would pay on its data path.
 *
 * <p>A pid the kernel has reused for another process reads as alive; the peer's Aeron client timing out and
 * the launcher's abort on rank death cover that case.
 */
final class ProcessLiveness
{
    private static final MethodHandle KILL = Linker.nativeLinker().defaultLookup().find("kill")
        .map(address -> Linker.nativeLinker().downcallHandle(address,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno")))
        .orElse(null);
    private static final VarHandle ERRNO = Linker.Option.captureStateLayout()
        .varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private final MemorySegment callState = Arena.ofAuto().allocate(Linker.Option.captureStateLayout());

    /**
     * @param pid a process id.
     * @return false only when the process certainly does not exist.
     */
    boolean isAlive(final long pid)
    {
        if (null == KILL)
        {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        try
        {
            final int result = (int)KILL.invokeExact(callState, (int)pid, 0);
            return 0 == result || CrossMemoryAttach.ESRCH != (int)ERRNO.get(callState, 0L);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("kill(" + pid + ", 0) failed", ex);
        }
    }
}
