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
    void shouldBindEachRankThreadToACpuOfItsOwnWhenTheRanksFit()
    {
        final int cpus = Runtime.getRuntime().availableProcessors();
        org.junit.jupiter.api.Assumptions.assumeTrue(cpus >= 2, "needs 2 CPUs, this host has " + cpus);
        final RunCommandTest.Result bound = RunCommandTest.javelin("run", "-n", "2", "--transport", "tcp",
            "--timeout", "150", "-cp", RunCommandTest.testClasses(), CpuBindingTestProgram.class.getName());
        assertEquals(0, bound.exitCode(), bound.out() + bound.err());
        final String cpu0 = cpusOf(bound.out(), 0);
        final String cpu1 = cpusOf(bound.out(), 1);
        assertTrue(cpu0.matches("\\d+") && cpu1.matches("\\d+") && !cpu0.equals(cpu1), bound.out());
        assertTrue(bound.out().contains("binding [CPU " + cpu0 + " (local rank 0 of 2"), bound.out());

        final RunCommandTest.Result crowded = RunCommandTest.javelin("run", "-n", Integer.toString(cpus + 1),
            "--transport", "tcp", "--timeout", "150", "-cp", RunCommandTest.testClasses(),
            CpuBindingTestProgram.class.getName());
        assertEquals(0, crowded.exitCode(), crowded.out() + crowded.err());
        assertTrue(crowded.out().contains("rank 0 cpus [" + ownCpus() + "] binding [none (" + (cpus + 1) +
            " ranks on this host"), crowded.out());

        final RunCommandTest.Result off = RunCommandTest.javelin("run", "-n", "2", "--transport", "tcp",
            "-Djavelin.bind=none", "--timeout", "150", "-cp", RunCommandTest.testClasses(),
            CpuBindingTestProgram.class.getName());
        assertEquals(0, off.exitCode(), off.out() + off.err());
        assertTrue(off.out().contains("rank 1 cpus [" + ownCpus() + "] binding [none (javelin.bind=none)]"),
            off.out());
    }

    /**
     * @return the CPUs this test's JVM may use, as the kernel lists them: unbound ranks keep the same.
     */
    private static String ownCpus()
    {
        try
        {
            return CpuBindingTestProgram.cpusAllowed("/proc/self/status");
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static String cpusOf(final String out, final int rank)
    {
        final String marker = "rank " + rank + " cpus [";
        final int start = out.indexOf(marker);
        assertTrue(start >= 0, out);
        return out.substring(start + marker.length(), out.indexOf(']', start));
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
