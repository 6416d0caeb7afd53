package io.javelin.messaging.bootstrap.pmix;

import io.javelin.messaging.bootstrap.Bootstrap;
import io.javelin.messaging.bootstrap.BootstrapConfiguration;
import io.javelin.messaging.bootstrap.BootstrapException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;

/**
 * The bootstrap of a rank started by a PMIx launcher (Open MPI's {@code mpirun}, Slurm's {@code srun --mpi=pmix}):
 * a PMIx client of the launcher's local server, with no Javelin daemon.
 *
 * <p>Mapping: {@link #put} is {@code PMIx_Put} (global scope), {@link #fence} is {@code PMIx_Commit} then
 * {@code PMIx_Fence} over the namespace with {@code PMIX_COLLECT_DATA}, {@link #get} is {@code PMIx_Get} from
 * the key's owner: keys follow the convention {@code name.rank}; a key without a rank suffix is looked for in
 * the data of every rank. After a fence values are read from the data it collected (a missing key is reported at
 * once); with a server that does not collect, from the owner on request. The job secret is drawn by rank 0 and
 * exchanged by one fence when joining, so it is known before the transport starts. Job size comes from
 * {@code PMIX_JOB_SIZE}, ranks on this host from {@code PMIX_LOCAL_SIZE}, else {@code PMIX_LOCAL_PEERS}, else
 * (a server that provides neither) the job size, which makes waiting ranks yield rather than spin.
 *
 * <p>Not thread-safe: one rank uses it from one thread, except {@link #abort(int, String)}, which any thread
 * may call. Every wait has the limit {@link BootstrapConfiguration#timeoutMs()}.
 */
public final class PmixBootstrap implements Bootstrap
{
    /** The key under which rank 0 publishes the job secret when joining. */
    static final String JOB_SECRET_KEY = "javelin.job.secret";
    /** Prefix of the marker every rank publishes when joining. */
    static final String JOINED_KEY = "javelin.joined.";
    /** Limit of PMIx_Abort's acknowledgement. */
    static final long ABORT_LIMIT_MS = 10_000;

    private final PmixClient client;
    private final int size;
    private final int localSize;
    private final long timeoutMs;
    private long jobSecret;
    private boolean fencedDataIsLocal = true;
    private volatile boolean aborted;
    private boolean closed;

    private PmixBootstrap(final PmixClient client, final int size, final int localSize, final long timeoutMs)
    {
        this.client = client;
        this.size = size;
        this.localSize = localSize;
        this.timeoutMs = timeoutMs;
    }

    /**
     * @return null when {@code libpmix.so.2} can be loaded, else why not and the fix.
     */
    public static String unavailableReason()
    {
        return PmixLibrary.unavailableReason();
    }

    /**
     * Joins the job of this process's PMIx server: {@code PMIx_Init}, job size, ranks on this host, and the job
     * secret (one fence). A rank that fails after {@code PMIx_Init} aborts the job, so that the others do not
     * wait for it until their time limit.
     *
     * @param environment the process environment, for messages (libpmix reads the real one).
     * @return the bootstrap.
     * @throws BootstrapException when libpmix is missing, the server cannot be reached, or the exchange fails.
     */
    public static PmixBootstrap join(final Map<String, String> environment)
    {
        final String where = "rank " + environment.getOrDefault("PMIX_RANK", "?") + " of PMIx namespace " +
            environment.getOrDefault("PMIX_NAMESPACE", "?");
        final String missing = unavailableReason();
        if (null != missing)
        {
            throw new BootstrapException("this process was started by a PMIx launcher (" + where + ") but " +
                missing);
        }
        final long timeoutMs = BootstrapConfiguration.timeoutMs();
        final PmixClient client;
        try
        {
            client = PmixClient.init(timeoutMs);
        }
        catch (final BootstrapException ex)
        {
            throw new BootstrapException("joining the PMIx job (" + where + "): " + ex.getMessage() + ": is the " +
                "launcher (mpirun, srun --mpi=pmix) still running, and is its PMIx version one libpmix " +
                PmixLibrary.SONAME + " can talk to?", ex);
        }
        try
        {
            final int size = jobSize(client, timeoutMs);
            final PmixBootstrap bootstrap = new PmixBootstrap(client, size, localSize(client, size, timeoutMs),
                timeoutMs);
            bootstrap.exchangeJobSecret();
            return bootstrap;
        }
        catch (final RuntimeException ex)
        {
            final String reason = "rank " + client.rank() + " could not join the PMIx job: " + ex.getMessage();
            client.abort(1, reason, ABORT_LIMIT_MS);
            client.close();
            throw ex instanceof BootstrapException ? ex : new BootstrapException(reason, ex);
        }
    }

