package io.javelin.launcher;

import io.javelin.testing.NoProcessLeftBehind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Point-to-point between real rank JVMs started by {@code javelin run}, over TCP.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(NoProcessLeftBehind.class)
class MultiProcessPointToPointTest
{
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void shouldRunPointToPointAcrossProcesses(final int ranks)
    {
        final RunCommandTest.Result result = RunCommandTest.javelin("run", "-n", Integer.toString(ranks),
            "--transport", "tcp", "--timeout", "150", "-cp", RunCommandTest.testClasses(),
            PointToPointTestProgram.class.getName(), Integer.toString(1 << 20));
        assertEquals(0, result.exitCode(), result.out() + result.err());
        for (int rank = 0; rank < ranks; rank++)
        {
            assertTrue(result.out().contains("rank " + rank + " of " + ranks + " OK over tcp"), result.out());
        }
    }

    @Test
    void shouldMoveSixtyFourMebibyteMessagesIntact()
    {
        final RunCommandTest.Result result = RunCommandTest.javelin("run", "-n", "2", "--transport", "tcp",
            "--timeout", "150", "-cp", RunCommandTest.testClasses(), PointToPointTestProgram.class.getName(),
            Integer.toString(64 << 20));
        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertTrue(result.out().contains("rank 1 of 2 OK over tcp"), result.out());
    }

    @Test
    void shouldRefuseTheInJvmTransportForSeparateProcesses()
    {
        final RunCommandTest.Result result = RunCommandTest.javelin("run", "-n", "2", "--transport", "local",
            "--timeout", "150", "-cp", RunCommandTest.testClasses(), PointToPointTestProgram.class.getName(), "16");
        assertTrue(result.exitCode() != 0, result.out() + result.err());
        assertTrue((result.out() + result.err()).contains("use --transport tcp"), result.out() + result.err());
    }
}
