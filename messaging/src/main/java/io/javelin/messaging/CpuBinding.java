package io.javelin.messaging;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Locale;

/**
 * Binds the thread that drives a rank (the one that started it) to a CPU of its own, as Open MPI
 * ({@code --bind-to core}, its default for small jobs) and Slurm's task affinity do.
 *
 * <p>Why: a waiting rank polls. When the scheduler leaves two polling ranks on one CPU they take turns by
 * yielding, and every message waits for a context switch: on this project's 2-core test host the 8-byte
 * round trip over shared memory went from 0.42 us to 1.3 us for seconds at a time, until the load balancer
 * moved one rank away. With each rank on its own CPU that cannot happen.
 *
 * <p>Policy {@code auto} (the default) binds only when the host's ranks fit in the CPUs this process may use
 * ({@code sched_getaffinity}; a launcher or a cgroup may have narrowed them): local rank r takes the r-th of
 * those CPUs. It leaves the thread alone when ranks outnumber those CPUs (they must share: waiting then yields,
 * see {@link IdleStrategies}), when only one CPU is allowed (a launcher bound the process already), and for
 * ranks that are threads of one JVM. Only the rank's thread is bound: the JVM's compiler and garbage collector
 * threads keep every allowed CPU. Threads the rank's thread starts afterwards inherit its CPU.
 *
 * <p>Linux only ({@code sched_setaffinity} through FFM); elsewhere, or when the call is refused, the rank runs
 * unbound and {@link #describe()} says why.
 */
public final class CpuBinding
{
    /** Bytes of the CPU mask passed to the kernel: 1024 CPUs, glibc's {@code cpu_set_t}. */
    private static final int MASK_BYTES = 128;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle GET_AFFINITY = affinityCall("sched_getaffinity");
    private static final MethodHandle SET_AFFINITY = affinityCall("sched_setaffinity");
    private static final VarHandle ERRNO = Linker.Option.captureStateLayout()
        .varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private final int cpu;
    private final String description;

    private CpuBinding(final int cpu, final String description)
    {
        this.cpu = cpu;
        this.description = description;
    }

    /**
     * @param why the reason, for the description.
     * @return a binding that left the thread alone.
     */
    static CpuBinding unbound(final String why)
    {
        return new CpuBinding(-1, "none (" + why + ")");
    }

    /**
     * Binds the calling thread (or not) by the policy.
     *
     * @param policy    {@code auto} or {@code none} ({@link Configuration#BIND}).
     * @param localRank this rank among the ranks on its host (0-based), or -1 if the ranks are threads of one
     *                  JVM.
     * @param localSize ranks on this host.
     * @return what was done, for {@code javelin info}-style reports and benchmark headers.
     */
    public static CpuBinding bindCurrentThread(final String policy, final int localRank, final int localSize)
    {
        if ("none".equals(policy))
        {
            return unbound(Configuration.BIND_PROP_NAME + "=none");
        }
        if (!"auto".equals(policy))
        {
            throw new IllegalArgumentException(Configuration.BIND_PROP_NAME + "=" + policy +
                " is not one of auto, none");
        }
        if (localRank < 0)
        {
            return unbound("ranks are threads of one JVM");
        }
        if (null == GET_AFFINITY || null == SET_AFFINITY)
        {
            return unbound("no sched_setaffinity on " + System.getProperty("os.name"));
        }
        final int[] allowed;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment mask = arena.allocate(MASK_BYTES, 8);
            final MemorySegment callState = arena.allocate(Linker.Option.captureStateLayout());
            if (0 != (int)GET_AFFINITY.invokeExact(callState, 0, (long)MASK_BYTES, mask))
            {
                return unbound("sched_getaffinity failed, errno " + ERRNO.get(callState, 0L));
            }
            allowed = cpus(mask);
            final int cpu = choose(allowed, localRank, localSize);
            if (cpu < 0)
            {
                return unbound(localSize + " ranks on this host, " + allowed.length + " CPUs allowed: " +
                    (allowed.length == 1 ? "bound by the launcher already" : "they must share"));
            }
            mask.fill((byte)0);
            mask.set(ValueLayout.JAVA_LONG, 8L * (cpu / Long.SIZE), 1L << (cpu % Long.SIZE));
            if (0 != (int)SET_AFFINITY.invokeExact(callState, 0, (long)MASK_BYTES, mask))
            {
                return unbound("sched_setaffinity refused, errno " + ERRNO.get(callState, 0L) + "; set " +
                    Configuration.BIND_PROP_NAME + "=none to skip it");
            }
            return new CpuBinding(cpu, String.format(Locale.ROOT, "CPU %d (local rank %d of %d, %d CPUs allowed)",
                cpu, localRank, localSize, allowed.length));
        }
        catch (final Throwable ex)
        {
            return unbound(ex.toString());
        }
    }

    /**
     * @param allowed   the CPUs the process may use, ascending.
     * @param localRank this rank among its host's ranks.
     * @param localSize ranks on this host.
     * @return the CPU this rank's thread takes, or -1 to leave it unbound.
     */
    static int choose(final int[] allowed, final int localRank, final int localSize)
    {
        if (localRank < 0 || localRank >= localSize || allowed.length < 2 || localSize > allowed.length)
        {
            return -1;
        }
        return allowed[localRank];
    }

    /**
     * @return the CPU the rank's thread is bound to, or -1 if it was left unbound.
     */
    public int cpu()
    {
        return cpu;
    }

    /**
     * @return e.g. "CPU 1 (local rank 1 of 2, 2 CPUs allowed)" or "none (why)".
     */
    public String describe()
    {
        return description;
    }

    @Override
    public String toString()
    {
        return description;
    }

    private static int[] cpus(final MemorySegment mask)
    {
        final int[] cpus = new int[MASK_BYTES * Byte.SIZE];
        int count = 0;
        for (int word = 0; word < MASK_BYTES / Long.BYTES; word++)
        {
            long bits = mask.get(ValueLayout.JAVA_LONG, 8L * word);
            while (0 != bits)
            {
                cpus[count++] = word * Long.SIZE + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
            }
        }
        return Arrays.copyOf(cpus, count);
    }

    private static MethodHandle affinityCall(final String name)
    {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"))
        {
            return null;
        }
        return LINKER.defaultLookup().find(name)
            .map(address -> LINKER.downcallHandle(address,
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                ValueLayout.ADDRESS),
                Linker.Option.captureCallState("errno")))
            .orElse(null);
    }
}
