package io.javelin.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Format checks of the collective latency reports {@link OsuAllreduce}, {@link OsuBcast} and
 * {@link OsuBarrier} (never their speed).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OsuCollectivesTest
{
    private static final String[] SHORT_RUN = {"--iterations", "5", "--warmup", "2"};
    /** osu_allreduce -f: Size, Avg, Min, Max, Iterations (10, 20, 20, 20, 12 characters); then Javelin's. */
    private static final String FULL_COLUMNS = "# Size" + " ".repeat(9) + "Avg Latency(us)" + " ".repeat(5) +
        "Min Latency(us)" + " ".repeat(5) + "Max Latency(us)  Iterations    P50 (us)    P99 (us)";

    private static String[] args(final String... more)
    {
        final String[] all = java.util.Arrays.copyOf(SHORT_RUN, SHORT_RUN.length + more.length);
        System.arraycopy(more, 0, all, SHORT_RUN.length, more.length);
        return all;
    }

    @ParameterizedTest
    @CsvSource({"3, tcp, segment", "2, local, heap", "4, local, direct"})
    void shouldPrintOneOsuAllreduceLinePerSizeOfAtLeastOneFloat(final int ranks, final String transport,
        final String buffer)
    {
        final String text = BenchmarkRun.run(ranks, transport, OsuAllreduce::run, args("--sizes", "1:64k",
            "--buffer", buffer));

        final OsuOutput output = OsuOutput.parse(text);
        assertEquals("# Javelin Allreduce Latency Test", output.comments().getFirst());
        assertTrue(output.comments().get(1).endsWith("ranks: " + ranks), output.comments().get(1));
        assertEquals(FULL_COLUMNS, output.columnHeader());
        output.assertShape(SizeRange.parse("4:64k", 4).sizes(), 7);
        for (final double[] row : output.rows())
        {
            assertTrue(row[2] <= row[1] && row[1] <= row[3], "min <= avg <= max in " + java.util.Arrays.toString(row));
            assertEquals(5, row[4], "iterations");
        }
    }

    @Test
    void shouldStartAllreduceAtOneFloatByDefault()
    {
        final String text = BenchmarkRun.run(2, "local", OsuAllreduce::run, args("--sizes", "16"));

        OsuOutput.parse(text).assertShape(new int[]{4, 8, 16}, 7);
    }

    @ParameterizedTest
    @CsvSource({"3, tcp", "5, local"})
    void shouldPrintOneOsuBcastLinePerSize(final int ranks, final String transport)
    {
        final String text = BenchmarkRun.run(ranks, transport, OsuBcast::run, args("--sizes", "1:1m"));

        final OsuOutput output = OsuOutput.parse(text);
        assertEquals("# Javelin Broadcast Latency Test", output.comments().getFirst());
        assertEquals(FULL_COLUMNS, output.columnHeader());
        output.assertShape(SizeRange.parse("1:1m", 1).sizes(), 7);
    }

    @ParameterizedTest
    @CsvSource({"2, tcp", "7, local"})
    void shouldPrintOneOsuBarrierLineWithoutSize(final int ranks, final String transport)
    {
        final String text = BenchmarkRun.run(ranks, transport, OsuBarrier::run, args());

        final OsuOutput output = OsuOutput.parse(text);
        assertEquals("# Javelin Barrier Latency Test", output.comments().getFirst());
        assertEquals("# Avg Latency(us)" + FULL_COLUMNS.substring(FULL_COLUMNS.indexOf("Avg Latency(us)") + 15),
            output.columnHeader());
        assertEquals(1, output.rows().size(), text);
        assertEquals(6, output.rows().getFirst().length, text);
        final String data = text.lines().filter(line -> !line.startsWith("#")).findFirst().orElseThrow();
        assertEquals(17, data.indexOf('.') + 3, "latency right-aligned in 17 characters, as osu_barrier: " + data);
    }

    @Test
    void shouldExplainThatOneRankIsNotEnough()
    {
        final UsageException ex = assertThrows(UsageException.class,
            () -> BenchmarkRun.run(1, "local", OsuAllreduce::run, args()));

        assertTrue(ex.getMessage().contains("needs at least 2 ranks"), ex.getMessage());
    }

    @Test
    void shouldRejectUnknownOptionsWithTheUsage()
    {
        final UsageException ex = assertThrows(UsageException.class,
            () -> BenchmarkRun.run(2, "local", OsuBcast::run, "--root", "1"));

        assertTrue(ex.getMessage().contains("--root"), ex.getMessage());
        assertTrue(ex.usage().contains("Usage: OsuBcast"), ex.usage());
    }
}
