package io.javelin.benchmarks;

import io.javelin.mpi.Javelin;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Writes a benchmark report in the OSU Micro-Benchmarks layout (as {@code osu_util_mpi.c} prints it), so that
 * scripts that parse OSU output read Javelin's: comment lines start with {@code #}, the last comment line
 * names the columns, every data line is the message size left-aligned in 10 characters followed by values
 * right-aligned in 20 characters with 2 decimals (OSU's {@code FIELD_WIDTH} and {@code FLOAT_PRECISION}).
 * Collective reports have OSU's full ({@code -f}) columns: Avg, Min and Max latency, then the iterations in
 * 12 characters. After OSU's columns come Javelin's P50 and P99 (see {@link Percentiles}), 12 characters
 * wide, unless the report was told not to show them ({@code --no-percentiles}): then the lines are OSU's.
 *
 * <pre>
 * # Javelin Latency Test
 * # transport: tcp, buffer: segment (javelin.allocate, registered once: zero-copy), ranks: 2
 * # CPU binding of rank 0's thread (javelin.bind): CPU 0 (local rank 0 of 2, 2 CPUs allowed)
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
    /** OSU's width of the average when a collective report has no size column ({@code osu_barrier}). */
    static final int SIZELESS_AVERAGE_WIDTH = 17;
    /** OSU's width of the iterations column of a full collective report. */
    static final int ITERATIONS_WIDTH = 12;
    /** Width of a column Javelin adds after OSU's. */
    static final int EXTRA_FIELD_WIDTH = 12;

    private static final String AVERAGE_COLUMN = "Avg Latency(us)";

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
     * Makes the column header and every row end with P50 and P99 columns. Call before {@link #header}.
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
     * @param options the benchmark options (buffer kind, warm-up).
     * @param notes   further comment lines (e.g. what a column means).
     */
    void header(final String title, final Javelin javelin, final BenchmarkOptions options, final String... notes)
    {
        final BufferKind buffer = options.buffer();
        comment(title);
        comment("transport: " + javelin.transportName() + ", buffer: " + buffer.name().toLowerCase(Locale.ROOT) +
            " (" + buffer.description() + "), ranks: " + javelin.world().size());
        comment("CPU binding of rank 0's thread (javelin.bind): " + javelin.cpuBinding());
        for (final String note : notes)
        {
            comment(note);
        }
        comment(WarmUp.describe(options.jitSettleMs()));
        if (percentilesShown)
        {
            comment("P50, P99: " + percentileMeaning);
        }
    }

    /**
     * Prints the column header of a point-to-point report: {@code # Size}, OSU's value column, percentiles.
     *
     * @param osuColumn e.g. "Latency (us)" or "Bandwidth (MB/s)".
     */
    void columns(final String osuColumn)
    {
        final StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "%-" + SIZE_WIDTH + "s%" + FIELD_WIDTH + "s", "# Size", osuColumn));
        println(appendPercentileColumns(line));
    }

    /**
     * Prints one data line of a point-to-point report.
     *
     * @param size        message bytes.
     * @param value       OSU's value (latency in us, or MB/s).
     * @param percentiles Javelin's P50 and P99.
     */
    void row(final int size, final double value, final Percentiles percentiles)
    {
        final StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "%-" + SIZE_WIDTH + "d%" + FIELD_WIDTH + ".2f", size, value));
        println(appendPercentiles(line, percentiles));
    }

    /**
     * Prints the column header of a collective report, OSU's full ({@code -f}) columns then percentiles:
     * {@code # Size}, Avg, Min and Max latency, Iterations; without a size column ({@code osu_barrier})
     * the line starts with {@code # Avg Latency(us)}.
     *
     * @param sized false for a report without message sizes.
     */
    void collectiveColumns(final boolean sized)
    {
        final StringBuilder line = new StringBuilder();
        if (sized)
        {
            line.append(String.format(Locale.ROOT, "%-" + SIZE_WIDTH + "s%" + FIELD_WIDTH + "s", "# Size",
                AVERAGE_COLUMN));
        }
        else
        {
            line.append("# ").append(AVERAGE_COLUMN);
        }
        line.append(String.format(Locale.ROOT, "%" + FIELD_WIDTH + "s%" + FIELD_WIDTH + "s%" + ITERATIONS_WIDTH +
            "s", "Min Latency(us)", "Max Latency(us)", "Iterations"));
        println(appendPercentileColumns(line));
    }

    /**
     * Prints one data line of a collective report.
     *
     * @param size        message bytes, or -1 for a report without sizes.
     * @param average     the ranks' latencies averaged, us.
     * @param min         the lowest rank's latency, us.
     * @param max         the highest rank's latency, us.
     * @param iterations  timed calls.
     * @param percentiles Javelin's P50 and P99.
     */
    void collectiveRow(final int size, final double average, final double min, final double max,
        final int iterations, final Percentiles percentiles)
    {
        final StringBuilder line = new StringBuilder();
        if (size >= 0)
        {
            line.append(String.format(Locale.ROOT, "%-" + SIZE_WIDTH + "d%" + FIELD_WIDTH + ".2f", size, average));
        }
        else
        {
            line.append(String.format(Locale.ROOT, "%" + SIZELESS_AVERAGE_WIDTH + ".2f", average));
        }
        line.append(String.format(Locale.ROOT, "%" + FIELD_WIDTH + ".2f%" + FIELD_WIDTH + ".2f%" + ITERATIONS_WIDTH +
            "d", min, max, iterations));
        println(appendPercentiles(line, percentiles));
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

    private String appendPercentileColumns(final StringBuilder line)
    {
        if (percentilesShown)
        {
            line.append(String.format(Locale.ROOT, "%" + EXTRA_FIELD_WIDTH + "s%" + EXTRA_FIELD_WIDTH + "s",
                "P50 (" + percentileUnit + ")", "P99 (" + percentileUnit + ")"));
        }
        return line.toString();
    }

    private String appendPercentiles(final StringBuilder line, final Percentiles percentiles)
    {
        if (percentilesShown)
        {
            line.append(String.format(Locale.ROOT, "%" + EXTRA_FIELD_WIDTH + ".2f%" + EXTRA_FIELD_WIDTH + ".2f",
                percentiles.p50(), percentiles.p99()));
        }
        return line.toString();
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
