package io.javelin.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Format checks of {@link OsuLatency}'s report (never its speed).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OsuLatencyTest
{
    private static final int[] SIZES_0_TO_64K = SizeRange.parse("0:64k", 0).sizes();

    @ParameterizedTest
    @CsvSource({"tcp, segment", "tcp, heap", "tcp, direct", "local, segment", "local, heap", "local, direct"})
    void shouldPrintOneOsuLineWithPercentilesPerSize(final String transport, final String buffer)
    {
        final String text = BenchmarkRun.run(2, transport, OsuLatency::run,
            "--sizes", "0:64k", "--iterations", "20", "--warmup", "2", "--buffer", buffer);

        final OsuOutput output = OsuOutput.parse(text);
        assertEquals("# Javelin Latency Test", output.comments().getFirst());
        assertTrue(output.comments().get(1).startsWith("# transport: " + transport + ", buffer: " + buffer),
            output.comments().get(1));
        assertEquals("# Size" + " ".repeat(12) + "Latency (us)    P50 (us)    P99 (us)", output.columnHeader());
        output.assertShape(SIZES_0_TO_64K, 4);
        for (final double[] row : output.rows())
        {
            assertTrue(row[2] <= row[3], "P50 " + row[2] + " above P99 " + row[3]);
        }
        final String firstData = text.lines().filter(line -> !line.startsWith("#")).findFirst().orElseThrow();
        assertTrue(firstData.matches("0 {9} *\\d+\\.\\d\\d {2,}\\d+\\.\\d\\d {2,}\\d+\\.\\d\\d"), firstData);
        assertEquals(30, firstData.indexOf('.') + 3, "latency right-aligned in 20 characters after the size");
    }

    @Test
    void shouldLeaveFurtherRanksIdleAndPrintOnlyFromRankZero()
    {
        final String text = BenchmarkRun.run(3, "tcp", OsuLatency::run,
            "--sizes", "0:1k", "--iterations", "20", "--warmup", "2");

        final OsuOutput output = OsuOutput.parse(text);
        assertEquals(1, text.lines().filter(line -> line.startsWith("# Size")).count(), text);
        assertTrue(output.comments().get(1).endsWith("ranks: 3"), output.comments().get(1));
        assertTrue(output.comments().get(2).startsWith("# CPU binding of rank 0's thread (javelin.bind): none (ranks " +
            "are threads"), output.comments().get(2));
        output.assertShape(SizeRange.parse("0:1k", 0).sizes(), 4);
    }

    @Test
    void shouldRunLargeSizesThroughRendezvous()
    {
        final String text = BenchmarkRun.run(2, "tcp", OsuLatency::run,
            "--sizes", "1m:4m", "--iterations", "3", "--warmup", "1");

        OsuOutput.parse(text).assertShape(new int[]{1 << 20, 2 << 20, 4 << 20}, 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "--sizes=8:4", "--iterations=0", "--warmup=-1", "--buffer=gpu"})
    void shouldRejectBadOptionsOnEveryRank(final String option)
    {
        final UsageException ex = assertThrows(UsageException.class,
            () -> BenchmarkRun.run(2, "tcp", OsuLatency::run, option));

        final String name = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
        assertTrue(ex.getMessage().contains(name), ex.getMessage());
        assertTrue(ex.usage().contains("--sizes=MIN:MAX"), ex.usage());
    }

    @Test
    void shouldPrintUsageForHelpAndMeasureNothing()
    {
        final String text = BenchmarkRun.run(2, "tcp", OsuLatency::run, "--help");

        assertTrue(text.startsWith("Usage: OsuLatency"), text);
        assertTrue(text.contains("--buffer=KIND"), text);
        assertEquals(1, text.lines().filter(line -> line.startsWith("Usage:")).count(), text);
    }

    @Test
    void shouldExplainThatOneRankIsNotEnough()
    {
        final UsageException ex = assertThrows(UsageException.class,
            () -> BenchmarkRun.run(1, "tcp", OsuLatency::run, "--sizes", "0:8"));

        assertTrue(ex.getMessage().contains("needs 2 ranks"), ex.getMessage());
    }
}
