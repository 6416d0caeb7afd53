package io.javelin.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One host of a multi-host job and how many ranks it takes, from {@code --hosts h1:2,h2:2} or a hostfile in
 * Open MPI's format ({@code host slots=N} or {@code host:N} per line, {@code #} comments).
 *
 * @param host  the host name or address, as given (what ssh connects to).
 * @param slots ranks it takes, at least 1.
 */
record HostSlots(String host, int slots)
{
    HostSlots
    {
        if (host.isEmpty() || slots < 1)
        {
            throw new IllegalArgumentException(host + ":" + slots);
        }
    }

    /**
     * @param hosts {@code host[:slots],...}; a host without slots takes 1.
     * @return the hosts in order.
     */
    static List<HostSlots> parseList(final String hosts)
    {
        final List<HostSlots> result = new ArrayList<>();
        for (final String entry : hosts.split(","))
        {
            if (!entry.isBlank())
            {
                result.add(parseEntry(entry.trim(), "--hosts " + hosts));
            }
        }
        if (result.isEmpty())
        {
            throw new InvalidJobException("--hosts '" + hosts + "' names no host: write e.g. --hosts node1:4,node2:4");
        }
        return result;
    }

    /**
     * @param hostfile lines {@code host slots=N}, {@code host:N} or {@code host}; {@code max_slots=N} is
     *                 accepted and ignored; {@code #} starts a comment.
     * @return the hosts in order.
     */
    static List<HostSlots> parseHostfile(final Path hostfile)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(hostfile);
        }
        catch (final IOException ex)
        {
            throw new InvalidJobException("--hostfile " + hostfile + " cannot be read: " + ex.getMessage());
        }
        final List<HostSlots> result = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final int comment = lines.get(i).indexOf('#');
            final String line = (comment < 0 ? lines.get(i) : lines.get(i).substring(0, comment)).trim();
            if (!line.isEmpty())
            {
                result.add(parseHostfileLine(line, hostfile + " line " + (i + 1)));
            }
        }
        if (result.isEmpty())
        {
            throw new InvalidJobException("--hostfile " + hostfile + " names no host: write one host per line, " +
                "e.g. 'node1 slots=4'");
        }
        return result;
    }

    private static HostSlots parseHostfileLine(final String line, final String where)
    {
        final String[] words = line.split("\\s+");
        HostSlots host = parseEntry(words[0], where);
        for (int i = 1; i < words.length; i++)
        {
            if (words[i].startsWith("slots="))
            {
                host = new HostSlots(host.host(), parseSlots(words[i].substring("slots=".length()), where));
            }
            else if (!words[i].startsWith("max_slots="))
            {
                throw new InvalidJobException(where + ": '" + words[i] + "' is not understood: write " +
                    "'host slots=N' or 'host:N'");
            }
        }
        return host;
    }

    private static HostSlots parseEntry(final String entry, final String where)
    {
        final int colon = entry.lastIndexOf(':');
        // a colon followed by digits gives the slots; anything else (an IPv6 address) is the host itself
        if (colon > 0 && colon < entry.length() - 1 && entry.substring(colon + 1).chars().allMatch(Character::isDigit))
        {
            return new HostSlots(entry.substring(0, colon), parseSlots(entry.substring(colon + 1), where));
        }
        if (colon == entry.length() - 1 || colon == 0)
        {
            throw new InvalidJobException(where + ": '" + entry + "' is not host or host:slots (e.g. node1:4)");
        }
        return new HostSlots(entry, 1);
    }

    private static int parseSlots(final String slots, final String where)
    {
        try
        {
            final int value = Integer.parseInt(slots);
            if (value >= 1)
            {
                return value;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below
        }
        throw new InvalidJobException(where + ": slots '" + slots + "' must be a whole number >= 1");
    }
}
