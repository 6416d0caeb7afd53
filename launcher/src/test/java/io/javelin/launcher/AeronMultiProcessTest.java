package io.javelin.launcher;

import io.javelin.testing.NoProcessLeftBehind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Aeron transport between real rank JVMs started by {@code javelin run}: point-to-point semantics over
 * IPC and over UDP, single-copy transfers between the processes (counted, not timed), the fallback when
 * single copy is off, and no driver directory left behind.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(NoProcessLeftBehind.class)
class AeronMultiProcessTest
{
    private static final Path SHM = Path.of("/dev/shm");

    @ParameterizedTest
    @ValueSource(strings = {"ipc", "udp"})
    void shouldRunPointToPointAcrossProcesses(final String media) throws IOException
    {
        // a base folder of this job's own: other jobs on this machine come and go in the default one
        final Path base = Files.createTempDirectory(Files.isDirectory(SHM) ? SHM : Path.of("/tmp"), "javelin-test-");
        final RunCommandTest.Result result = RunCommandTest.javelin("run", "-n", "3", "--transport", "aeron",
            "-Djavelin.aeron.media=" + media, "-Djavelin.aeron.dir=" + base, "--timeout", "150",
            "-cp", RunCommandTest.testClasses(),
            PointToPointTestProgram.class.getName(), Integer.toString(4 << 20));
        assertEquals(0, result.exitCode(), result.out() + result.err());
        for (int rank = 0; rank < 3; rank++)
        {
            assertTrue(result.out().contains("rank " + rank + " of 3 OK over aeron"), result.out());
        }
        final List<Path> left = driverDirectories(base);
        Files.delete(base);
        assertEquals(List.of(), left, "driver directories left behind");
    }

    @Test
    void shouldMoveLargeMessagesBetweenProcessesBySingleCopy()
    {
        final RunCommandTest.Result result = RunCommandTest.javelin("run", "-n", "2", "--transport", "aeron",
            "--timeout", "150", "-cp", RunCommandTest.testClasses(), AeronSingleCopyTestProgram.class.getName(),
            Integer.toString(8 << 20));
        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertTrue(result.out().contains("rank 1 over aeron: single-copy operations 1 bytes " + (8 << 20)),
            "the receiver reads the rendezvous message in one copy: " + result.out() + result.err());
    }

    @Test
    void shouldMoveLargeMessagesThroughTheStreamWhenSingleCopyIsOff()
    {
        final RunCommandTest.Result result = RunCommandTest.javelin("run", "-n", "2", "--transport", "aeron",
            "-Djavelin.aeron.cma=off", "--timeout", "150", "-cp", RunCommandTest.testClasses(),
            AeronSingleCopyTestProgram.class.getName(), Integer.toString(8 << 20));
        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertTrue(result.out().contains("rank 1 over aeron: single-copy operations 0 bytes 0"),
            result.out() + result.err());
    }

    private static List<Path> driverDirectories(final Path base) throws IOException
    {
        try (Stream<Path> entries = Files.list(base))
        {
            return entries.sorted().toList();
        }
    }
}
