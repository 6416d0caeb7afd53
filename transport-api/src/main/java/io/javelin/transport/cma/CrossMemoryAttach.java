package io.javelin.transport.cma;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Copies between this process's memory and another process's memory in one copy, by the kernel
 * ({@code process_vm_readv(2)} / {@code process_vm_writev(2)}). The kernel checks that this process may
 * ptrace the other (same user and, under Yama {@code ptrace_scope=1}, a declared tracer); the caller checks
 * everything else: the remote span must be one the peer granted.
 *
 * <p>{@link #availability()} says once per process whether the calls exist and work (a copy within this
 * process is tried). A copier owns a few bytes of native scratch memory: one per thread, closed by its owner.
 * The data path does not allocate: results are byte counts or negative errno values, never exceptions.
 */
public final class CrossMemoryAttach implements AutoCloseable
{
    /** errno: operation not permitted (ptrace access denied, Yama, seccomp). */
    public static final int EPERM = 1;
    /** errno: no such process. */
    public static final int ESRCH = 3;
    /** errno: bad address (the span is not mapped in one of the processes). */
    public static final int EFAULT = 14;
    /** errno: function not implemented (kernel without CMA, or a seccomp filter). */
    public static final int ENOSYS = 38;

    private static final int PR_SET_PTRACER = 0x59616d61;
    private static final long PR_SET_PTRACER_ANY = -1L;
    private static final Path YAMA_PTRACE_SCOPE = Path.of("/proc/sys/kernel/yama/ptrace_scope");

    /** struct iovec on LP64 Linux; the base is held as a long so that setting it allocates nothing. */
    private static final MemoryLayout IOVEC = MemoryLayout.structLayout(
        ValueLayout.JAVA_LONG.withName("iov_base"), ValueLayout.JAVA_LONG.withName("iov_len"));
    private static final VarHandle IOV_BASE = IOVEC.varHandle(MemoryLayout.PathElement.groupElement("iov_base"));
    private static final VarHandle IOV_LEN = IOVEC.varHandle(MemoryLayout.PathElement.groupElement("iov_len"));
    private static final MemoryLayout CAPTURED_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURED_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final Natives NATIVES = Natives.load();
    private static final Availability AVAILABILITY = probe();

    /**
     * Whether cross-memory attach works in this process, and if not, why.
     *
     * @param available the calls exist and a copy within this process succeeded.
     * @param reason    why not (naming the fix), or a short description when available.
     */
    public record Availability(boolean available, String reason)
    {
    }

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment localIov = arena.allocate(IOVEC);
    private final MemorySegment remoteIov = arena.allocate(IOVEC);
    private final MemorySegment callState = arena.allocate(CAPTURED_STATE);
    private long bytesCopied;
    private long operations;

    private CrossMemoryAttach()
    {
    }

    /**
     * @return whether CMA works here; computed once per process.
     */
    public static Availability availability()
    {
        return AVAILABILITY;
    }

    /**
     * Opens a copier for the calling thread.
     *
     * @return the copier, or null when {@link #availability()} says CMA does not work here.
     */
    public static CrossMemoryAttach openIfAvailable()
    {
        return AVAILABILITY.available() ? new CrossMemoryAttach() : null;
    }

    /**
     * Whether other processes of this user (the peer ranks) may attach to this one, judged from Yama's
     * {@code ptrace_scope} without changing anything (for {@code javelin info}); a container's seccomp filter
     * can still refuse, which the first refused copy reports.
     *
     * @return available and how, or unavailable with the scope and the fix.
     */
    public static Availability peerAccess()
    {
        return peerAccess(readPtraceScope());
    }

