package io.javelin.launcher;

import io.javelin.messaging.bootstrap.LaunchEnvironment;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The environment variables {@code javelin run} gives one rank: its place in the job
 * ({@link LaunchEnvironment}), and in a job on several hosts the transports' listen addresses and, for a
 * remote rank, the launcher's own {@code JAVELIN_*} configuration variables.
 */
final class RankEnvironment
{
    /** {@code TcpConfiguration.BIND_PROP_NAME} (the launcher does not depend on the transports). */
    private static final String TCP_BIND_PROP_NAME = "javelin.tcp.bind";
    /** {@code AeronConfiguration.BIND_PROP_NAME}. */
    private static final String AERON_BIND_PROP_NAME = "javelin.aeron.bind";

    private RankEnvironment()
    {
    }

    /**
     * @param spec             the job.
     * @param rank             the rank.
     * @param bootstrapAddress {@code host:port} of the bootstrap server.
     * @param jobSecret        the job secret.
     * @param jobId            the job identifier.
     * @return the variables for the rank (for a remote rank, sent through ssh's input).
     */
    static Map<String, String> of(
        final JobSpec spec, final int rank, final String bootstrapAddress, final long jobSecret, final String jobId)
    {
        final HostPlan hosts = spec.hosts();
        final Map<String, String> environment = new LinkedHashMap<>();
        if (hosts.isRemote(rank))
        {
            // configuration from the launcher's environment (JAVELIN_TRANSPORT, ...): ssh does not pass it on
            System.getenv().forEach((name, value) ->
            {
                if (name.startsWith("JAVELIN_") && !name.equals(HostPlan.SSH_ENV_NAME) && value.indexOf('\n') < 0)
                {
                    environment.put(name, value);
                }
            });
        }
        if (hosts.anyRemote())
        {
            // the transports listen on loopback by default: in a job on several hosts, on an address of the
            // rank's host that the other hosts reach, unless the user chose one
            final String address = hosts.isRemote(rank) ?
                resolve(hosts.host(rank)) : hosts.bootstrapAddress().getHostAddress();
            putUnlessConfigured(spec, environment, TCP_BIND_PROP_NAME, address);
            putUnlessConfigured(spec, environment, AERON_BIND_PROP_NAME, address);
        }
        environment.put(LaunchEnvironment.RANK, Integer.toString(rank));
        environment.put(LaunchEnvironment.SIZE, Integer.toString(spec.ranks()));
        environment.put(LaunchEnvironment.LOCAL_RANK, Integer.toString(hosts.localRank(rank)));
        environment.put(LaunchEnvironment.LOCAL_SIZE, Integer.toString(hosts.localSize(rank)));
        environment.put(LaunchEnvironment.BOOTSTRAP_ADDRESS, bootstrapAddress);
        environment.put(LaunchEnvironment.JOB_SECRET, String.format("%016x", jobSecret));
        environment.put(LaunchEnvironment.JOB_ID, jobId);
        return environment;
    }

    private static void putUnlessConfigured(
        final JobSpec spec, final Map<String, String> environment, final String property, final String value)
    {
        final String variable = property.toUpperCase(Locale.ROOT).replace('.', '_');
        if (!spec.systemProperties().containsKey(property) && null == System.getenv(variable))
        {
            environment.put(variable, value);
        }
    }

    /**
     * @return the host's address as this host resolves it (the address ssh connects to), else the name.
     */
    private static String resolve(final String host)
    {
        try
        {
            return InetAddress.getByName(host).getHostAddress();
        }
        catch (final UnknownHostException ex)
        {
            return host;
        }
    }
}
