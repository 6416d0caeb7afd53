package io.javelin.launcher;

import io.javelin.testing.NoProcessLeftBehind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmarks {@code javelin bench} gained with the OSU suite (multi_lat, reduce, allgather, alltoall), run
 * as real rank JVMs over TCP, with benchmark options passed through the launcher. Format only, never speed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(NoProcessLeftBehind.class)
class BenchSuiteCommandTest
{
    private static final String DATA_LINE = "\\d+ +\\d+\\.\\d\\d.*";

    @Test
    void shouldPingPongTwoPairsAtOnceAcrossFourProcesses()
    {
        final RunCommandTest.Result result = RunCommandTest.javelin("bench", "multi_lat", "-n", "4",
            "--transport", "tcp", "--timeout", "150", "--sizes", "0:64", "--iterations", "20", "--warmup", "5");

        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertTrue(result.out().startsWith("# Javelin Multi Latency Test"), result.out());
        assertTrue(result.out().contains("# pairs: 2 (rank i with rank i + 2)"), result.out());
        assertTrue(result.out().contains("# Size            Latency (us)    P50 (us)    P99 (us)"), result.out());
        assertEquals(8, result.out().lines().filter(line -> line.matches(DATA_LINE)).count(), result.out());
    }

    @Test
    void shouldPassBenchmarkOptionsThroughTheLauncher()
    {
        final RunCommandTest.Result result = RunCommandTest.javelin("bench", "alltoall", "-n", "2",
            "--transport", "tcp", "--timeout", "150", "--sizes", "1:8", "--iterations", "10", "--warmup", "2",
            "--buffer", "heap", "--no-percentiles");

        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertTrue(result.out().startsWith("# Javelin All-to-All Personalized Exchange Latency Test"), result.out());
        assertTrue(result.out().contains("buffer: heap"), result.out());
        assertFalse(result.out().contains("P50"), result.out());
        final List<String> rows = result.out().lines().filter(line -> line.matches(DATA_LINE)).toList();
        assertEquals(4, rows.size(), result.out());
        // OSU's osu_alltoall -f columns alone: Size, Avg, Min, Max, Iterations
        assertTrue(result.out().contains("# Size         Avg Latency(us)     Min Latency(us)     Max Latency(us)" +
            "  Iterations\n"), result.out());
        for (final String row : rows)
        {
            final String[] columns = row.trim().split("\\s+");
            assertEquals(5, columns.length, row);
            assertEquals("10", columns[4], row);
        }
    }

    @Test
    void shouldRunSeveralBenchmarksInOneJobWithTheWindowForBandwidthAlone()
    {
        final RunCommandTest.Result result = RunCommandTest.javelin("bench", "all", "-n", "2",
            "--transport", "tcp", "--timeout", "150", "--only", "latency,bw", "--window", "4", "--sizes", "4:8",
            "--iterations", "10", "--warmup", "2", "--no-percentiles");

        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertEquals(List.of("# Javelin Latency Test", "# Javelin Bandwidth Test"),
            result.out().lines().filter(line -> line.startsWith("# Javelin ")).toList(), result.out());
        assertTrue(result.out().contains("# window: 4 messages from rank 0 to rank 1"), result.out());
        assertEquals(4, result.out().lines().filter(line -> line.matches(DATA_LINE)).count(), result.out());
    }

    @Test
    void shouldRefuseMultiLatencyOnAnOddNumberOfRanks()
    {
        final RunCommandTest.Result result = RunCommandTest.javelin("bench", "multi_lat", "-n", "3",
            "--transport", "tcp", "--timeout", "150", "--sizes", "8");

        assertEquals(2, result.exitCode(), result.out() + result.err());
        assertTrue(result.err().contains("needs an even number of ranks"), result.err());
    }
}