    /**
     * @param scope the content of {@code /proc/sys/kernel/yama/ptrace_scope}, or null without Yama.
     * @return what that scope means for single-copy transfers between ranks.
     */
    static Availability peerAccess(final String scope)
    {
        if (null == scope)
        {
            return new Availability(true, "no Yama ptrace restriction");
        }
        return switch (scope)
        {
            case "0" -> new Availability(true, "Yama ptrace_scope=0: processes of one user may attach");
            case "1" -> new Availability(true, "Yama ptrace_scope=1: each rank declares its peers tracers " +
                "(PR_SET_PTRACER_ANY), as Open MPI does");
            default -> new Availability(false, "Yama ptrace_scope=" + scope + " refuses peers without " +
                "CAP_SYS_PTRACE, so one-sided transfers within a host take two copies: set " +
                "kernel.yama.ptrace_scope=1 (sysctl; 3 needs a reboot) to allow single copy");
        };
    }

    private static String readPtraceScope()
    {
        try
        {
            return Files.readString(YAMA_PTRACE_SCOPE, StandardCharsets.US_ASCII).trim();
        }
        catch (final Exception ex)
        {
            return null;
        }
    }

    /**
     * Under Yama {@code ptrace_scope=1} only a declared tracer may attach to this process, which would refuse
     * every peer's copy: declares any process a tracer ({@code prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY)}) as
     * Open MPI does. Does nothing elsewhere (no Yama, or a stricter scope that prctl cannot relax).
     *
     * @return what was done, for the log.
     */
    public static String allowPeersToAttach()
    {
        final String scope;
        try
        {
            scope = Files.readString(YAMA_PTRACE_SCOPE, StandardCharsets.US_ASCII).trim();
        }
        catch (final Exception ex)
        {
            return "no Yama ptrace restriction";
        }
        if (!"1".equals(scope) || null == NATIVES.prctl)
        {
            return "Yama ptrace_scope=" + scope + (("0".equals(scope)) ? "" : ": peers can attach only with " +
                "CAP_SYS_PTRACE (set kernel.yama.ptrace_scope=1 or 0 to allow single-copy transfers)");
        }
        try
        {
            final int result = (int)NATIVES.prctl.invokeExact(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0L, 0L, 0L);
            return 0 == result ? "Yama ptrace_scope=1: declared every process a tracer (PR_SET_PTRACER_ANY)" :
                "Yama ptrace_scope=1 and prctl(PR_SET_PTRACER) failed";
        }
        catch (final Throwable ex)
        {
            return "Yama ptrace_scope=1 and prctl(PR_SET_PTRACER) failed: " + ex;
        }
    }

    /**
     * Copies {@code length} bytes from {@code remoteAddress} in process {@code pid} into local memory.
     *
     * @param pid           the other process.
     * @param local         local destination memory (native).
     * @param localOffset   where in {@code local}.
     * @param remoteAddress the first byte in the other process.
     * @param length        bytes.
     * @return 0 when every byte was copied, else the negative errno ({@link #EPERM}, {@link #ESRCH},
     *         {@link #EFAULT}, ...).
     */
    public int read(
        final long pid, final MemorySegment local, final long localOffset, final long remoteAddress, final long length)
    {
        return transfer(NATIVES.readv, pid, local.address() + localOffset, remoteAddress, length);
    }

    /**
     * Copies {@code length} bytes of local memory to {@code remoteAddress} in process {@code pid}.
     *
     * @return 0 when every byte was copied, else the negative errno.
     * @see #read
     */
    public int write(
        final long pid, final MemorySegment local, final long localOffset, final long remoteAddress, final long length)
    {
        return transfer(NATIVES.writev, pid, local.address() + localOffset, remoteAddress, length);
    }

    /**
     * @return bytes this copier moved.
     */
    public long bytesCopied()
    {
        return bytesCopied;
    }

    /**
     * @return completed copies (each of any length).
     */
    public long operations()
    {
        return operations;
    }

