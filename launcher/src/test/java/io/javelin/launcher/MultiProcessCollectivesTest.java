package io.javelin.launcher;

import io.javelin.testing.NoProcessLeftBehind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Collectives and communicators between real rank JVMs started by {@code javelin run}, over TCP and Aeron; and the
 * collective benchmarks through {@code javelin bench}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(NoProcessLeftBehind.class)
class MultiProcessCollectivesTest
{
    @ParameterizedTest
    @CsvSource({"3, tcp", "4, tcp", "4, aeron"})
    void shouldRunEveryCollectiveAcrossProcesses(final int ranks, final String transport)
    {
        // 40000 elements: above every default switch point (allreduce 128 KiB, allgather and reduce-scatter
        // 64 KiB in total) but bcast's 512 KiB, which the 4-byte ints of 200000 elements pass
        final RunCommandTest.Result result = RunCommandTest.javelin("run", "-n", Integer.toString(ranks),
            "--transport", transport, "--timeout", "150", "-cp", RunCommandTest.testClasses(),
            CollectivesTestProgram.class.getName(), "40000", "--javelin.coll.bcast.scatter.min.bytes=64k");
        assertEquals(0, result.exitCode(), result.out() + result.err());
        for (int rank = 0; rank < ranks; rank++)
        {
            assertTrue(result.out().contains("rank " + rank + " of " + ranks + " collectives OK over " + transport),
                result.out());
        }
    }

    @Test
    void shouldBenchmarkAllreduceOnThreeRanks()
    {
        final RunCommandTest.Result result = RunCommandTest.javelin("bench", "allreduce", "-n", "3",
            "--transport", "tcp", "--timeout", "150", "--sizes", "4:4k", "--iterations", "20", "--warmup", "5");
        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertTrue(result.out().contains("# Javelin Allreduce Latency Test"), result.out());
        assertTrue(result.out().contains("ranks: 3"), result.out());
        assertEquals(11, result.out().lines().filter(line -> line.matches("\\d+ +\\d+\\.\\d\\d.*")).count(),
            result.out());
    }
}
