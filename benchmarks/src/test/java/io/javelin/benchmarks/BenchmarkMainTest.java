package io.javelin.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exit status and messages of a benchmark's {@code main} in a real JVM (a job of one rank, no launcher).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchmarkMainTest
{
    private record Outcome(int exitStatus, String stdout, String stderr)
    {
    }

    @Test
    void shouldExitZeroAfterPrintingHelp() throws Exception
    {
        final Outcome outcome = runMain(OsuLatency.class, "--help", "--javelin.transport=tcp");

        assertEquals(0, outcome.exitStatus(), outcome.stderr());
        assertTrue(outcome.stdout().startsWith("Usage: OsuLatency"), outcome.stdout());
    }

    @Test
    void shouldExitTwoAndNameTheUnknownOption() throws Exception
    {
        final Outcome outcome = runMain(OsuBandwidth.class, "--bogus", "--javelin.transport=tcp");

        assertEquals(BenchmarkMain.USAGE_EXIT_STATUS, outcome.exitStatus(), outcome.stderr());
        assertTrue(outcome.stderr().startsWith("Unknown option: '--bogus'"), outcome.stderr());
        assertTrue(outcome.stderr().contains("Usage: OsuBandwidth"), outcome.stderr());
        assertEquals("", outcome.stdout());
    }

    @Test
    void shouldExitTwoWhenTheJobHasOneRank() throws Exception
    {
        final Outcome outcome = runMain(OsuBiBandwidth.class, "--sizes", "1:8", "--javelin.transport=tcp");

        assertEquals(BenchmarkMain.USAGE_EXIT_STATUS, outcome.exitStatus(), outcome.stderr());
        assertTrue(outcome.stderr().contains("needs 2 ranks"), outcome.stderr());
    }

    private static Outcome runMain(final Class<?> mainClass, final String... args)
        throws IOException, InterruptedException
    {
        final Path stdout = Files.createTempFile("benchmark", ".out");
        final Path stderr = Files.createTempFile("benchmark", ".err");
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(arg -> arg.startsWith("--")).toList());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
        // no launcher variables: the program is a job of one rank
        builder.environment().keySet().removeIf(name -> name.startsWith("JAVELIN_"));
        final Process process = builder.start();
        try
        {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "benchmark did not exit within 60 s");
            return new Outcome(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
        }
        finally
        {
            process.destroyForcibly();
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
