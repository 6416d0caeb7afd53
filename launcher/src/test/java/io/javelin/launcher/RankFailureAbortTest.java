package io.javelin.launcher;

import io.javelin.testing.NoProcessLeftBehind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rank whose main thread dies of an exception after {@code Javelin.init} aborts the job through its bootstrap
 * under {@code javelin run} too (under mpirun: {@link MpirunPmixTest}), while the other ranks wait for it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(NoProcessLeftBehind.class)
class RankFailureAbortTest
{
    @Test
    void shouldAbortTheJobWhenARanksMainThrows()
    {
        final RunCommandTest.Result result = RunCommandTest.javelin("run", "-n", "3", "--transport", "tcp",
            "--timeout", "100", "-cp", RunCommandTest.testClasses(), PmixJobTestProgram.class.getName(), "fail", "1");

        assertEquals(1, result.exitCode(), result.out() + result.err());
        assertTrue(result.err().contains("javelin: rank 1 aborted the job with exit code 1: uncaught " +
            "java.lang.IllegalStateException: rank 1 fails on purpose in thread main"), result.err());
        assertTrue(result.elapsedMs() < 60_000, "took " + result.elapsedMs() + " ms");
    }
}
