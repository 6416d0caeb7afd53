package io.javelin.launcher;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the ranks of a job run: all on this host, or on the hosts of {@code --hosts} / {@code --hostfile} in
 * order (the first host's slots, then the second's, as {@code mpirun --map-by slot}), those other than this
 * host reached by ssh. Also the address the bootstrap server listens on, which every rank must reach.
 *
 * <p>Immutable.
 */
final class HostPlan
{
    /** Environment variable with the ssh command, when {@code --ssh} is not given. */
    static final String SSH_ENV_NAME = "JAVELIN_SSH";
    /** The ssh command when neither {@code --ssh} nor {@link #SSH_ENV_NAME} is given. */
    static final String SSH_DEFAULT = "ssh";

    private final String[] hostOfRank;
    private final boolean[] remote;
    private final int[] localRank;
    private final int[] localSize;
    private final List<String> sshCommand;
    private final InetAddress bootstrapAddress;

    private HostPlan(
        final String[] hostOfRank,
        final boolean[] remote,
        final int[] localRank,
        final int[] localSize,
        final List<String> sshCommand,
        final InetAddress bootstrapAddress)
    {
        this.hostOfRank = hostOfRank;
        this.remote = remote;
        this.localRank = localRank;
        this.localSize = localSize;
        this.sshCommand = sshCommand;
        this.bootstrapAddress = bootstrapAddress;
    }

    /**
     * @param ranks ranks in the job.
     * @return every rank on this host, bootstrap on loopback.
     */
    static HostPlan local(final int ranks)
    {
        return forHosts(ranks, List.of(new HostSlots("localhost", ranks)), List.of(SSH_DEFAULT), null);
    }

    /**
     * @param ranks            ranks in the job.
     * @param hosts            the hosts in order; their slots must hold every rank.
     * @param sshCommand       the ssh command and its options, before the host name.
     * @param bootstrapAddress {@code --bootstrap-address}, or null to choose (see {@link #bootstrapAddress()}).
     * @return the plan.
     */
    static HostPlan forHosts(
        final int ranks, final List<HostSlots> hosts, final List<String> sshCommand, final String bootstrapAddress)
    {
        final int slots = hosts.stream().mapToInt(HostSlots::slots).sum();
        if (slots < ranks)
        {
            throw new InvalidJobException("-n " + ranks + " but the hosts give " + slots + " slot" +
                (1 == slots ? "" : "s") + ": give more slots (e.g. --hosts node1:" + ranks + ") or a smaller -n");
        }
        final String[] hostOfRank = new String[ranks];
        final boolean[] remote = new boolean[ranks];
        final int[] localRank = new int[ranks];
        final int[] localSize = new int[ranks];
        final Map<String, Integer> ranksOnHost = new HashMap<>();
        final List<String> remoteHosts = new ArrayList<>();
        int rank = 0;
        for (final HostSlots host : hosts)
        {
            final boolean thisHost = isThisHost(host.host());
            for (int slot = 0; slot < host.slots() && rank < ranks; slot++, rank++)
            {
                hostOfRank[rank] = host.host();
                remote[rank] = !thisHost;
                localRank[rank] = ranksOnHost.merge(host.host(), 1, Integer::sum) - 1;
                if (!thisHost && !remoteHosts.contains(host.host()))
                {
                    remoteHosts.add(host.host());
                }
            }
        }
        for (int r = 0; r < ranks; r++)
        {
            localSize[r] = ranksOnHost.get(hostOfRank[r]);
        }
        return new HostPlan(hostOfRank, remote, localRank, localSize, List.copyOf(sshCommand),
            chooseBootstrapAddress(remoteHosts, bootstrapAddress));
    }