    private static int jobSize(final PmixClient client, final long timeoutMs)
    {
        final long size = client.getJobUint32(PmixLayouts.JOB_SIZE, false, timeoutMs);
        if (size < 1 || size > Integer.MAX_VALUE || client.rank() < 0 || client.rank() >= size)
        {
            throw new BootstrapException("the PMIx server of namespace " + client.namespace() + " gives rank " +
                Integer.toUnsignedString(client.rank()) + " and job size " + size + " (" + PmixLayouts.JOB_SIZE +
                "): Javelin needs a job size above the rank; check the launcher's PMIx support");
        }
        return (int)size;
    }

    private static int localSize(final PmixClient client, final int size, final long timeoutMs)
    {
        final long localSize = client.getJobUint32(PmixLayouts.LOCAL_SIZE, true, timeoutMs);
        if (localSize >= 1 && localSize <= size)
        {
            return (int)localSize;
        }
        final String peers = client.getOptionalJobString(PmixLayouts.LOCAL_PEERS, timeoutMs);
        if (null != peers && !peers.isBlank())
        {
            return Math.min(size, peers.split(",").length);
        }
        return size;
    }

    /**
     * The joining fence: rank 0 publishes the job secret, every rank a marker; a rank then reads its right
     * neighbour's marker from local data only, to learn whether this server hands out all data at a fence (it
     * should, as asked by {@code PMIX_COLLECT_DATA}) or only on request, and reads every later key accordingly.
     */
    private void exchangeJobSecret()
    {
        final int rank = rank();
        if (rank == 0)
        {
            jobSecret = new SecureRandom().nextLong();
            put(JOB_SECRET_KEY, ByteBuffer.allocate(Long.BYTES).putLong(jobSecret).array());
        }
        put(JOINED_KEY + rank, new byte[]{1});
        fence("joining (job secret from rank 0)");
        final int neighbour = (rank + 1) % size;
        if (null == client.getBytes(neighbour, JOINED_KEY + neighbour, true, timeoutMs))
        {
            fencedDataIsLocal = false;
            if (null == client.getBytes(neighbour, JOINED_KEY + neighbour, false, timeoutMs))
            {
                throw new BootstrapException("rank " + neighbour + " of PMIx namespace " + client.namespace() +
                    " passed the joining fence without its marker: was it started with another Javelin version?");
            }
        }
        if (rank != 0)
        {
            final byte[] secret = client.getBytes(0, JOB_SECRET_KEY, fencedDataIsLocal, timeoutMs);
            if (null == secret || secret.length != Long.BYTES)
            {
                throw new BootstrapException("rank 0 of PMIx namespace " + client.namespace() + " did not publish " +
                    "the job secret: was it started with another Javelin version?");
            }
            jobSecret = ByteBuffer.wrap(secret).getLong();
        }
    }

    @Override
    public int rank()
    {
        return client.rank();
    }

    @Override
    public int size()
    {
        return size;
    }

    @Override
    public long jobSecret()
    {
        return jobSecret;
    }

    @Override
    public int localSize()
    {
        return localSize;
    }

    @Override
    public String kind()
    {
        return "pmix";
    }

    /**
     * @return the PMIx namespace: the job's name for the launcher.
     */
    public String namespace()
    {
        return client.namespace();
    }

    @Override
    public void put(final String key, final byte[] value)
    {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        ensureOpen();
        if (key.getBytes(StandardCharsets.UTF_8).length >= PmixLayouts.KEY_BYTES || key.startsWith("pmix."))
        {
            throw new BootstrapException("bootstrap key '" + key + "' is longer than " + (PmixLayouts.KEY_BYTES - 1) +
                " bytes or starts with 'pmix.', which PMIx reserves: choose another key");
        }
        try
        {
            client.put(key, value, timeoutMs);
        }
        catch (final BootstrapException ex)
        {
            throw new BootstrapException("put '" + key + "': " + ex.getMessage() + " (" + this + ")", ex);
        }
    }

    @Override
    public void fence()
    {
        ensureOpen();
        fence("fence");
    }

