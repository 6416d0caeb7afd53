package io.javelin.messaging.bootstrap;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands Slurm's compressed lists: host lists such as {@code node[01-04,7],gpu3} (as in
 * {@code SLURM_STEP_NODELIST}) and task counts such as {@code 2(x3),1} (as in {@code SLURM_STEP_TASKS_PER_NODE}).
 *
 * <p>Host lists follow Slurm's syntax: names separated by commas outside brackets; a bracket holds
 * comma-separated numbers and ranges whose zero padding is kept ({@code [08-10]} gives {@code 08 09 10});
 * a name may hold several brackets ({@code rack[1-2]-n[1-2]} gives four names, the last bracket varying
 * fastest, as Slurm orders them). Stateless and thread-safe.
 */
public final class SlurmHostlist
{
    /** Upper limit on expanded names, so that a corrupt range cannot exhaust memory. */
    static final int MAX_HOSTS = 1 << 20;

    private SlurmHostlist()
    {
    }

    /**
     * @param hostlist a Slurm host list, e.g. {@code node[01-04,7],gpu3}.
     * @return the host names in Slurm's order.
     * @throws IllegalArgumentException when the list is malformed (unbalanced brackets, bad range).
     */
    public static List<String> expand(final String hostlist)
    {
        final List<String> hosts = new ArrayList<>();
        for (final String name : splitOutsideBrackets(hostlist.trim(), hostlist))
        {
            expandName(name, hostlist, hosts);
        }
        return hosts;
    }

    /**
     * @param tasksPerNode Slurm's task counts, e.g. {@code 2(x3),1}.
     * @return one count per node, e.g. {@code [2, 2, 2, 1]}.
     * @throws IllegalArgumentException when the text is malformed.
     */
    public static List<Integer> expandCounts(final String tasksPerNode)
    {
        final List<Integer> counts = new ArrayList<>();
        for (final String item : tasksPerNode.trim().split(","))
        {
            final String text = item.trim();
            final int open = text.indexOf("(x");
            try
            {
                if (open < 0)
                {
                    counts.add(Integer.parseInt(text));
                    continue;
                }
                if (!text.endsWith(")"))
                {
                    throw new NumberFormatException();
                }
                final int count = Integer.parseInt(text.substring(0, open));
                final int repeat = Integer.parseInt(text.substring(open + 2, text.length() - 1));
                if (repeat < 0 || counts.size() + repeat > MAX_HOSTS)
                {
                    throw new NumberFormatException();
                }
                for (int i = 0; i < repeat; i++)
                {
                    counts.add(count);
                }
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("'" + text + "' in task counts '" + tasksPerNode +
                    "' is neither N nor N(xM)");
            }
        }
        return counts;
    }

    private static List<String> splitOutsideBrackets(final String text, final String whole)
    {
        final List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                addPart(parts, text.substring(start, i));
                start = i + 1;
            }
            if (depth < 0 || depth > 1)
            {
                throw malformed(whole, "unbalanced or nested brackets");
            }
        }
        if (depth != 0)
        {
            throw malformed(whole, "unbalanced brackets");
        }
        addPart(parts, text.substring(start));
        return parts;
    }

    private static void addPart(final List<String> parts, final String part)
    {
        if (!part.isBlank())
        {
            parts.add(part.trim());
        }
    }

    /**
     * Expands the first bracket of name, then the rest of each result recursively.
     */
    private static void expandName(final String name, final String whole, final List<String> hosts)
    {
        final int open = name.indexOf('[');
        if (open < 0)
        {
            add(hosts, name, whole);
            return;
        }
        final int close = name.indexOf(']', open);
        final String prefix = name.substring(0, open);
        final String suffix = name.substring(close + 1);
        for (final String range : name.substring(open + 1, close).split(","))
        {
            final String bounds = range.trim();
            final int dash = bounds.indexOf('-');
            final String low = dash < 0 ? bounds : bounds.substring(0, dash);
            final String high = dash < 0 ? bounds : bounds.substring(dash + 1);
            final long first;
            final long last;
            try
            {
                first = Long.parseLong(low);
                last = Long.parseLong(high);
            }
            catch (final NumberFormatException ex)
            {
                throw malformed(whole, "'" + bounds + "' is neither a number nor a range N-M");
            }
            if (low.isEmpty() || high.isEmpty() || first < 0 || last < first || last - first >= MAX_HOSTS)
            {
                throw malformed(whole, "bad range '" + bounds + "'");
            }
            final int width = low.length();
            for (long n = first; n <= last; n++)
            {
                final String digits = Long.toString(n);
                final String padded = digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
                expandName(prefix + padded + suffix, whole, hosts);
            }
        }
    }

    private static void add(final List<String> hosts, final String host, final String whole)
    {
        if (hosts.size() >= MAX_HOSTS)
        {
            throw malformed(whole, "more than " + MAX_HOSTS + " hosts");
        }
        hosts.add(host);
    }

    private static IllegalArgumentException malformed(final String hostlist, final String detail)
    {
        return new IllegalArgumentException("malformed Slurm host list '" + hostlist + "': " + detail);
    }
}
