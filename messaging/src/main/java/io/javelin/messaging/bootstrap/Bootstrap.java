package io.javelin.messaging.bootstrap;

/**
 * The key-value exchange ranks use at start-up to publish and look up transport addresses
 * (PMI-style put / fence / get), and to learn who they are.
 *
 * <p>Implementations: {@code LauncherBootstrap} (a {@code javelin run} job), {@code LocalBootstrap}
 * (ranks as threads of one JVM), {@code SingletonBootstrap} (no launcher: a job of one rank),
 * {@code pmix.PmixBootstrap} (a PMIx launcher: {@code mpirun}, {@code srun --mpi=pmix}). Not
 * thread-safe: one rank uses its bootstrap from one thread. Every wait has a time limit and, when it
 * expires, a {@link BootstrapException} says what was awaited from whom.
 */
public interface Bootstrap extends AutoCloseable
{
    /**
     * @return this rank, 0 .. size - 1.
     */
    int rank();

    /**
     * @return ranks in the job.
     */
    int size();

    /**
     * @return the job's random secret, checked by every connection handshake.
     */
    long jobSecret();

    /**
     * @return ranks of this job on this host (for choosing how to wait: spin or yield).
     */
    int localSize();

    /**
     * @return name of the launcher or environment, for {@code javelin info} and messages.
     */
    String kind();

    /**
     * Publishes a value under a key. Visible to other ranks after the next {@link #fence()}.
     *
     * @param key   key, unique per rank (convention: {@code name.rank}).
     * @param value bytes.
     */
    void put(String key, byte[] value);

    /**
     * Waits until every rank has called fence; afterwards every value put before the fence is visible.
     */
    void fence();

    /**
     * Looks up a value put by any rank before the last fence.
     *
     * @param key key.
     * @return the value.
     * @throws BootstrapException when no rank published that key.
     */
    byte[] get(String key);

    /**
     * Tells the launcher this rank is aborting the job; best effort, never throws.
     *
     * @param exitCode exit code the job should report.
     * @param reason   what happened.
     */
    void abort(int exitCode, String reason);

    /**
     * Leaves the exchange. Idempotent.
     */
    @Override
    void close();
}