    /**
     * @param errno an errno value (positive or negative).
     * @return its symbolic name and meaning for messages.
     */
    public static String describeErrno(final int errno)
    {
        return switch (Math.abs(errno))
        {
            case EPERM -> "EPERM (not permitted to attach to the process: Yama ptrace_scope, a container's " +
                "seccomp filter, or another user)";
            case ESRCH -> "ESRCH (no such process)";
            case EFAULT -> "EFAULT (the span is not mapped)";
            case ENOSYS -> "ENOSYS (the kernel or a seccomp filter does not provide process_vm_readv)";
            default -> "errno " + Math.abs(errno);
        };
    }

    @Override
    public void close()
    {
        arena.close();
    }

    private int transfer(
        final MethodHandle call, final long pid, final long localAddress, final long remoteAddress, final long length)
    {
        long done = 0;
        while (done < length)
        {
            IOV_BASE.set(localIov, 0L, localAddress + done);
            IOV_LEN.set(localIov, 0L, length - done);
            IOV_BASE.set(remoteIov, 0L, remoteAddress + done);
            IOV_LEN.set(remoteIov, 0L, length - done);
            final long copied;
            try
            {
                copied = (long)call.invokeExact(callState, (int)pid, localIov, 1L, remoteIov, 1L, 0L);
            }
            catch (final Throwable ex)
            {
                return -ENOSYS;
            }
            if (copied <= 0)
            {
                final int errno = copied < 0 ? (int)ERRNO.get(callState, 0L) : EFAULT;
                return -(0 == errno ? EFAULT : errno);
            }
            done += copied;
        }
        bytesCopied += length;
        operations++;
        return 0;
    }

    private static Availability probe()
    {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"))
        {
            return new Availability(false, "cross-memory attach needs Linux (this is " +
                System.getProperty("os.name") + ")");
        }
        if (null == NATIVES.readv || null == NATIVES.writev)
        {
            return new Availability(false, "process_vm_readv/process_vm_writev not found in the C library: " +
                NATIVES.failure);
        }
        try (CrossMemoryAttach copier = new CrossMemoryAttach(); Arena probe = Arena.ofConfined())
        {
            final MemorySegment source = probe.allocate(64);
            final MemorySegment target = probe.allocate(64);
            source.fill((byte)0x5A);
            final int status = copier.read(ProcessHandle.current().pid(), target, 0, source.address(), 64);
            if (0 != status || target.mismatch(source) >= 0)
            {
                return new Availability(false, "process_vm_readv within this process failed: " +
                    describeErrno(status) + "; large same-host messages are copied twice instead");
            }
        }
        return new Availability(true, "process_vm_readv/process_vm_writev work");
    }

    /**
     * The libc entry points, looked up once; null handles when missing.
     */
    private static final class Natives
    {
        final MethodHandle readv;
        final MethodHandle writev;
        final MethodHandle prctl;
        final String failure;

        private Natives(final MethodHandle readv, final MethodHandle writev, final MethodHandle prctl,
            final String failure)
        {
            this.readv = readv;
            this.writev = writev;
            this.prctl = prctl;
            this.failure = failure;
        }

        static Natives load()
        {
            try
            {
                final Linker linker = Linker.nativeLinker();
                final SymbolLookup libc = linker.defaultLookup();
                final FunctionDescriptor transfer = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG);
                final Linker.Option errno = Linker.Option.captureCallState("errno");
                final MethodHandle readv = libc.find("process_vm_readv")
                    .map(symbol -> linker.downcallHandle(symbol, transfer, errno)).orElse(null);
                final MethodHandle writev = libc.find("process_vm_writev")
                    .map(symbol -> linker.downcallHandle(symbol, transfer, errno)).orElse(null);
                final MethodHandle prctl = libc.find("prctl").map(symbol -> linker.downcallHandle(symbol,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                    Linker.Option.firstVariadicArg(1))).orElse(null);
                return new Natives(readv, writev, prctl, null == readv ? "symbol missing" : null);
            }
            catch (final RuntimeException | LinkageError ex)
            {
                return new Natives(null, null, null, ex.toString());
            }
        }
    }
}
