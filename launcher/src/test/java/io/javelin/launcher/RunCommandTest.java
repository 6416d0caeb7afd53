package io.javelin.launcher;

import io.javelin.testing.NoProcessLeftBehind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code javelin run} with real rank JVMs running {@link BootstrapTestProgram}, called in-process through
 * {@link Main#execute}. The ranks' classpath is surefire's full classpath plus {@code -cp test-classes}.
 */
@Timeout(60)
@ExtendWith(NoProcessLeftBehind.class)
class RunCommandTest
{
    /** Far below {@link BootstrapTestProgram#LINGER_SECONDS}: a job that ends sooner was ended by the launcher. */
    private static final long FAIL_FAST_MS = 30_000;

    record Result(int exitCode, String out, String err, long elapsedMs)
    {
    }

    static Result javelin(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final long start = System.nanoTime();
        final int exitCode;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            exitCode = Main.execute(args, outStream, errStream);
        }
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    static Result runProgram(final int ranks, final String... programArgs)
    {
        final List<String> args = new ArrayList<>(List.of("run", "-n", Integer.toString(ranks),
            "-cp", testClasses(), BootstrapTestProgram.class.getName()));
        args.addAll(List.of(programArgs));
        return javelin(args.toArray(String[]::new));
    }

    static String testClasses()
    {
        try
        {
            return Path.of(BootstrapTestProgram.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void shouldExchangeValuesAmongEveryRank(final int ranks)
    {
        final Result result = runProgram(ranks, "exchange");

        assertEquals(0, result.exitCode(), result.err());
        for (int r = 0; r < ranks; r++)
        {
            final String expected = "rank " + r + " of " + ranks + " exchanged with every rank";
            assertTrue(result.out().contains(expected), result.out());
        }
    }

    @Test
    void shouldStopTheJobWhenARankExitsWithAnError()
    {
        final Result result = runProgram(3, "fail", "1", "3");

        assertEquals(3, result.exitCode(), result.err());
        assertTrue(result.err().contains("javelin: rank 1 exited with code 3"), result.err());
        assertTrue(result.elapsedMs() < FAIL_FAST_MS, "took " + result.elapsedMs() + " ms");
    }

    @Test
    void shouldReportARankKilledBySignal()
    {
        final Result result = runProgram(3, "kill", "2");

        assertEquals(128 + 9, result.exitCode(), result.err());
        assertTrue(result.err().contains("javelin: rank 2 was killed by signal 9 (SIGKILL)"), result.err());
        assertTrue(result.elapsedMs() < FAIL_FAST_MS, "took " + result.elapsedMs() + " ms");
    }

    @Test
    void shouldStopTheJobWhenARankAborts()
    {
        final Result result = runProgram(2, "abort", "0", "7");

        assertEquals(7, result.exitCode(), result.err());
        assertTrue(result.err().contains("javelin: rank 0 aborted the job with exit code 7: test abort"),
            result.err());
        assertTrue(result.elapsedMs() < FAIL_FAST_MS, "took " + result.elapsedMs() + " ms");
    }

    @Test
    void shouldStopEveryRankAtTheTimeout()
    {
        final Result result = javelin("run", "-n", "2", "--timeout", "2", "-cp", testClasses(),
            BootstrapTestProgram.class.getName(), "sleep");

        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.err().contains("javelin: job timed out after 2 s; ranks 0, 1 were still running"),
            result.err());
        assertTrue(result.elapsedMs() < FAIL_FAST_MS, "took " + result.elapsedMs() + " ms");
    }

    @Test
    void shouldPrefixEveryLineWithTheRankWhenTaggingOutput()
    {
        final Result result = javelin("run", "-n", "2", "--tag-output", "-cp", testClasses(),
            BootstrapTestProgram.class.getName(), "print");

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("[0] out line of rank 0\n"), result.out());
        assertTrue(result.out().contains("[1] out line of rank 1\n"), result.out());
        assertTrue(result.err().contains("[0] err line of rank 0\n"), result.err());
        assertTrue(result.err().contains("[1] err line of rank 1\n"), result.err());
    }

    @Test
    void shouldForwardLinesUnchangedWithoutTagging()
    {
        final Result result = runProgram(2, "print");

        assertEquals(0, result.exitCode(), result.err());
        final List<String> lines = result.out().lines().sorted().toList();
        assertEquals(List.of("out line of rank 0", "out line of rank 1"), lines);
    }

    @Test
    void shouldPassProgramOptionsAfterTheMainClassToTheProgram()
    {
        final Result result = runProgram(1, "print", "-n", "--tag-output");

        assertEquals(0, result.exitCode(), result.err());
        assertEquals("out line of rank 0", result.out().strip());
    }

    @Test
    void shouldRejectBadInputWithExitCodeTwo()
    {
        assertUsageError(javelin("run", "-n", "0", "-cp", testClasses(), BootstrapTestProgram.class.getName()),
            "a job needs at least 1 rank");
        assertUsageError(javelin("run", "-n", "2"), "no program to run: give -cp <classpath> <MainClass>");
        assertUsageError(javelin("run", "-cp", testClasses(), "Foo"), "Missing required option: '--np=N'");
        assertUsageError(javelin("run", "-n", "2", "--transport", "carrier-pigeon", "-cp", testClasses(),
            BootstrapTestProgram.class.getName()), "unknown transport 'carrier-pigeon': use one of aeron, auto");
        assertUsageError(javelin("run", "-n", "2", "-cp", testClasses(), "com.example.Missing"),
            "main class com.example.Missing not found in -cp");
        assertUsageError(javelin("run", "-n", "2", "--bogus", "-cp", testClasses(), "Foo"),
            "Unknown option: '--bogus'");
        assertUsageError(javelin("run", "-n", "2", "--jar", "no-such.jar"), "--jar no-such.jar: no such file");
        assertUsageError(javelin("bench", "fastest"),
            "unknown benchmark 'fastest': use one of latency, bw, bibw, multi_lat, allreduce, bcast, reduce, " +
            "allgather, alltoall, barrier, all");
        assertUsageError(javelin(), "missing command");
    }

    @Test
    void shouldExplainAMissingBenchmarkClass()
    {
        final boolean benchmarkExists =
            null != RunCommandTest.class.getClassLoader().getResource("io/javelin/benchmarks/OsuLatency.class");
        if (benchmarkExists)
        {
            return;
        }
        final Result result = javelin("pingpong", "--sizes", "0:4m");
        assertUsageError(result, "class io.javelin.benchmarks.OsuLatency is not in this Javelin build");
    }

    @Test
    void shouldPrintJavelinsClasspath() throws Exception
    {
        final Result result = javelin("classpath");

        assertEquals(0, result.exitCode(), result.err());
        final String launcherClasses =
            Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        assertTrue(List.of(result.out().strip().split(File.pathSeparator)).contains(launcherClasses),
            result.out());
    }

    @Test
    void shouldPrintInfo()
    {
        final Result result = javelin("info");

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("Java       " + System.getProperty("java.version")), result.out());
        assertTrue(result.out().contains("Transports"), result.out());
    }

    private static void assertUsageError(final Result result, final String expected)
    {
        if (result.exitCode() != Main.EXIT_USAGE || !result.err().contains(expected))
        {
            fail("expected exit code 2 and '" + expected + "', got " + result.exitCode() + " and: " + result.err());
        }
    }
}
