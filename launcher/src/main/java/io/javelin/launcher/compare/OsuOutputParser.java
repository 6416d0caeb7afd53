package io.javelin.launcher.compare;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads the data lines of a report in the OSU Micro-Benchmarks layout, from Javelin's benchmarks, the native
 * program or the OSU suite itself. Tolerant by design: comment lines ({@code #}) and lines that are not data
 * are skipped, and of a data line only the first two numbers count (size, then OSU's value), so that extra
 * columns (percentiles, min / max) and other versions' headers do not matter.
 */
public final class OsuOutputParser
{
    private OsuOutputParser()
    {
    }

    /**
     * @param report the benchmark's standard output.
     * @return OSU's value per message size in bytes, in size order; empty if the report has no data line.
     */
    public static SortedMap<Integer, Double> parse(final String report)
    {
        final SortedMap<Integer, Double> values = new TreeMap<>();
        for (final String line : report.split("\\R"))
        {
            final String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#"))
            {
                continue;
            }
            final String[] fields = trimmed.split("\\s+");
            if (fields.length < 2)
            {
                continue;
            }
            final Integer size = sizeOf(fields[0]);
            final Double value = valueOf(fields[1]);
            if (null != size && null != value)
            {
                values.put(size, value);
            }
        }
        return Collections.unmodifiableSortedMap(values);
    }

    private static Integer sizeOf(final String field)
    {
        try
        {
            final int size = Integer.parseInt(field);
            return size >= 0 ? size : null;
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
    }

    private static Double valueOf(final String field)
    {
        try
        {
            final double value = Double.parseDouble(field);
            return Double.isFinite(value) ? value : null;
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
    }
}
