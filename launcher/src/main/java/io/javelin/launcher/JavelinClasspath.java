package io.javelin.launcher;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Javelin's own classpath: the launcher's {@code java.class.path}, which {@code ./javelin} fills with the
 * launcher jar and every jar in {@code launcher/target/lib} (all Javelin modules and their dependencies).
 * Ranks get it ahead of the user's classpath, so that users name only their own classes.
 */
final class JavelinClasspath
{
    private JavelinClasspath()
    {
    }

    /**
     * @return the entries as absolute paths, in order, without duplicates.
     */
    static List<String> entries()
    {
        return absolute(split(System.getProperty("java.class.path", "")));
    }

    /**
     * @param classpath a classpath in the platform's syntax.
     * @return its non-empty entries.
     */
    static List<String> split(final String classpath)
    {
        final List<String> entries = new ArrayList<>();
        for (final String entry : classpath.split(File.pathSeparator))
        {
            if (!entry.isBlank())
            {
                entries.add(entry);
            }
        }
        return entries;
    }

    /**
     * @param entries classpath entries, relative to the working directory or absolute; a trailing
     *                {@code *} (every jar in a directory) is kept.
     * @return the entries as absolute, normalised paths without duplicates.
     */
    static List<String> absolute(final List<String> entries)
    {
        final Set<String> unique = new LinkedHashSet<>();
        for (final String entry : entries)
        {
            if (entry.equals("*") || entry.endsWith(File.separator + "*"))
            {
                final String directory = entry.substring(0, entry.length() - 1);
                unique.add(Path.of(directory.isEmpty() ? "." : directory).toAbsolutePath().normalize() +
                    File.separator + "*");
            }
            else
            {
                unique.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        return new ArrayList<>(unique);
    }

    /**
     * @param entries classpath entries.
     * @return them joined with the platform's path separator.
     */
    static String join(final List<String> entries)
    {
        return String.join(File.pathSeparator, entries);
    }
}
