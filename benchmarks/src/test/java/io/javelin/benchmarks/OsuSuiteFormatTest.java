package io.javelin.benchmarks;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every benchmark of {@code javelin bench}, 2 ranks, over TCP, the in-JVM transport and Aeron IPC, read back
 * with a plain OSU parser ({@link OsuOutput}): the title line, OSU's column header, one line per requested
 * size with OSU's columns where OSU puts them and finite positive numbers. Format only, never speed: sizes
 * and iterations are tiny.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OsuSuiteFormatTest
{
    private static final String[] TRANSPORTS = {"tcp", "local", "aeron"};
    /** MAX alone: each benchmark starts at its own OSU minimum (0, 1 or one float). */
    private static final String MAX_SIZE = "16";
    private static final int ITERATIONS = 3;

    /**
     * One benchmark as the suite test sees it.
     *
     * @param name       the {@code javelin bench} name.
     * @param body       the benchmark.
     * @param title      the first header line.
     * @param osuColumn  OSU's value column.
     * @param osuColumns columns of a data line with {@code --no-percentiles}, size included (collectives: OSU's
     *                   full {@code -f} columns, Avg, Min, Max and Iterations).
     * @param minSize    the benchmark's default smallest size, or -1 for a report without sizes (barrier).
     */
    private record Suite(String name, Benchmark body, String title, String osuColumn, int osuColumns, int minSize)
    {
        @Override
        public String toString()
        {
            return name;
        }
    }

    private static final List<Suite> SUITE = List.of(
        new Suite("latency", OsuLatency::run, "# Javelin Latency Test", "Latency (us)", 2, 0),
        new Suite("bw", OsuBandwidth::run, "# Javelin Bandwidth Test", "Bandwidth (MB/s)", 2, 1),
        new Suite("bibw", OsuBiBandwidth::run, "# Javelin Bi-Directional Bandwidth Test", "Bandwidth (MB/s)", 2, 1),
        new Suite("multi_lat", OsuMultiLatency::run, "# Javelin Multi Latency Test", "Latency (us)", 2, 0),
        new Suite("allreduce", OsuAllreduce::run, "# Javelin Allreduce Latency Test", "Avg Latency(us)", 5, 4),
        new Suite("bcast", OsuBcast::run, "# Javelin Broadcast Latency Test", "Avg Latency(us)", 5, 1),
        new Suite("reduce", OsuReduce::run, "# Javelin Reduce Latency Test", "Avg Latency(us)", 5, 4),
        new Suite("allgather", OsuAllgather::run, "# Javelin Allgather Latency Test", "Avg Latency(us)", 5, 1),
        new Suite("alltoall", OsuAlltoall::run, "# Javelin All-to-All Personalized Exchange Latency Test",
            "Avg Latency(us)", 5, 1),
        new Suite("barrier", OsuBarrier::run, "# Javelin Barrier Latency Test", "Avg Latency(us)", 4, -1));

    static Stream<Arguments> everyBenchmarkOverEveryTransport()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final String transport : TRANSPORTS)
        {
            for (final Suite suite : SUITE)
            {
                cases.add(Arguments.of(suite, transport));
            }
        }
        return cases.stream();
    }

    static Stream<Suite> everyBenchmark()
    {
        return SUITE.stream();
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("everyBenchmarkOverEveryTransport")
    void shouldPrintOsuFormatWithPercentileColumns(final Suite suite, final String transport)
    {
        final String text = BenchmarkRun.run(2, transport, suite.body(),
            "--sizes", MAX_SIZE, "--iterations", Integer.toString(ITERATIONS), "--warmup", "1",
            "--buffer", "segment");

        final OsuOutput output = OsuOutput.parse(text);
        assertEquals(suite.title(), output.comments().getFirst(), text);
        assertTrue(output.comments().get(1).startsWith("# transport: " + transport), text);
        assertTrue(output.comments().stream().anyMatch(line -> line.startsWith("# P50, P99: ")), text);
        assertOsuColumnHeader(suite, output.columnHeader());
        assertTrue(output.columnHeader().matches(".* +P50 \\(" + unit(suite) + "\\) +P99 \\(" + unit(suite) + "\\)"),
            output.columnHeader());
        assertRows(suite, output, suite.osuColumns() + 2);
        assertOsuValueColumnAligned(suite, text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyBenchmark")
    void shouldPrintOsuColumnsAloneWithoutPercentiles(final Suite suite)
    {
        final String text = BenchmarkRun.run(2, "local", suite.body(),
            "--sizes", MAX_SIZE, "--iterations", Integer.toString(ITERATIONS), "--warmup", "1", "--buffer", "heap",
            "--no-percentiles");

        final OsuOutput output = OsuOutput.parse(text);
        assertEquals(suite.title(), output.comments().getFirst(), text);
        assertTrue(output.comments().stream().noneMatch(line -> line.contains("P50")), text);
        assertOsuColumnHeader(suite, output.columnHeader());
        assertRows(suite, output, suite.osuColumns());
        assertOsuValueColumnAligned(suite, text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyBenchmark")
    void shouldRunFromDirectBuffersAndGivenSizes(final Suite suite)
    {
        final String text = BenchmarkRun.run(2, "tcp", suite.body(),
            "--sizes", "8:64", "--iterations", "2", "--warmup", "0", "--buffer", "direct");

        final OsuOutput output = OsuOutput.parse(text);
        assertTrue(output.comments().get(1).contains("buffer: direct"), output.comments().get(1));
        if (suite.minSize() >= 0)
        {
            output.assertShape(new int[]{8, 16, 32, 64}, suite.osuColumns() + 2);
        }
    }

    private static String unit(final Suite suite)
    {
        return suite.osuColumn().contains("MB/s") ? "MB/s" : "us";
    }

    /**
     * OSU prints {@code %-10s%20s} of "# Size" and its column ({@code # } and the column when a report has no
     * sizes), then for collectives ({@code -f}) {@code %20s%20s%12s} of Min, Max and Iterations.
     */
    private static void assertOsuColumnHeader(final Suite suite, final String header)
    {
        final String start = suite.minSize() < 0 ? "# " + suite.osuColumn() :
            String.format("%-10s%20s", "# Size", suite.osuColumn());
        final String full = suite.osuColumns() - (suite.minSize() < 0 ? 1 : 2) == 3 ?
            String.format("%20s%20s%12s", "Min Latency(us)", "Max Latency(us)", "Iterations") : "";
        assertTrue(header.startsWith(start + full), header);
    }

    private static void assertRows(final Suite suite, final OsuOutput output, final int columns)
    {
        if (suite.minSize() < 0)
        {
            assertEquals(1, output.rows().size(), "one line without a size");
            assertEquals(columns, output.rows().getFirst().length);
            assertValues(suite, output.rows().getFirst(), 0);
            return;
        }
        final int[] sizes = SizeRange.parse(MAX_SIZE, suite.minSize()).sizes();
        output.assertShape(sizes, columns);
        for (final double[] row : output.rows())
        {
            assertValues(suite, row, 1);
        }
    }

    /**
     * Times are positive; a bandwidth may print as 0.00 MB/s (1-byte messages over 3 iterations, the first
     * of them paying for connection set-up); Min <= Avg <= Max; P50 <= P99 for times.
     */
    private static void assertValues(final Suite suite, final double[] row, final int first)
    {
        final boolean bandwidth = "MB/s".equals(unit(suite));
        for (int c = first; c < row.length; c++)
        {
            assertTrue(Double.isFinite(row[c]) && (bandwidth ? row[c] >= 0 : row[c] > 0),
                "column " + c + " of " + Arrays.toString(row));
        }
        if (suite.osuColumns() - first == 4)
        {
            assertTrue(row[first + 1] <= row[first] && row[first] <= row[first + 2],
                "Min <= Avg <= Max in " + Arrays.toString(row));
            assertEquals(ITERATIONS, row[first + 3], "Iterations column in " + Arrays.toString(row));
        }
        if (!bandwidth && row.length == suite.osuColumns() + 2)
        {
            assertTrue(row[row.length - 2] <= row[row.length - 1], "P50 <= P99 in " + Arrays.toString(row));
        }
    }

    /** OSU's value is right-aligned to end at character 30 (10 + 20), or 17 without a size column. */
    private static void assertOsuValueColumnAligned(final Suite suite, final String text)
    {
        final int end = suite.minSize() < 0 ? 17 : OsuReport.SIZE_WIDTH + OsuReport.FIELD_WIDTH;
        text.lines().filter(line -> !line.startsWith("#") && !line.isBlank()).forEach(line ->
        {
            assertTrue(line.length() == end || line.length() > end && line.charAt(end) == ' ',
                "OSU's value should end at character " + end + ": '" + line + "'");
            assertTrue(line.substring(end - 3, end).matches("\\.\\d\\d"), "2 decimals at " + end + ": " + line);
        });
    }
}
