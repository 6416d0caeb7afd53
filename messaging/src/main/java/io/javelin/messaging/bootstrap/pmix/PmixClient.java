package io.javelin.messaging.bootstrap.pmix;

import io.javelin.messaging.bootstrap.BootstrapConfiguration;
import io.javelin.messaging.bootstrap.BootstrapException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * An initialised PMIx client: the few calls a bootstrap needs, marshalled through {@link PmixLayouts}.
 *
 * <p>Time limits: PMIx servers may ignore {@code PMIX_TIMEOUT} (Open MPI 4.1's does on fences), and a native
 * call cannot be interrupted. So every call runs on one daemon thread owned by this client, and the caller waits
 * for it with a limit; a call that does not return leaves that thread behind and marks the client unusable.
 * Not thread-safe, except {@link #abort(int, String, long)}, which any thread may call at any time.
 */
final class PmixClient implements AutoCloseable
{
    /** How long past its own {@code PMIX_TIMEOUT} a caller waits for the server to report a time-out. */
    static final long SERVER_REPLY_GRACE_MS = 5_000;
    /** Limit of {@code PMIx_Finalize}. */
    static final long FINALIZE_LIMIT_MS = 10_000;

    private final ExecutorService caller;
    private final String namespace;
    private final int rank;
    private volatile String stuckCall;
    private boolean closed;

    private PmixClient(final ExecutorService caller, final String namespace, final int rank)
    {
        this.caller = caller;
        this.namespace = namespace;
        this.rank = rank;
    }

    /**
     * Calls {@code PMIx_Init}.
     *
     * @param limitMs how long to wait for the local PMIx server.
     * @return the client.
     * @throws PmixException when PMIx_Init fails or does not return in time.
     */
    static PmixClient init(final long limitMs)
    {
        final ExecutorService caller = Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "javelin-pmix");
            thread.setDaemon(true);
            return thread;
        });
        try
        {
            final Object[] identity = callOn(caller, "PMIx_Init", limitMs, () ->
            {
                try (Arena arena = Arena.ofConfined())
                {
                    final MemorySegment proc = arena.allocate(PmixLayouts.PROC);
                    check("PMIx_Init", (int)PmixLibrary.Calls.INIT.invokeExact(proc, MemorySegment.NULL, 0L));
                    return new Object[]{proc.getString(0), proc.get(JAVA_INT, PmixLayouts.PROC_RANK_OFFSET)};
                }
            }, () -> { });
            return new PmixClient(caller, (String)identity[0], (Integer)identity[1]);
        }
        catch (final RuntimeException ex)
        {
            caller.shutdownNow();
            throw ex;
        }
    }

    /**
     * @return this process's namespace (the job).
     */
    String namespace()
    {
        return namespace;
    }

    /**
     * @return this process's rank in its namespace.
     */
    int rank()
    {
        return rank;
    }

    /**
     * Reads a job-level unsigned integer ({@code PMIX_RANK_WILDCARD}).
     *
     * @param key      the attribute, e.g. {@link PmixLayouts#JOB_SIZE}.
     * @param optional look only in the job data this client received at init (for attributes servers may lack).
     * @param limitMs  time limit.
     * @return the value, or -1 when the server does not provide it.
     */
    long getJobUint32(final String key, final boolean optional, final long limitMs)
    {
        final Object value = get(PmixLayouts.RANK_WILDCARD, key, optional, limitMs);
        return switch (value)
        {
            case null -> -1;
            case Long number -> number;
            default -> throw new PmixException("PMIx_Get(" + key + ") returned " + value.getClass().getSimpleName() +
                ", not an unsigned integer: is the PMIx server a different version than " + PmixLibrary.SONAME + "?",
                PmixLayouts.ERR_NOT_FOUND);
        };
    }

    /**
     * Reads a job-level string ({@code PMIX_RANK_WILDCARD}).
     *
     * @param key     the attribute, e.g. {@link PmixLayouts#LOCAL_PEERS}.
     * @param limitMs time limit.
     * @return the value, or null when this client did not receive it at init or it is not a string.
     */
    String getOptionalJobString(final String key, final long limitMs)
    {
        return get(PmixLayouts.RANK_WILDCARD, key, true, limitMs) instanceof String text ? text : null;
    }

    /**
     * Reads bytes another rank put.
     *
     * @param owner    the rank that put them.
     * @param key      the key.
     * @param optional look only in data this client already holds (after a fence that collected data).
     * @param limitMs  time limit.
     * @return the bytes, or null when the owner did not put that key.
     */
    byte[] getBytes(final int owner, final String key, final boolean optional, final long limitMs)
    {
        final Object value = get(owner, key, optional, limitMs);
        return switch (value)
        {
            case null -> null;
            case byte[] bytes -> bytes;
            default -> throw new PmixException("PMIx_Get(" + key + ") of rank " + owner + " returned a " +
                value.getClass().getSimpleName() + ", not bytes: was it put by something other than Javelin?",
                PmixLayouts.ERR_NOT_FOUND);
        };
    }

    /**
     * {@code PMIx_Put} with global scope; PMIx copies the value.
     *
     * @param key     the key, at most {@code PMIX_MAX_KEYLEN} bytes.
     * @param value   the bytes.
     * @param limitMs time limit.
     */
    void put(final String key, final byte[] value, final long limitMs)
    {
        call("PMIx_Put(" + key + ")", limitMs, () ->
        {
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment val = arena.allocate(PmixLayouts.VALUE);
                val.set(JAVA_SHORT, 0, PmixLayouts.TYPE_BYTE_OBJECT);
                final MemorySegment bytes = arena.allocate(Math.max(1, value.length));
                MemorySegment.copy(value, 0, bytes, JAVA_BYTE, 0, value.length);
                val.set(ADDRESS, PmixLayouts.VALUE_DATA_OFFSET, bytes);
                val.set(JAVA_LONG, PmixLayouts.VALUE_DATA_OFFSET + PmixLayouts.BYTE_OBJECT_SIZE_OFFSET, value.length);
                check("PMIx_Put(" + key + ")", (int)PmixLibrary.Calls.PUT.invokeExact(
                    PmixLayouts.SCOPE_GLOBAL, cString(arena, key), val));
                return null;
            }
        });
    }

    /**
     * {@code PMIx_Commit}: hands what was put to the local server.
     *
     * @param limitMs time limit.
     */
    void commit(final long limitMs)
    {
        call("PMIx_Commit", limitMs, () ->
        {
            check("PMIx_Commit", (int)PmixLibrary.Calls.COMMIT.invokeExact());
            return null;
        });
    }

    /**
     * {@code PMIx_Fence} over every process of this namespace, collecting the data they put.
     *
     * @param limitMs time limit (passed to the server as {@code PMIX_TIMEOUT} too).
     */
    void fence(final long limitMs)
    {
        call("PMIx_Fence", limitMs + SERVER_REPLY_GRACE_MS, () ->
        {
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment info = arena.allocate(PmixLayouts.INFO, 2);
                setBool(info, 0, PmixLayouts.COLLECT_DATA, true);
                setInt(info, 1, PmixLayouts.TIMEOUT, seconds(limitMs));
                check("PMIx_Fence", (int)PmixLibrary.Calls.FENCE.invokeExact(MemorySegment.NULL, 0L, info, 2L));
                return null;
            }
        });
    }

    /**
     * {@code PMIx_Abort} of this namespace: best effort, never throws. The server may kill this process during the
     * call (Slurm) or only once it exits (Open MPI's mpirun): the caller exits after this returns.
     *
     * @param status  the exit status the job should report.
     * @param message what happened, for the launcher's output.
     * @param limitMs how long to wait for the server's acknowledgement.
     * @return null when the server acknowledged, else why not.
     */
    String abort(final int status, final String message, final long limitMs)
    {
        final ExecutorService aborter = Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "javelin-pmix-abort");
            thread.setDaemon(true);
            return thread;
        });
        try
        {
            callOn(aborter, "PMIx_Abort", limitMs, () ->
            {
                try (Arena arena = Arena.ofConfined())
                {
                    check("PMIx_Abort", (int)PmixLibrary.Calls.ABORT.invokeExact(status, cString(arena, message),
                        MemorySegment.NULL, 0L));
                    return null;
                }
            }, () -> { });
            return null;
        }
        catch (final RuntimeException ex)
        {
            return ex.getMessage();
        }
        finally
        {
            aborter.shutdown();
        }
    }

    /**
     * {@code PMIx_Finalize}, unless a call never returned (the server is gone or wedged). Idempotent.
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
            if (null == stuckCall)
            {
                call("PMIx_Finalize", FINALIZE_LIMIT_MS, () ->
                {
                    check("PMIx_Finalize", (int)PmixLibrary.Calls.FINALIZE.invokeExact(MemorySegment.NULL, 0L));
                    return null;
                });
            }
        }
        finally
        {
            caller.shutdown();
        }
    }

    /**
     * Skips {@code PMIx_Finalize} at {@link #close()}: after an abort the server may no longer answer.
     */
    void skipFinalize()
    {
        if (null == stuckCall)
        {
            stuckCall = "PMIx_Abort";
        }
    }

    private Object get(final int owner, final String key, final boolean optional, final long limitMs)
    {
        final String what = "PMIx_Get(" + key + ")";
        return call(what, limitMs + SERVER_REPLY_GRACE_MS, () ->
        {
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment proc = arena.allocate(PmixLayouts.PROC);
                proc.setString(0, namespace);
                proc.set(JAVA_INT, PmixLayouts.PROC_RANK_OFFSET, owner);
                final MemorySegment info = arena.allocate(PmixLayouts.INFO, 2);
                setInt(info, 0, PmixLayouts.TIMEOUT, seconds(limitMs));
                setBool(info, 1, PmixLayouts.OPTIONAL, optional);
                final MemorySegment result = arena.allocate(ADDRESS);
                final int status = (int)PmixLibrary.Calls.GET.invokeExact(proc, cString(arena, key), info, 2L, result);
                if (status == PmixLayouts.ERR_NOT_FOUND)
                {
                    return null;
                }
                check(what, status);
                return readAndFree(result.get(ADDRESS, 0).reinterpret(PmixLayouts.VALUE.byteSize()));
            }
        });
    }

    private static Object readAndFree(final MemorySegment value) throws Throwable
    {
        try
        {
            final short type = value.get(JAVA_SHORT, 0);
            final long data = PmixLayouts.VALUE_DATA_OFFSET;
            return switch (type)
            {
                case PmixLayouts.TYPE_UINT32 -> Integer.toUnsignedLong(value.get(JAVA_INT, data));
                case PmixLayouts.TYPE_INT -> (long)value.get(JAVA_INT, data);
                case PmixLayouts.TYPE_STRING -> stringAt(value.get(ADDRESS, data));
                case PmixLayouts.TYPE_BYTE_OBJECT ->
                {
                    final long size = value.get(JAVA_LONG, data + PmixLayouts.BYTE_OBJECT_SIZE_OFFSET);
                    if (size < 0 || size > Integer.MAX_VALUE - 8)
                    {
                        throw new PmixException("PMIx_Get returned " + size + " bytes", PmixLayouts.ERR_NOT_FOUND);
                    }
                    yield value.get(ADDRESS, data).reinterpret(size).toArray(JAVA_BYTE);
                }
                default -> new OtherType(type);
            };
        }
        finally
        {
            if (null != PmixLibrary.Calls.VALUE_DESTRUCT)
            {
                PmixLibrary.Calls.VALUE_DESTRUCT.invokeExact(value);
                PmixLibrary.Calls.FREE.invokeExact(value);
            }
        }
    }

    private <T> T call(final String what, final long limitMs, final NativeCall<T> body)
    {
        final String stuck = stuckCall;
        if (null != stuck)
        {
            throw new PmixException(what + ": not called because " + stuck + " of rank " + rank +
                " never returned (the PMIx server is gone or wedged)", PmixLayouts.ERR_TIMEOUT);
        }
        return callOn(caller, what, limitMs, body, () -> stuckCall = what);
    }

    private static <T> T callOn(final ExecutorService executor, final String what, final long limitMs,
        final NativeCall<T> body, final Runnable onNoReturn)
    {
        final Callable<T> task = () ->
        {
            try
            {
                return body.call();
            }
            catch (final RuntimeException | Error ex)
            {
                throw ex;
            }
            catch (final Throwable ex)
            {
                throw new IllegalStateException(ex);
            }
        };
        final Future<T> future = executor.submit(task);
        try
        {
            return future.get(limitMs, TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException ex)
        {
            future.cancel(true);
            onNoReturn.run();
            throw new PmixException(what + " did not return within " + BootstrapConfiguration.formatSeconds(limitMs),
                PmixLayouts.ERR_TIMEOUT);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof RuntimeException runtime)
            {
                throw runtime;
            }
            if (ex.getCause() instanceof Error error)
            {
                throw error;
            }
            throw new BootstrapException(what + " failed: " + ex.getCause(), ex.getCause());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new BootstrapException(what + ": interrupted while waiting for the PMIx server", ex);
        }
    }

    private static void check(final String what, final int status)
    {
        if (status != PmixLayouts.SUCCESS)
        {
            throw new PmixException(what + " returned " + statusText(status), status);
        }
    }

    /**
     * @param status a PMIx status code.
     * @return e.g. {@code "PMIX_ERR_TIMEOUT (-24)"} as PMIx_Error_string names it.
     */
    static String statusText(final int status)
    {
        try
        {
            final MemorySegment text = (MemorySegment)PmixLibrary.Calls.ERROR_STRING.invokeExact(status);
            return stringAt(text) + " (" + status + ")";
        }
        catch (final Throwable ex)
        {
            return "PMIx status " + status;
        }
    }

    private static String stringAt(final MemorySegment pointer)
    {
        return MemorySegment.NULL.equals(pointer) ? null : pointer.reinterpret(Integer.MAX_VALUE).getString(0);
    }

    private static MemorySegment cString(final Arena arena, final String text)
    {
        return arena.allocateFrom(text, StandardCharsets.UTF_8);
    }

    private static void setKey(final MemorySegment infos, final long index, final String key)
    {
        infos.asSlice(index * PmixLayouts.INFO.byteSize()).setString(0, key);
    }

    private static void setBool(final MemorySegment infos, final long index, final String key, final boolean value)
    {
        setKey(infos, index, key);
        final long base = index * PmixLayouts.INFO.byteSize() + PmixLayouts.INFO_VALUE_OFFSET;
        infos.set(JAVA_SHORT, base, PmixLayouts.TYPE_BOOL);
        infos.set(JAVA_BYTE, base + PmixLayouts.VALUE_DATA_OFFSET, (byte)(value ? 1 : 0));
    }

    private static void setInt(final MemorySegment infos, final long index, final String key, final int value)
    {
        setKey(infos, index, key);
        final long base = index * PmixLayouts.INFO.byteSize() + PmixLayouts.INFO_VALUE_OFFSET;
        infos.set(JAVA_SHORT, base, PmixLayouts.TYPE_INT);
        infos.set(JAVA_INT, base + PmixLayouts.VALUE_DATA_OFFSET, value);
    }

    private static int seconds(final long millis)
    {
        return (int)Math.min(Integer.MAX_VALUE, Math.max(1, (millis + 999) / 1000));
    }

    /** A value of a type this client does not read. */
    private record OtherType(short type)
    {
    }

    /** A body of native calls; downcall handles throw Throwable. */
    @FunctionalInterface
    private interface NativeCall<T>
    {
        T call() throws Throwable;
    }
}
