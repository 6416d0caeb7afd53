package io.javelin.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs a job of JVMs under Open MPI's {@code mpirun} (a PMIx server), for the tests of Javelin under mpirun.
 * Without {@code mpirun} the test is skipped on a developer machine and fails under CI ({@code CI} set).
 *
 * <p>Shared from the test-jar of transport-api by the messaging and launcher tests.
 *
 * @param exitCode  mpirun's exit status.
 * @param output    what mpirun and the ranks printed, stdout and stderr together.
 * @param elapsedMs from start to exit.
 */
public record MpirunJob(int exitCode, String output, long elapsedMs)
{
    /**
     * The start of an mpirun command line that runs {@code java} with this JVM's classpath on every rank; the
     * caller adds JVM options, the main class and its arguments.
     *
     * @param ranks how many ranks ({@code -np}); more than cores is fine ({@code --oversubscribe}).
     * @return a list the caller may add to.
     */
    public static List<String> javaCommand(final int ranks)
    {
        return new ArrayList<>(List.of(findMpirun(), "--allow-run-as-root", "--oversubscribe",
            "--bind-to", "none", "-np", Integer.toString(ranks),
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // -cp first: mpirun rewrites a java command line (prepends its working directory to -cp) and
            // mangles it when a -Djavelin... option comes before -cp
            "-cp", System.getProperty("java.class.path")));
    }

    /**
     * Runs the command without the launcher variables of this environment ({@code JAVELIN_}, {@code PMIX_},
     * {@code OMPI_}, {@code SLURM_}), and destroys every process of the job before returning.
     *
     * @param command e.g. from {@link #javaCommand(int)}.
     * @param limitS  fails the test if the job runs longer, seconds.
     * @return how the job ended.
     * @throws IOException          if mpirun cannot be started or its output read.
     * @throws InterruptedException if interrupted while waiting.
     */
    public static MpirunJob run(final List<String> command, final long limitS) throws IOException, InterruptedException
    {
        final Path output = Files.createTempFile("javelin-mpirun", ".out");
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("JAVELIN_") || name.startsWith("PMIX_") ||
            name.startsWith("OMPI_") || name.startsWith("SLURM_"));
        final long start = System.nanoTime();
        final Process process = builder.start();
        try
        {
            if (!process.waitFor(limitS, TimeUnit.SECONDS))
            {
                fail("mpirun did not finish within " + limitS + " s:\n" + Files.readString(output));
            }
            return new MpirunJob(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8),
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
