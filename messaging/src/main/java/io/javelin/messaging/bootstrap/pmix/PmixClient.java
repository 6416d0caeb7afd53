package io.javelin.messaging.bootstrap.pmix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.javelin.messaging.bootstrap.pmix.PmixValues.cString;
import static io.javelin.messaging.bootstrap.pmix.PmixValues.check;
import static io.javelin.messaging.bootstrap.pmix.PmixValues.seconds;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * An initialised PMIx client: the few calls a bootstrap needs. Every call runs through a {@link PmixCaller}, so
 * none waits longer than its limit. Not thread-safe, except {@link #abort(int, String, long)}, which any thread
 * may call at any time (on a thread of its own: the caller's may be stuck).
 */
final class PmixClient implements AutoCloseable
{
    /** How long past its own {@code PMIX_TIMEOUT} a caller waits for the server to report a time-out. */
    static final long SERVER_REPLY_GRACE_MS = 5_000;
    /** Limit of {@code PMIx_Finalize}. */
    static final long FINALIZE_LIMIT_MS = 10_000;

    private final PmixCaller caller;
    private final String namespace;
    private final int rank;
    private boolean closed;

    private PmixClient(final PmixCaller caller, final String namespace, final int rank)
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
        final PmixCaller caller = new PmixCaller("javelin-pmix");
        try
        {
            final Object[] identity = caller.call("PMIx_Init", limitMs, () ->
            {
                try (Arena arena = Arena.ofConfined())
                {
                    final MemorySegment proc = arena.allocate(PmixLayouts.PROC);
                    check("PMIx_Init", (int)PmixLibrary.Calls.INIT.invokeExact(proc, MemorySegment.NULL, 0L));
                    return new Object[]{proc.getString(0), proc.get(JAVA_INT, PmixLayouts.PROC_RANK_OFFSET)};
                }
            });
            return new PmixClient(caller, (String)identity[0], (Integer)identity[1]);
        }
        catch (final RuntimeException ex)
        {
            caller.close();
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
            default -> throw new PmixException("PMIx_Get(" + key + ") returned " + value + ", not an unsigned " +
                "integer: is the PMIx server a different version than " + PmixLibrary.SONAME + "?",
                PmixLayouts.ERR_NOT_FOUND);
        };
    }

    /**
     * Reads a job-level string ({@code PMIX_RANK_WILDCARD}) from the job data this client received at init.
     *
     * @param key     the attribute, e.g. {@link PmixLayouts#LOCAL_PEERS}.
     * @param limitMs time limit.
     * @return the value, or null when this client did not receive it or it is not a string.
     */
    String getOptionalJobString(final String key, final long limitMs)
    {
        return get(PmixLayouts.RANK_WILDCARD, key, true, limitMs) instanceof String text ? text : null;
    }

    /**
     * Reads bytes a rank put.
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
            default -> throw new PmixException("PMIx_Get(" + key + ") of rank " + owner + " returned " + value +
                ", not bytes: was it put by something other than Javelin?", PmixLayouts.ERR_NOT_FOUND);
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
        final String what = "PMIx_Put(" + key + ")";
        caller.call(what, limitMs, () ->
        {
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment val = arena.allocate(PmixLayouts.VALUE);
                val.set(JAVA_SHORT, 0, PmixLayouts.TYPE_BYTE_OBJECT);
                final MemorySegment bytes = arena.allocate(Math.max(1, value.length));
                MemorySegment.copy(value, 0, bytes, JAVA_BYTE, 0, value.length);
                val.set(ADDRESS, PmixLayouts.VALUE_DATA_OFFSET, bytes);
                val.set(JAVA_LONG, PmixLayouts.VALUE_DATA_OFFSET + PmixLayouts.BYTE_OBJECT_SIZE_OFFSET, value.length);
                check(what, (int)PmixLibrary.Calls.PUT.invokeExact(PmixLayouts.SCOPE_GLOBAL, cString(arena, key), val));
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
        caller.call("PMIx_Commit", limitMs, () ->
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
        caller.call("PMIx_Fence", limitMs + SERVER_REPLY_GRACE_MS, () ->
        {
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment info = arena.allocate(PmixLayouts.INFO, 2);
                PmixValues.setBool(info, 0, PmixLayouts.COLLECT_DATA, true);
                PmixValues.setInt(info, 1, PmixLayouts.TIMEOUT, seconds(limitMs));
                check("PMIx_Fence", (int)PmixLibrary.Calls.FENCE.invokeExact(MemorySegment.NULL, 0L, info, 2L));
                return null;
            }
        });
    }

    /**
     * {@code PMIx_Abort} of this namespace: best effort, never throws. The server may kill this process during the
     * call (Slurm) or only once it exits (Open MPI's mpirun): the caller exits after this returns. Later calls
     * fail at once and {@link #close()} skips {@code PMIx_Finalize}.
     *
     * @param status  the exit status the job should report.
     * @param message what happened, for the launcher.
     * @param limitMs how long to wait for the server's acknowledgement.
     * @return null when the server acknowledged, else why not.
     */
    String abort(final int status, final String message, final long limitMs)
    {
        caller.markUnusable("this rank aborted the job");
        try (PmixCaller aborter = new PmixCaller("javelin-pmix-abort"))
        {
            aborter.call("PMIx_Abort", limitMs, () ->
            {
                try (Arena arena = Arena.ofConfined())
                {
                    check("PMIx_Abort", (int)PmixLibrary.Calls.ABORT.invokeExact(status, cString(arena, message),
                        MemorySegment.NULL, 0L));
                    return null;
                }
            });
            return null;
        }
        catch (final RuntimeException ex)
        {
            return ex.getMessage();
        }
    }

    /**
     * {@code PMIx_Finalize}, unless a call never returned or this rank aborted. Idempotent.
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
            if (caller.usable())
            {
                caller.call("PMIx_Finalize", FINALIZE_LIMIT_MS, () ->
                {
                    check("PMIx_Finalize", (int)PmixLibrary.Calls.FINALIZE.invokeExact(MemorySegment.NULL, 0L));
                    return null;
                });
            }
        }
        finally
        {
            caller.close();
        }
    }

    private Object get(final int owner, final String key, final boolean optional, final long limitMs)
    {
        final String what = "PMIx_Get(" + key + ")";
        return caller.call(what, limitMs + SERVER_REPLY_GRACE_MS, () ->
        {
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment proc = arena.allocate(PmixLayouts.PROC);
                proc.setString(0, namespace);
                proc.set(JAVA_INT, PmixLayouts.PROC_RANK_OFFSET, owner);
                final MemorySegment info = arena.allocate(PmixLayouts.INFO, 2);
                PmixValues.setInt(info, 0, PmixLayouts.TIMEOUT, seconds(limitMs));
                PmixValues.setBool(info, 1, PmixLayouts.OPTIONAL, optional);
                final MemorySegment result = arena.allocate(ADDRESS);
                final int status = (int)PmixLibrary.Calls.GET.invokeExact(proc, cString(arena, key), info, 2L, result);
                if (status == PmixLayouts.ERR_NOT_FOUND)
                {
                    return null;
                }
                check(what, status);
                return PmixValues.readAndFree(result.get(ADDRESS, 0).reinterpret(PmixLayouts.VALUE.byteSize()));
            }
        });
    }
}
