package io.javelin.messaging.bootstrap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where and how the tasks of one {@code srun} step meet: every task computes the same values from the Slurm
 * variables alone, because plain {@code srun} gives them no channel to agree on anything.
 *
 * <ul>
 *   <li>Host: rank 0's node, the first of {@code SLURM_STEP_NODELIST}; {@code 127.0.0.1} when the step has
 *       one node; {@link #HOST_PROP_NAME} overrides both.</li>
 *   <li>Ports: {@code first + (jobId * 16 + stepId) mod count} in {@link #PORT_RANGE_PROP_NAME}, then the next
 *       {@link #PORT_CANDIDATES} - 1 ports of the range (wrapping) as fallbacks when a port is taken. Rank 0
 *       listens on the first free one; the others try them in the same order.</li>
 * </ul>
 *
 * <p>The job secret is {@link SlurmJobSecret}'s.
 *
 * @param host        host rank 0 listens on and the others connect to.
 * @param hostGiven   whether {@link #HOST_PROP_NAME} set the host.
 * @param bindAnyHost whether rank 0 listens on every interface (multi-node steps without an override).
 * @param ports       candidate ports in the order to try.
 */
record SlurmRendezvous(String host, boolean hostGiven, boolean bindAnyHost, List<Integer> ports)
{
    /** Ports rank 0 may listen on, {@code first-last}. */
    public static final String PORT_RANGE_PROP_NAME = "javelin.slurm.port.range";
    /** Default of {@link #PORT_RANGE_PROP_NAME}: below Linux's ephemeral ports (32768-60999). */
    public static final String PORT_RANGE_DEFAULT = "28000-28999";
    /** Host of rank 0's bootstrap server, when the node name does not resolve to an address the others reach. */
    public static final String HOST_PROP_NAME = "javelin.slurm.bootstrap.host";
    /** The derived port and the fallbacks after it. */
    public static final int PORT_CANDIDATES = 8;

    static SlurmRendezvous of(final SlurmVariables variables, final Map<String, String> environment)
    {
        final String override = setting(environment, HOST_PROP_NAME);
        final String host;
        final boolean bindAnyHost;
        if (null != override)
        {
            host = override;
            bindAnyHost = false;
        }
        else if (variables.nodes().size() == 1)
        {
            host = "127.0.0.1";
            bindAnyHost = false;
        }
        else
        {
            host = variables.rankZeroNode();
            bindAnyHost = true;
        }
        final List<Integer> ports = candidatePorts(variables, portRange(environment));
        return new SlurmRendezvous(host, null != override, bindAnyHost, ports);
    }

    /**
     * @return the candidate ports as text, for messages: {@code 28012-28019}, or {@code 28998, 28999, 28000}.
     */
    String describePorts()
    {
        return describePorts(ports);
    }

    /**
     * @param ports ports in the order tried.
     * @return them as text, runs of consecutive ports as {@code first-last}.
     */
    static String describePorts(final List<Integer> ports)
    {
        final StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < ports.size())
        {
            int j = i;
            while (j + 1 < ports.size() && ports.get(j + 1) == ports.get(j) + 1)
            {
                j++;
            }
            text.append(i > 0 ? ", " : "").append(ports.get(i));
            if (j > i)
            {
                text.append('-').append(ports.get(j));
            }
            i = j + 1;
        }
        return text.toString();
    }

    static List<Integer> candidatePorts(final SlurmVariables variables, final int[] range)
    {
        final int count = range[1] - range[0] + 1;
        final long mixed = number(variables.jobId()) * 16 + number(variables.stepId());
        final int offset = (int)Math.floorMod(mixed, (long)count);
        final List<Integer> ports = new ArrayList<>(PORT_CANDIDATES);
        for (int i = 0; i < Math.min(PORT_CANDIDATES, count); i++)
        {
            ports.add(range[0] + (offset + i) % count);
        }
        return ports;
    }

    static int[] portRange(final Map<String, String> environment)
    {
        final String text = null == setting(environment, PORT_RANGE_PROP_NAME) ?
            PORT_RANGE_DEFAULT : setting(environment, PORT_RANGE_PROP_NAME);
        final int dash = text.indexOf('-');
        try
        {
            final int first = Integer.parseInt(text.substring(0, dash < 0 ? text.length() : dash).trim());
            final int last = dash < 0 ? first : Integer.parseInt(text.substring(dash + 1).trim());
            if (first >= 1 && last <= 65535 && first <= last)
            {
                return new int[]{first, last};
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below
        }
        throw new BootstrapException(PORT_RANGE_PROP_NAME + "='" + text + "' is not a port range first-last " +
            "within 1-65535: set for example -D" + PORT_RANGE_PROP_NAME + "=" + PORT_RANGE_DEFAULT);
    }

    /**
     * @return the number a Slurm id stands for; ids that are not numbers (a step named "batch") hash.
     */
    private static long number(final String id)
    {
        try
        {
            return Long.parseLong(id.trim());
        }
        catch (final NumberFormatException ex)
        {
            return id.hashCode() & 0xFFFF_FFFFL;
        }
    }

    /**
     * @param environment the process environment.
     * @param name        a setting's system property name.
     * @return the setting as a system property, else as {@code JAVELIN_...} environment variable, else null.
     */
    static String setting(final Map<String, String> environment, final String name)
    {
        final String property = System.getProperty(name);
        if (null != property && !property.isBlank())
        {
            return property.trim();
        }
        final String variable = environment.get(name.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
        return null == variable || variable.isBlank() ? null : variable.trim();
    }
}
