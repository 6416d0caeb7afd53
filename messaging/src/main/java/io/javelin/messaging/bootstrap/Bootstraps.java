package io.javelin.messaging.bootstrap;

import io.javelin.messaging.bootstrap.pmix.PmixBootstrap;

import java.util.Map;

/**
 * Chooses the bootstrap for this process from its environment.
 *
 * <p>This is the seam for other launchers: {@link #detect(Map)} recognises who started the process, and
 * {@link #fromEnvironment(Map)} has one branch per kind. PMIx ({@code mpirun}, {@code srun --mpi=pmix}) joins
 * through {@link PmixBootstrap}; plain {@code srun} tasks join through {@link SlurmBootstrap}.
 */
public final class Bootstraps
{
    /** Set by PMIx servers (Open MPI's prterun, Slurm with --mpi=pmix) in every process they start. */
    static final String PMIX_RANK = "PMIX_RANK";
    /** Set by PMIx servers: the job's namespace. */
    static final String PMIX_NAMESPACE = "PMIX_NAMESPACE";
    /** Prefix of the variables through which PMIx servers publish their address (PMIX_SERVER_URI2, ...URI4, ...). */
    static final String PMIX_SERVER_URI_PREFIX = "PMIX_SERVER_URI";
    /** Set by srun: the rank of this task. */
    static final String SLURM_PROCID = "SLURM_PROCID";
    /** Set by srun: tasks in this job step. Absent or 1 in a batch script, which is not a parallel job. */
    static final String SLURM_STEP_NUM_TASKS = "SLURM_STEP_NUM_TASKS";

    /**
     * Who started this process.
     */
    public enum LaunchKind
    {
        /** {@code javelin run}: {@link LaunchEnvironment#BOOTSTRAP_ADDRESS} is set. */
        JAVELIN,
        /** A PMIx server: {@code PMIX_RANK}, {@code PMIX_NAMESPACE} and a {@code PMIX_SERVER_URI*} are set. */
        PMIX,
        /** Slurm's srun with more than one task, without PMIx. */
        SLURM,
        /** Nobody: a job of one rank. */
        SINGLETON
    }

    private Bootstraps()
    {
    }

    /**
     * @return the bootstrap for this process, from {@link System#getenv()}.
     * @throws BootstrapException when the launcher cannot be reached or is not supported.
     */
    public static Bootstrap fromEnvironment()
    {
        return fromEnvironment(System.getenv());
    }

    /**
     * @param environment the process environment.
     * @return the bootstrap the environment describes: {@link LauncherBootstrap} under {@code javelin run},
     *         {@link PmixBootstrap} under a PMIx launcher, {@link SlurmBootstrap} under plain {@code srun},
     *         else {@link SingletonBootstrap}.
     * @throws BootstrapException when the launcher cannot be reached or is not supported.
     */
    public static Bootstrap fromEnvironment(final Map<String, String> environment)
    {
        return switch (detect(environment))
        {
            case JAVELIN -> LauncherBootstrap.fromEnvironment(environment);
            case PMIX -> PmixBootstrap.join(environment);
            case SLURM -> SlurmBootstrap.fromEnvironment(environment);
            case SINGLETON -> new SingletonBootstrap();
        };
    }

    /**
     * @param environment the process environment.
     * @return who started this process; {@link LaunchKind#JAVELIN} wins over the others.
     */
    public static LaunchKind detect(final Map<String, String> environment)
    {
        if (null != environment.get(LaunchEnvironment.BOOTSTRAP_ADDRESS))
        {
            return LaunchKind.JAVELIN;
        }
        if (null != environment.get(PMIX_RANK) && null != environment.get(PMIX_NAMESPACE) &&
            environment.keySet().stream().anyMatch(name -> name.startsWith(PMIX_SERVER_URI_PREFIX)))
        {
            return LaunchKind.PMIX;
        }
        if (null != environment.get(SLURM_PROCID) && parsesAboveOne(environment.get(SLURM_STEP_NUM_TASKS)))
        {
            return LaunchKind.SLURM;
        }
        return LaunchKind.SINGLETON;
    }

    private static boolean parsesAboveOne(final String value)
    {
        try
        {
            return null != value && Integer.parseInt(value.trim()) > 1;
        }
        catch (final NumberFormatException ex)
        {
            return false;
        }
    }
}
