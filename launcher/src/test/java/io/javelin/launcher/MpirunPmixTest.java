package io.javelin.launcher;

import io.javelin.testing.NoProcessLeftBehind;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Jobs started by Open MPI's {@code mpirun} (a PMIx server, no Javelin daemon): ranks join through
 * {@code PmixBootstrap} and run with the JVM flags {@code javelin run} gives its ranks. Needs {@code mpirun}
 * (openmpi-bin) and libpmix2: skipped without them on a developer machine, failed under CI ({@code CI} set).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(NoProcessLeftBehind.class)
class MpirunPmixTest
{
    private static final int RANKS = 4;
    private static final long JOB_LIMIT_S = 150;
    /** A failed job must end far sooner than the bootstrap time limit (60 s here): the abort ended it. */
    private static final long FAIL_FAST_MS = 45_000;

    record Job(int exitCode, String output, long elapsedMs)
    {
    }

    @Test
    void shouldPrintTheJvmFlagsOfRanksOnOneLine()
    {
        final RunCommandTest.Result result = RunCommandTest.javelin("classpath", "--jvm-flags");

        assertEquals(0, result.exitCode(), result.err());
        assertEquals(LauncherConfiguration.RANK_JVM_FLAGS, List.of(result.out().strip().split(" ")));
    }

    @Test
    void shouldRunPointToPointAndCollectivesUnderMpirun() throws Exception
    {
        final Job job = mpirun("ok");

        assertEquals(0, job.exitCode(), job.output());
        for (int rank = 0; rank < RANKS; rank++)
        {
            assertTrue(job.output().contains("rank " + rank + " of " + RANKS + " OK over tcp"), job.output());
        }
    }

    @Test
    void shouldAbortTheJobThroughPmixWhenARankFails() throws Exception
    {
        final Job job = mpirun("fail", "1");

        assertTrue(job.exitCode() != 0, job.output());
        assertTrue(job.output().contains("javelin: rank 1 aborted the job with exit code 1: uncaught " +
            "java.lang.IllegalStateException: rank 1 fails on purpose"), job.output());
        assertTrue(job.elapsedMs() < FAIL_FAST_MS, "took " + job.elapsedMs() + " ms:\n" + job.output());
    }

    private static Job mpirun(final String... programArgs) throws IOException, InterruptedException
    {
        final String mpirun = findMpirun();
        final List<String> command = new ArrayList<>(List.of(mpirun, "--allow-run-as-root", "--oversubscribe",
            "--bind-to", "none", "-np", Integer.toString(RANKS),
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // -cp first: mpirun rewrites a java command line (prepends its working directory to -cp) and
            // mangles it when a -Djavelin... option comes before -cp
            "-cp", System.getProperty("java.class.path")));
        // what the README's command line gets from $(javelin classpath --jvm-flags)
        command.addAll(List.of(RunCommandTest.javelin("classpath", "--jvm-flags").out().strip().split(" ")));
        command.add("-Djavelin.bootstrap.timeout=60");
        command.add(PmixJobTestProgram.class.getName());
        command.addAll(List.of(programArgs));
        command.add("--javelin.transport=tcp");

        final Path output = Files.createTempFile("javelin-mpirun", ".out");
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(output.toFile());
        final Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("JAVELIN_") || name.startsWith("PMIX_") ||
            name.startsWith("OMPI_") || name.startsWith("SLURM_"));
        final long start = System.nanoTime();
        final Process process = builder.start();
        try
        {
            if (!process.waitFor(JOB_LIMIT_S, TimeUnit.SECONDS))
            {
                fail("mpirun did not finish within " + JOB_LIMIT_S + " s:\n" + Files.readString(output));
            }
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            return new Job(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8), elapsedMs);
        }
        finally
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    private static String findMpirun()
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator))
        {
            final Path candidate = Path.of(dir, "mpirun");
            if (Files.isExecutable(candidate))
            {
                return candidate.toString();
            }
        }
        final String message = "mpirun is not installed, so jobs under a PMIx launcher cannot be tested: " +
            "apt-get install openmpi-bin libpmix2";
        if (null != System.getenv("CI"))
        {
            fail(message + " (CI is set: .ci/run installs them)");
        }
        Assumptions.abort(message);
        return null;
    }
}
