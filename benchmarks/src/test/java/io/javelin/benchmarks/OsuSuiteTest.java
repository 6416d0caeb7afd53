package io.javelin.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code javelin bench all}: every benchmark's report from one job, in order, with the options each takes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OsuSuiteTest
{
    private static final List<String> TITLES = List.of("# Javelin Latency Test", "# Javelin Bandwidth Test",
        "# Javelin Bi-Directional Bandwidth Test", "# Javelin Multi Latency Test", "# Javelin Allreduce Latency Test",
        "# Javelin Broadcast Latency Test", "# Javelin Reduce Latency Test", "# Javelin Allgather Latency Test",
        "# Javelin All-to-All Personalized Exchange Latency Test", "# Javelin Barrier Latency Test");
    /** A size and a value (barrier: a value, no size), OSU's two decimals. */
    private static final String DATA_LINE = " *\\d+(\\.\\d\\d)? +\\d+\\.\\d\\d.*";

    @Test
    void shouldPrintEveryReportInOrderFromOneJob()
    {
        final String text = BenchmarkRun.run(2, "local", OsuSuite::run,
            "--sizes", "8:8", "--iterations", "2", "--warmup", "0", "--no-percentiles", "--window", "2");

        assertEquals(TITLES, titles(text), text);
        // one size, so one data line a report (barrier's has no size)
        assertEquals(TITLES.size(), text.lines().filter(line -> line.matches(DATA_LINE)).count(), text);
        assertEquals(2, text.lines().filter(line -> line.contains("window: 2 messages")).count(), text);
    }

    @Test
    void shouldRunOnlyTheNamedBenchmarksInTheSuitesOrder()
    {
        final String text = BenchmarkRun.run(2, "tcp", OsuSuite::run,
            "--only", "barrier,latency", "--sizes", "0:4", "--iterations", "2", "--warmup", "0");

        assertEquals(List.of("# Javelin Latency Test", "# Javelin Barrier Latency Test"), titles(text), text);
        assertEquals(4 + 1, text.lines().filter(line -> line.matches(DATA_LINE)).count(), text);
    }

    @Test
    void shouldLeaveOutMultiLatencyInAJobOfAnOddNumberOfRanks()
    {
        final String text = BenchmarkRun.run(3, "local", OsuSuite::run,
            "--only", "multi_lat,bcast", "--sizes", "4:4", "--iterations", "2", "--warmup", "0");

        assertEquals(List.of("# Javelin Broadcast Latency Test"), titles(text), text);
        assertTrue(text.contains("# multi_lat left out: it pairs rank i with i + N/2 and so needs an even number of " +
            "ranks, this job has 3"), text);
    }

    @Test
    void shouldRejectAnUnknownBenchmarkNamingTheKnownOnes()
    {
        final UsageException ex = assertThrows(UsageException.class,
            () -> BenchmarkRun.run(2, "local", OsuSuite::run, "--only", "latency,pingpong"));

        assertEquals("unknown benchmark 'pingpong' in --only: use some of latency,bw,bibw,multi_lat,allreduce," +
            "bcast,reduce,allgather,alltoall,barrier", ex.getMessage());
    }

    @Test
    void shouldRejectABadValueBeforeRunningAnyBenchmark()
    {
        final UsageException ex = assertThrows(UsageException.class,
            () -> BenchmarkRun.run(2, "local", OsuSuite::run, "--window", "0"));

        assertTrue(ex.getMessage().contains("--window"), ex.getMessage());
    }

    @Test
    void shouldGiveTheWindowToTheWindowedBenchmarksAlone()
    {
        final String[] args = {"--javelin.transport=tcp", "--window", "8", "--sizes=4:16", "--only=bw,latency",
            "--window=4"};

        assertArrayEquals(new String[]{"--javelin.transport=tcp", "--window", "8", "--sizes=4:16", "--window=4"},
            OsuSuite.argumentsFor(entry("bw"), args));
        assertArrayEquals(new String[]{"--javelin.transport=tcp", "--sizes=4:16"},
            OsuSuite.argumentsFor(entry("latency"), args));
    }

    private static OsuSuite.Entry entry(final String name)
    {
        return OsuSuite.BENCHMARKS.stream().filter(entry -> entry.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> titles(final String text)
    {
        return text.lines().filter(line -> line.startsWith("# Javelin ") && line.endsWith(" Test")).toList();
    }
}