    private void fence(final String what)
    {
        try
        {
            client.commit(timeoutMs);
            client.fence(timeoutMs);
        }
        catch (final PmixException ex)
        {
            final String why = switch (ex.status())
            {
                case PmixLayouts.ERR_TIMEOUT -> "not every one of the " + size + " ranks arrived within " +
                    BootstrapConfiguration.formatSeconds(timeoutMs) + " (PMIx does not say which are missing): " +
                    "check that every rank calls Javelin.init and none is stuck (raise -D" +
                    BootstrapConfiguration.TIMEOUT_PROP_NAME + "=<seconds> if ranks start slowly)";
                case PmixLayouts.ERR_PARTIAL_SUCCESS, PmixLayouts.ERR_LOST_CONNECTION, PmixLayouts.ERR_UNREACH ->
                    "a rank of the job aborted or exited before reaching the fence (see its output)";
                default -> "the PMIx server refused the fence";
            };
            throw new BootstrapException(what + ": rank " + rank() + " waited for all " + size + " ranks of PMIx " +
                "namespace " + client.namespace() + ": " + why + " [" + ex.getMessage() + "]", ex);
        }
    }

    @Override
    public byte[] get(final String key)
    {
        Objects.requireNonNull(key, "key");
        ensureOpen();
        final int owner = ownerOf(key);
        try
        {
            if (owner >= 0)
            {
                final byte[] value = client.getBytes(owner, key, fencedDataIsLocal, timeoutMs);
                if (null != value)
                {
                    return value;
                }
            }
            else
            {
                for (int rank = 0; rank < size; rank++)
                {
                    final byte[] value = client.getBytes(rank, key, fencedDataIsLocal, timeoutMs);
                    if (null != value)
                    {
                        return value;
                    }
                }
            }
        }
        catch (final PmixException ex)
        {
            if (ex.status() == PmixLayouts.ERR_TIMEOUT)
            {
                final String who = owner >= 0 ? "rank " + owner + " did not publish" : "no rank published";
                throw new BootstrapException("get '" + key + "': " + who + " it within " +
                    BootstrapConfiguration.formatSeconds(timeoutMs) + " (" + this + "): check the key and that its " +
                    "owner put it before calling fence [" + ex.getMessage() + "]", ex);
            }
            throw new BootstrapException("get '" + key + "' from " + (owner >= 0 ? "rank " + owner : "any rank") +
                ": " + ex.getMessage() + " (" + this + ")", ex);
        }
        throw new BootstrapException("no rank published bootstrap key '" + key + "' before the last fence (looked " +
            "at " + (owner >= 0 ? "rank " + owner + ", the owner its suffix names" : "every rank") + ", " + this +
            "): check the key and that its owner put it before calling fence");
    }

    /**
     * @param key a key.
     * @return the rank its {@code .rank} suffix names, or -1 when it has none in 0 .. size - 1.
     */
    int ownerOf(final String key)
    {
        final int dot = key.lastIndexOf('.');
        if (dot < 0 || dot == key.length() - 1 || key.length() - dot > 11)
        {
            return -1;
        }
        for (int i = dot + 1; i < key.length(); i++)
        {
            if (!Character.isDigit(key.charAt(i)))
            {
                return -1;
            }
        }
        final long rank = Long.parseLong(key.substring(dot + 1));
        return rank < size ? (int)rank : -1;
    }

    /**
     * Prints the reason on this rank's standard error (mpirun does not print PMIx_Abort's message), then calls
     * {@code PMIx_Abort}. The caller exits afterwards: Slurm kills the job during the call, Open MPI's mpirun
     * once this process has exited. Never throws; waits at most {@link #ABORT_LIMIT_MS}.
     */
    @Override
    public void abort(final int exitCode, final String reason)
    {
        if (aborted || closed)
        {
            return;
        }
        aborted = true;
        final String message = "rank " + rank() + " aborted the job with exit code " + exitCode + ": " + reason;
        System.err.println("javelin: " + message);
        System.err.flush();
        final String failure = client.abort(exitCode, message, ABORT_LIMIT_MS);
        if (null != failure)
        {
            System.err.println("javelin: rank " + rank() + ": " + failure + ": exiting will end the job");
            System.err.flush();
        }
    }

    /**
     * {@code PMIx_Finalize} (skipped after an abort or a call that never returned). Idempotent.
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
            client.close();
        }
        catch (final BootstrapException ignore)
        {
            // the job is over for this rank either way; the launcher sees this process exit
        }
    }

    @Override
    public String toString()
    {
        return "PmixBootstrap{rank=" + rank() + ", size=" + size + ", namespace=" + client.namespace() + "}";
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("bootstrap of rank " + rank() + " is closed");
        }
    }
}