    /**
     * @param option {@code --ssh}, or null.
     * @return the ssh command split into words: {@code --ssh}, else {@code JAVELIN_SSH}, else {@code ssh}.
     */
    static List<String> sshCommand(final String option)
    {
        final String environment = System.getenv(SSH_ENV_NAME);
        final String command = null != option ? option :
            null != environment && !environment.isBlank() ? environment : SSH_DEFAULT;
        final List<String> words = RemoteRankCommand.splitWords(command);
        if (words.isEmpty())
        {
            throw new InvalidJobException("--ssh '" + command + "' is empty: give e.g. --ssh \"ssh -p 2222\"");
        }
        return words;
    }

    String host(final int rank)
    {
        return hostOfRank[rank];
    }

    /**
     * @param rank a rank.
     * @return true when the rank runs on another host (started by ssh).
     */
    boolean isRemote(final int rank)
    {
        return remote[rank];
    }

    /**
     * @return true when some rank runs on another host.
     */
    boolean anyRemote()
    {
        for (final boolean r : remote)
        {
            if (r)
            {
                return true;
            }
        }
        return false;
    }

    int localRank(final int rank)
    {
        return localRank[rank];
    }

    int localSize(final int rank)
    {
        return localSize[rank];
    }

    List<String> sshCommand()
    {
        return sshCommand;
    }

    /**
     * @return where the bootstrap server listens: {@code --bootstrap-address} if given; else loopback when
     *         every rank's host is this host or a loopback address; else the address this host's name
     *         resolves to, or (when that is loopback, as Debian's {@code 127.0.1.1}) the first non-loopback
     *         IPv4 address of an interface that is up.
     */
    InetAddress bootstrapAddress()
    {
        return bootstrapAddress;
    }

    /**
     * @return the hosts of the ranks that run elsewhere, in order, without repeats.
     */
    List<String> remoteHosts()
    {
        final List<String> hosts = new ArrayList<>();
        for (int r = 0; r < hostOfRank.length; r++)
        {
            if (remote[r] && !hosts.contains(hostOfRank[r]))
            {
                hosts.add(hostOfRank[r]);
            }
        }
        return Collections.unmodifiableList(hosts);
    }

    private static boolean isThisHost(final String host)
    {
        if ("localhost".equalsIgnoreCase(host))
        {
            return true;
        }
        try
        {
            final String name = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
            final String lower = host.toLowerCase(Locale.ROOT);
            final int dot = name.indexOf('.');
            return lower.equals(name) || (dot > 0 && lower.equals(name.substring(0, dot)));
        }
        catch (final UnknownHostException ex)
        {
            return false;
        }
    }

    private static InetAddress chooseBootstrapAddress(final List<String> remoteHosts, final String option)
    {
        if (null != option)
        {
            try
            {
                return InetAddress.getByName(option);
            }
            catch (final UnknownHostException ex)
            {
                throw new InvalidJobException("--bootstrap-address " + option + ": unknown host: give an address " +
                    "of this host that every rank's host can reach");
            }
        }
        if (remoteHosts.stream().allMatch(HostPlan::isLoopback))
        {
            return InetAddress.getLoopbackAddress();
        }
        try
        {
            final InetAddress local = InetAddress.getLocalHost();
            if (!local.isLoopbackAddress())
            {
                return local;
            }
            for (final NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces()))
            {
                if (network.isUp() && !network.isLoopback())
                {
                    for (final InetAddress address : Collections.list(network.getInetAddresses()))
                    {
                        if (address instanceof Inet4Address && !address.isLinkLocalAddress())
                        {
                            return address;
                        }
                    }
                }
            }
        }
        catch (final IOException ignore)
        {
            // reported below
        }
        throw new InvalidJobException("cannot find an address of this host that " + String.join(", ", remoteHosts) +
            " can reach: give one with --bootstrap-address ADDRESS");
    }

    private static boolean isLoopback(final String host)
    {
        try
        {
            return InetAddress.getByName(host).isLoopbackAddress();
        }
        catch (final UnknownHostException ex)
        {
            return false;
        }
    }
}
