package io.javelin.transport.aeron;

import io.javelin.transport.Endpoint;
import io.javelin.transport.TransportStatus;
import io.javelin.transport.conformance.RecordingListener;
import io.javelin.transport.conformance.TestMemory;
import io.javelin.transport.conformance.TransportHarness;
import io.javelin.transport.conformance.TransportHarness.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer in another process (a real JVM, same host: IPC) that is killed: this rank notices (its process is
 * gone), fails what is in flight and later posts, and the next driver started cleans up the directory the
 * killed process left behind.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AeronPeerCrashTest
{
    private static final long SECRET = 0x77;

    @TempDir
    Path base;

    @Test
    void shouldFailAKilledPeerAndCleanUpAfterIt() throws IOException, InterruptedException
    {
        Process child = null;
        try (TransportHarness harness = new TransportHarness(AeronTransport::new,
            Map.of(AeronConfiguration.DIR_PROP_NAME, base.toString())))
        {
            final Node node = harness.create(0, 2, SECRET);
            child = startPeer(node);
            final String line = readAddressLine(child);
            final Endpoint peer = node.transport().connect(1, HexFormat.of().parseHex(line));
            final MemorySegment message = TestMemory.heapPattern(5, 64);
            assertEquals(TransportStatus.OK, harness.post("send", () -> peer.send(message, 16, message, 16, 48, 1)));
            harness.await("the echo", () -> 1 == node.listener().messages().size());
            assertEquals(1, driverDirectoriesOf(child.pid()).size(), "the peer's driver directory");

            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

            harness.await("the peer failure", () -> !node.listener().failures().isEmpty());
            final RecordingListener.PeerFailure failure = node.listener().failures().getFirst();
            assertTrue(failure.reason().contains("exited"), failure.reason());
            assertEquals(TransportStatus.PEER_FAILED, peer.send(message, 16, message, 0, 0, 2));
            assertEquals(1, driverDirectoriesOf(child.pid()).size(), "a killed rank leaves its directory");

            harness.create(0, 1, SECRET);
            assertEquals(List.of(), driverDirectoriesOf(child.pid()), "the next driver deletes the stale one");
        }
        finally
        {
            if (null != child)
            {
                child.destroyForcibly();
            }
        }
    }

    private Process startPeer(final Node node) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(argument -> argument.startsWith("--")).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AeronPeerProcess.class.getName(),
            Long.toString(SECRET), HexFormat.of().formatHex(node.transport().localAddress()), base.toString()));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String readAddressLine(final Process child) throws IOException
    {
        final BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8));
        final String line = reader.readLine();
        assertFalse(null == line || !line.startsWith("ADDRESS "), "the peer process printed " + line);
        return line.substring("ADDRESS ".length());
    }

    private List<Path> driverDirectoriesOf(final long pid) throws IOException
    {
        try (Stream<Path> entries = Files.list(base))
        {
            return entries.filter(path -> path.getFileName().toString().contains("-p" + pid + "-")).toList();
        }
    }
}
