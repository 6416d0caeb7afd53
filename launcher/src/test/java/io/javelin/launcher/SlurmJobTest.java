package io.javelin.launcher;

import io.javelin.testing.NoProcessLeftBehind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Jobs started by Slurm's {@code srun}, with no javelin run: a single-node Slurm on loopback
 * ({@code deploy/slurm/start-slurm.sh}) is started once for the class and stopped afterwards, also on failure.
 * Without Slurm, munge or root the tests are skipped, unless {@code CI} is set, where that is a failure.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(NoProcessLeftBehind.class)
class SlurmJobTest
{
    private static final long START_TIMEOUT_S = 120;
    private static final long JOB_TIMEOUT_S = 180;
    private static final int RANKS = 4;
    /** Elements of the large messages: 256k ints is 1 MiB, above every eager limit (rendezvous). */
    private static final int LARGE = 256 * 1024;

    private static Path slurmDir;

    @BeforeAll
    static void startSlurm() throws Exception
    {
        final String missing = missingPrerequisite();
        if (null != missing)
        {
            if (null != System.getenv("CI"))
            {
                fail("CI is set but Slurm tests cannot run: " + missing + " (.ci/run installs slurm-wlm and munge)");
            }
            assumeTrue(false, "skipping the Slurm tests: " + missing);
        }
        final Result started = run(List.of(script("start-slurm.sh").toString()), START_TIMEOUT_S);
        final String[] lines = started.out().strip().split("\n");
        assertEquals(0, started.exitCode(), "start-slurm.sh failed:\n" + started.out() + started.err());
        slurmDir = Path.of(lines[lines.length - 1].strip());
        assertTrue(Files.isRegularFile(slurmDir.resolve("slurm.conf")), started.out() + started.err());
    }

    @AfterAll
    static void stopSlurm() throws Exception
    {
        if (null != slurmDir)
        {
            final Result stopped = run(List.of(script("stop-slurm.sh").toString(), slurmDir.toString()), 90);
            assertEquals(0, stopped.exitCode(), "stop-slurm.sh failed:\n" + stopped.out() + stopped.err());
        }
    }

    @Test
    void shouldRunPointToPointAndCollectivesUnderPlainSrun() throws Exception
    {
        // The secret travels in a MUNGE credential (the default where munge is installed).
        assertJobSucceeds(srun("--mpi=none", "-Djavelin.slurm.secret=munge"));
    }

    @Test
    void shouldRunUnderPlainSrunWithTheDerivedSecret() throws Exception
    {
        assertJobSucceeds(srun("--mpi=none", "-Djavelin.slurm.secret=derived"));
    }

    @Test
    void shouldRunPointToPointAndCollectivesUnderSrunWithPmix() throws Exception
    {
        assertJobSucceeds(srun("--mpi=pmix"));
    }

    @Test
    void shouldNameTheMissingRankWhenARankDiesBeforeJoining() throws Exception
    {
        final List<String> command = srun("--mpi=none", "-Djavelin.bootstrap.timeout=5",
            "-D" + SlurmTestProgram.EXIT_RANK_PROP_NAME + "=2");
        command.remove("--kill-on-bad-exit=1");
        final long startNs = System.nanoTime();
        final Result result = run(command, JOB_TIMEOUT_S);
        final String output = result.out() + result.err();
        assertTrue(result.exitCode() != 0, output);
        assertTrue(output.contains("fence: rank 2 has not arrived after 5 s"), output);
        assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(60), output);
    }

    private static void assertJobSucceeds(final List<String> command) throws Exception
    {
        final Result result = run(command, JOB_TIMEOUT_S);
        assertEquals(0, result.exitCode(), String.join(" ", command) + "\n" + result.out() + result.err());
        for (int rank = 0; rank < RANKS; rank++)
        {
            assertTrue(result.out().contains("slurm rank " + rank + " of " + RANKS + " OK over tcp"),
                result.out() + result.err());
        }
    }

    private static List<String> srun(final String mpi, final String... jvmOptions)
    {
        final List<String> command = new ArrayList<>(List.of("srun", mpi, "-n", Integer.toString(RANKS),
            "--kill-on-bad-exit=1", "--time=3", "--unbuffered",
            Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(LauncherConfiguration.RANK_JVM_FLAGS);
        command.addAll(List.of("-XX:+UseSerialGC", "-Djavelin.bootstrap.timeout=60",
            "-Djavelin.slurm.munge.socket=" + slurmDir.resolve("munge/munge.socket")));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
            SlurmTestProgram.class.getName(), Integer.toString(LARGE), "--javelin.transport=tcp"));
        return command;
    }

    private static String missingPrerequisite() throws IOException, InterruptedException
    {
        for (final String tool : List.of("srun", "sinfo", "slurmctld", "slurmd", "munged"))
        {
            if (run(List.of("sh", "-c", "command -v " + tool), 10).exitCode() != 0)
            {
                return tool + " not found (apt-get install slurm-wlm munge)";
            }
        }
        final Result id = run(List.of("id", "-u"), 10);
        if (!id.out().strip().equals("0"))
        {
            return "the single-node Slurm needs root (slurmd starts tasks as their users)";
        }
        return null;
    }

    private static Path script(final String name)
    {
        Path directory = Path.of("").toAbsolutePath();
        while (null != directory && !Files.isDirectory(directory.resolve("deploy/slurm")))
        {
            directory = directory.getParent();
        }
        if (null == directory)
        {
            throw new IllegalStateException("deploy/slurm not found above " + Path.of("").toAbsolutePath());
        }
        return directory.resolve("deploy/slurm").resolve(name);
    }

    record Result(int exitCode, String out, String err)
    {
    }

    /**
     * Runs a command with SLURM_CONF pointing at the test cluster; kills it (and its children) after the limit.
     */
    private static Result run(final List<String> command, final long timeoutS) throws IOException, InterruptedException
    {
        final ProcessBuilder builder = new ProcessBuilder(command);
        if (null != slurmDir)
        {
            builder.environment().put("SLURM_CONF", slurmDir.resolve("slurm.conf").toString());
        }
        builder.environment().keySet().removeIf((name) -> name.startsWith("JAVELIN_"));
        final File errFile = Files.createTempFile("javelin-slurm-test", ".err").toFile();
        builder.redirectError(errFile);
        final Process process = builder.start();
        try
        {
            final CompletableFuture<String> out = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                }
                catch (final IOException ex)
                {
                    return "(stdout lost: " + ex + ")";
                }
            });
            if (!process.waitFor(timeoutS, TimeUnit.SECONDS))
            {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                fail(String.join(" ", command) + " did not finish within " + timeoutS + " s:\n" +
                    Files.readString(errFile.toPath()));
            }
            return new Result(process.exitValue(), out.join(), Files.readString(errFile.toPath()));
        }
        finally
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Files.deleteIfExists(errFile.toPath());
        }
    }
}
