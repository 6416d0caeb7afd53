package io.javelin.benchmarks;

import io.javelin.mpi.Javelin;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Writes a benchmark report in the OSU Micro-Benchmarks layout, so that scripts that parse OSU output read
 * Javelin's: comment lines start with {@code #}, the last comment line names the columns, and every data
 * line is the message size left-aligned in 10 characters followed by values right-aligned in 20 characters
 * with 2 decimals (OSU's {@code FIELD_WIDTH} and {@code FLOAT_PRECISION}). Columns Javelin adds come after
 * OSU's, 12 characters wide: first the benchmark's own (e.g. Min, Max), then P50 and P99 (see
 * {@link Percentiles}) unless the report was told not to show them ({@code --no-percentiles}), so that a
 * strict OSU parser can be given OSU's columns alone.
 *
 * <pre>
 * # Javelin Latency Test
 * # transport: tcp, buffer: segment (javelin.allocate, registered once: zero-copy), ranks: 2
 * # Size            Latency (us)    P50 (us)    P99 (us)
 * 0                         3.21        3.10        4.52
 * </pre>
 *
 * <p>Prints only if given a stream: ranks other than 0 get a silent report.
 */
final class OsuReport
{
    /** OSU's width of the size column. */
    static final int SIZE_WIDTH = 10;
    /** OSU's width of a value column. */
    static final int FIELD_WIDTH = 20;
    /** Width of a column Javelin adds after OSU's. */
    static final int EXTRA_FIELD_WIDTH = 12;

    private final PrintStream out;
    private boolean percentilesShown;
    private String percentileUnit = "us";
    private String percentileMeaning = "";

    private OsuReport(final PrintStream out)
    {
        this.out = out;
    }

    /**
     * @param javelin this rank's handle: only rank 0 prints.
     * @param out     the stream rank 0 prints to.
     * @return a report that prints at rank 0 and is silent elsewhere.
     */
    static OsuReport forRank(final Javelin javelin, final PrintStream out)
    {
        return new OsuReport(javelin.world().rank() == 0 ? out : null);
    }

    /**
     * Makes {@link #columns}, {@link #columnsWithoutSize} and the rows that take {@link Percentiles} end with
     * P50 and P99 columns. Call before printing the column header.
     *
     * @param shown   true to add the columns (the default is not to).
     * @param unit    their unit, e.g. "us" or "MB/s".
     * @param meaning what they are, for a header line {@code # P50, P99: ...} (printed only if shown).
     * @return this.
     */
    OsuReport percentiles(final boolean shown, final String unit, final String meaning)
    {
        this.percentilesShown = shown;
        this.percentileUnit = unit;
        this.percentileMeaning = meaning;
        return this;
    }

    /**
     * Prints the title, the set-up line and any notes, each as a comment line.
     *
     * @param title   e.g. "Javelin Latency Test".
     * @param javelin the job (transport and size).
     * @param buffer  the kind of message memory.
     * @param notes   further comment lines (e.g. what an extra column means).
     */
    void header(final String title, final Javelin javelin, final BufferKind buffer, final String... notes)
    {
        comment(title);
        comment("transport: " + javelin.transportName() + ", buffer: " + buffer.name().toLowerCase(Locale.ROOT) +
            " (" + buffer.description() + "), ranks: " + javelin.world().size());
        for (final String note : notes)
        {
            comment(note);
        }
        if (percentilesShown)
        {
            comment("P50, P99: " + percentileMeaning);
        }
    }

    /**
     * Prints the column header: {@code # Size}, then OSU's value column, then Javelin's extra columns.
     *
     * @param osuColumn    e.g. "Latency (us)" or "Bandwidth (MB/s)".
     * @param extraColumns e.g. "P50 (us)".
     */
    void columns(final String osuColumn, final String... extraColumns)
    {
        if (null == out)
        {
            return;
        }
        final StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "%-" + SIZE_WIDTH + "s%" + FIELD_WIDTH + "s", "# Size", osuColumn));
        appendExtraColumns(line, extraColumns);
        println(line.toString());
    }

    /**
     * Prints one data line.
     *
     * @param size        message bytes.
     * @param value       OSU's value (latency in us, or MB/s).
     * @param extraValues Javelin's extra columns, in the order of {@link #columns}.
     */
    void row(final int size, final double value, final double... extraValues)
    {
        if (null == out)
        {
            return;
        }
        final StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "%-" + SIZE_WIDTH + "d%" + FIELD_WIDTH + ".2f", size, value));
        for (final double extra : extraValues)
        {
            appendExtraValue(line, extra);
        }
        println(line.toString());
    }

    /**
     * Prints one data line with the percentile columns last (if shown).
     *
     * @param size        message bytes.
     * @param value       OSU's value.
     * @param percentiles Javelin's P50 and P99.
     * @param extraValues the benchmark's extra columns, before the percentiles.
     */
    void row(final int size, final double value, final Percentiles percentiles, final double... extraValues)
    {
        if (null == out)
        {
            return;
        }
        final StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "%-" + SIZE_WIDTH + "d%" + FIELD_WIDTH + ".2f", size, value));
        appendExtraValues(line, percentiles, extraValues);
        println(line.toString());
    }

    /**
     * Prints the column header of a report without a size column ({@code osu_barrier}): {@code # } and OSU's
     * value column, padded to the value width, then Javelin's extra columns.
     *
     * @param osuColumn    e.g. "Avg Latency(us)".
     * @param extraColumns e.g. "Min (us)".
     */
    void columnsWithoutSize(final String osuColumn, final String... extraColumns)
    {
        if (null == out)
        {
            return;
        }
        final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + FIELD_WIDTH + "s",
            "# " + osuColumn));
        appendExtraColumns(line, extraColumns);
        println(line.toString());
    }

    /**
     * Prints one data line of a report without a size column: OSU's value right-aligned in 20 characters.
     *
     * @param value       OSU's value.
     * @param extraValues Javelin's extra columns, in the order of {@link #columnsWithoutSize}.
     */
    void rowWithoutSize(final double value, final double... extraValues)
    {
        if (null == out)
        {
            return;
        }
        final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%" + FIELD_WIDTH + ".2f", value));
        for (final double extra : extraValues)
        {
            appendExtraValue(line, extra);
        }
        println(line.toString());
    }

    /**
     * Prints one data line of a report without a size column, with the percentile columns last (if shown).
     *
     * @param value       OSU's value.
     * @param percentiles Javelin's P50 and P99.
     * @param extraValues the benchmark's extra columns, before the percentiles.
     */
    void rowWithoutSize(final double value, final Percentiles percentiles, final double... extraValues)
    {
        if (null == out)
        {
            return;
        }
        final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%" + FIELD_WIDTH + ".2f", value));
        appendExtraValues(line, percentiles, extraValues);
        println(line.toString());
    }

    /**
     * @param nanoseconds a time.
     * @return it in microseconds, OSU's latency unit.
     */
    static double microseconds(final double nanoseconds)
    {
        return nanoseconds / 1e3;
    }

    /**
     * @param bytes       bytes moved.
     * @param nanoseconds time taken.
     * @return OSU's MB/s, with 1 MB = 10^6 bytes.
     */
    static double megabytesPerSecond(final double bytes, final long nanoseconds)
    {
        return bytes / 1e6 / (nanoseconds / 1e9);
    }

    private void appendExtraColumns(final StringBuilder line, final String... extraColumns)
    {
        for (final String column : extraColumns)
        {
            appendExtraColumn(line, column);
        }
        if (percentilesShown)
        {
            appendExtraColumn(line, "P50 (" + percentileUnit + ")");
            appendExtraColumn(line, "P99 (" + percentileUnit + ")");
        }
    }

    private void appendExtraValues(final StringBuilder line, final Percentiles percentiles,
        final double... extraValues)
    {
        for (final double extra : extraValues)
        {
            appendExtraValue(line, extra);
        }
        if (percentilesShown)
        {
            appendExtraValue(line, percentiles.p50());
            appendExtraValue(line, percentiles.p99());
        }
    }

    private static void appendExtraColumn(final StringBuilder line, final String column)
    {
        line.append(String.format(Locale.ROOT, "%" + EXTRA_FIELD_WIDTH + "s", column));
    }

    private static void appendExtraValue(final StringBuilder line, final double value)
    {
        line.append(String.format(Locale.ROOT, "%" + EXTRA_FIELD_WIDTH + ".2f", value));
    }

    private void comment(final String text)
    {
        println("# " + text);
    }

    private void println(final String line)
    {
        if (null != out)
        {
            out.println(line);
            out.flush();
        }
    }
}
