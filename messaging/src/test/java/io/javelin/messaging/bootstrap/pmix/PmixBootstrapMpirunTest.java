package io.javelin.messaging.bootstrap.pmix;

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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link PmixBootstrap} in processes started by Open MPI's {@code mpirun} (a real PMIx server). Needs
 * {@code mpirun} (openmpi-bin) and libpmix2: skipped without them on a developer machine, failed under CI.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(NoProcessLeftBehind.class)
class PmixBootstrapMpirunTest
{
    private static final long JOB_LIMIT_S = 120;

    private record Job(int exitCode, String output, long elapsedMs)
    {
    }

    @Test
    void shouldExchangeValuesAndShareOneJobSecret() throws Exception
    {
        final Job job = mpirun(3, 60, "exchange");

        assertEquals(0, job.exitCode(), job.output());
        for (int rank = 0; rank < 3; rank++)
        {
            assertTrue(job.output().contains("rank " + rank + " of 3 exchanged over pmix"), job.output());
        }
    }

    @Test
    void shouldGiveUpAtTheTimeLimitWhenARankNeverJoins() throws Exception
    {
        final Job job = mpirun(3, 3, "late", "2");

        assertTrue(job.exitCode() != 0, job.output());
        assertTrue(job.output().contains("of PMIx namespace ") &&
            job.output().contains("not every one of the 3 ranks arrived within 3 s"), job.output());
        assertTrue(job.elapsedMs() < 60_000, "took " + job.elapsedMs() + " ms:\n" + job.output());
    }

    private static Job mpirun(final int ranks, final int bootstrapTimeoutS, final String... programArgs)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of(findMpirun(), "--allow-run-as-root", "--oversubscribe",
            "--bind-to", "none", "-np", Integer.toString(ranks),
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // -cp first: mpirun rewrites java command lines and garbles -cp after a -Djavelin... option
            "-cp", System.getProperty("java.class.path"),
            "--enable-native-access=ALL-UNNAMED",
            "-Djavelin.bootstrap.timeout=" + bootstrapTimeoutS,
            PmixBootstrapTestProgram.class.getName()));
        command.addAll(List.of(programArgs));

        final Path output = Files.createTempFile("javelin-pmix", ".out");
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("JAVELIN_") || name.startsWith("PMIX_") ||
            name.startsWith("OMPI_") || name.startsWith("SLURM_"));
        final long start = System.nanoTime();
        final Process process = builder.start();
        try
        {
            if (!process.waitFor(JOB_LIMIT_S, TimeUnit.SECONDS))
            {
                fail("mpirun did not finish within " + JOB_LIMIT_S + " s:\n" + Files.readString(output));
            }
            return new Job(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
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
        final String message = "mpirun is not installed, so the PMIx bootstrap cannot be tested: " +
            "apt-get install openmpi-bin libpmix2";
        if (null != System.getenv("CI"))
        {
            fail(message + " (CI is set: .ci/run installs them)");
        }
        Assumptions.abort(message);
        return null;
    }
}
