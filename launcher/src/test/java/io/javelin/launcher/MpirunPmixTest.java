package io.javelin.launcher;

import io.javelin.testing.MpirunJob;
import io.javelin.testing.NoProcessLeftBehind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        final MpirunJob job = mpirun("ok");

        assertEquals(0, job.exitCode(), job.output());
        for (int rank = 0; rank < RANKS; rank++)
        {
            assertTrue(job.output().contains("rank " + rank + " of " + RANKS + " OK over tcp"), job.output());
        }
    }

    @Test
    void shouldAbortTheJobThroughPmixWhenARankFails() throws Exception
    {
        final MpirunJob job = mpirun("fail", "1");

        assertTrue(job.exitCode() != 0, job.output());
        assertTrue(job.output().contains("javelin: rank 1 aborted the job with exit code 1: uncaught " +
            "java.lang.IllegalStateException: rank 1 fails on purpose"), job.output());
        assertTrue(job.elapsedMs() < FAIL_FAST_MS, "took " + job.elapsedMs() + " ms:\n" + job.output());
    }

    private static MpirunJob mpirun(final String... programArgs) throws IOException, InterruptedException
    {
        final List<String> command = MpirunJob.javaCommand(RANKS);
        // what the README's command line gets from $(javelin classpath --jvm-flags)
        command.addAll(List.of(RunCommandTest.javelin("classpath", "--jvm-flags").out().strip().split(" ")));
        command.add("-Djavelin.bootstrap.timeout=60");
        command.add(PmixJobTestProgram.class.getName());
        command.addAll(List.of(programArgs));
        command.add("--javelin.transport=tcp");
        return MpirunJob.run(command, JOB_LIMIT_S);
    }

}
