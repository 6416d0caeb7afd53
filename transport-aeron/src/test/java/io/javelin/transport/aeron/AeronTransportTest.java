package io.javelin.transport.aeron;

import io.javelin.transport.Endpoint;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportException;
import io.javelin.transport.TransportStatus;
import io.javelin.transport.conformance.RecordingListener;
import io.javelin.transport.conformance.TestMemory;
import io.javelin.transport.conformance.TransportHarness;
import io.javelin.transport.conformance.TransportHarness.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Aeron transport's own behaviour beyond the conformance suite: no threads of its own, driver
 * directories made and removed, settings checked, addresses checked, IPC refused across hosts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AeronTransportTest
{
    private static final long SECRET = 42;

    @TempDir
    Path base;

    @Test
    void shouldRunTheMediaDriverWithoutThreadsOfItsOwn()
    {
        final Set<String> before = liveThreads();
        try (TransportHarness harness = harness(Map.of(AeronConfiguration.MEDIA_PROP_NAME, "udp")))
        {
            final List<Node> job = harness.startJob(2, SECRET);
            exchange(harness, job);
            final Set<String> added = liveThreads();
            added.removeAll(before);
            assertEquals(Set.of(), added, "threads started by the transport (driver agents must run inside " +
                "progress(), async tasks inline)");
        }
    }

    @Test
    void shouldStopListeningForUdpOnceEveryPeerIsOnThisHost()
    {
        try (TransportHarness harness = harness(Map.of()))
        {
            final List<Node> job = harness.startJob(3, SECRET);
            exchange(harness, job);
            harness.await("every rank closing its unused UDP subscription", () -> job.stream()
                .noneMatch(node -> ((AeronTransport)node.transport()).listensForUdp()));
            exchange(harness, job);
        }
        try (TransportHarness harness = harness(Map.of(AeronConfiguration.MEDIA_PROP_NAME, "udp")))
        {
            final List<Node> job = harness.startJob(2, SECRET);
            exchange(harness, job);
            // several of the transport's 100 ms peer checks, which is where an unused subscription is closed
            final long endNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
            while (System.nanoTime() - endNs < 0)
            {
                harness.progressAll();
            }
            assertTrue(job.stream().allMatch(node -> ((AeronTransport)node.transport()).listensForUdp()),
                "peers that publish by UDP need the subscription");
        }
    }

    @Test
    void shouldDeleteItsDriverDirectoryOnCloseAndStaleOnesOnStart() throws IOException
    {
        final Path stale = base.resolve(DriverDirectories.newDirectory(base, 7).getFileName().toString()
            .replace("-p" + ProcessHandle.current().pid() + "-", "-p" + missingPid() + "-"));
        Files.createDirectories(stale);
        Files.writeString(stale.resolve("cnc.dat"), "left by a crashed rank");
        final Path alive = base.resolve(DriverDirectories.PREFIX + "other-r0-p" + ProcessHandle.current().pid() +
            "-n1-1");
        Files.createDirectories(alive);

        try (TransportHarness harness = harness(Map.of()))
        {
            final List<Node> job = harness.startJob(2, SECRET);
            assertFalse(Files.exists(stale), "a dead process's driver directory must be deleted on start");
            assertTrue(Files.exists(alive), "a live process's (or another namespace's) directory must stay");
            assertEquals(3, listDriverDirectories().size(), "one directory per transport: " +
                listDriverDirectories());
            exchange(harness, job);
        }
        assertEquals(List.of(alive), listDriverDirectories(), "close() must delete the driver directories");
    }

    @Test
    void shouldAcceptOneSidedPostsBeforeTheHandshakeAndBehindQueuedFrames()
    {
        // the engine does not retry reads and writes, so they are queued rather than refused
        try (TransportHarness harness = harness(Map.of(AeronConfiguration.MEDIA_PROP_NAME, "udp",
            AeronConfiguration.CMA_PROP_NAME, "off"));
            Arena arena = Arena.ofShared())
        {
            final List<Node> job = harness.startJob(2, SECRET);
            final long size = 4L << 20;
            final MemoryRegion local = job.get(0).transport().register(
                arena.allocate(size), MemoryRegion.ALL_ACCESS);
            final MemoryRegion remote = job.get(1).transport().register(
                arena.allocate(size), MemoryRegion.ALL_ACCESS);
            TestMemory.fill(local.segment(), 5);
            final Endpoint endpoint = job.get(0).endpoint(1);

            assertEquals(TransportStatus.OK, endpoint.read(local, 0, remote.address(), remote.remoteKey(), 64, 1),
                "a read before the handshake");
            for (long cookie = 2; cookie <= 4; cookie++)
            {
                assertEquals(TransportStatus.OK, endpoint.write(local, 0, remote.address(), remote.remoteKey(),
                    size, cookie), "a write behind queued frames");
            }
            harness.await("every completion", () -> 4 == job.get(0).listener().completionCount());
            for (long cookie = 1; cookie <= 4; cookie++)
            {
                assertEquals(TransportStatus.OK, job.get(0).listener().status(cookie), "operation " + cookie);
            }
            assertEquals(TestMemory.crc(local.segment()), TestMemory.crc(remote.segment()));
            local.close();
            remote.close();
        }
    }

    @Test
    void shouldDeliverArrivalsAloneWhenPolledForThem()
    {
        try (TransportHarness harness = harness(Map.of(AeronConfiguration.CMA_PROP_NAME, "off")))
        {
            final List<Node> job = harness.startJob(2, SECRET);
            exchange(harness, job);
            final Node sender = job.get(0);
            final Node receiver = job.get(1);
            final MemorySegment message = TestMemory.heapPattern(7, 40);
            assertEquals(TransportStatus.OK, harness.post("send", () -> sender.endpoint(1).send(
                message, 8, message, 8, 32, 2)));
            assertFalse(sender.listener().completed(2), "a send completes in a progress call");

            // nothing but the receiver's arrival polls runs until the message is in
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int delivered = 0;
            while (0 == delivered && System.nanoTime() - deadlineNs < 0)
            {
                delivered = receiver.transport().pollArrivals();
            }
            assertEquals(1, delivered, "messages delivered by the poll that saw the message");
            assertEquals(2, receiver.listener().messages().size());
            assertEquals(40, receiver.listener().messages().get(1).length());

            assertEquals(0, sender.transport().pollArrivals(), "nothing has arrived at the sender");
            assertFalse(sender.listener().completed(2), "an arrival poll delivers no completion");
            harness.await("the send's completion", () -> sender.listener().completed(2));
            assertEquals(TransportStatus.OK, sender.listener().status(2));
        }
    }

    @Test
    void shouldRefuseIpcToAPeerOnAnotherHost()
    {
        try (TransportHarness harness = harness(Map.of(AeronConfiguration.MEDIA_PROP_NAME, "ipc")))
        {
            final Node node = harness.create(0, 2, SECRET);
            final AeronAddress own = AeronAddress.decode(0, node.transport().localAddress());
            final byte[] elsewhere = new AeronAddress(own.hostId() + 1, 1, false, own.udpEndpoint(),
                "/nowhere").encode();
            final Endpoint endpoint = node.transport().connect(1, elsewhere);
            final MemorySegment message = TestMemory.heapPattern(1, 8);

            harness.await("the post to fail", () -> TransportStatus.PEER_FAILED == endpoint.send(
                message, 8, message, 0, 0, 1));
            harness.await("the failure report", () -> !node.listener().failures().isEmpty());
            final RecordingListener.PeerFailure failure = node.listener().failures().getFirst();
            assertTrue(failure.reason().contains("another host"), failure.reason());
        }
    }

    @Test
    void shouldNameTheSettingThatIsWrong()
    {
        assertSettingRefused(AeronConfiguration.MEDIA_PROP_NAME, "carrier-pigeon");
        assertSettingRefused(AeronConfiguration.TERM_LENGTH_PROP_NAME, "3m");
        assertSettingRefused(AeronConfiguration.MTU_PROP_NAME, "1000");
        assertSettingRefused(AeronConfiguration.CMA_PROP_NAME, "maybe");
        assertSettingRefused(AeronConfiguration.EAGER_LIMIT_PROP_NAME, "1g");
        assertSettingRefused(AeronConfiguration.BIND_PROP_NAME, "127.0.0.1:99999");
        assertSettingRefused(AeronConfiguration.LIVENESS_TIMEOUT_PROP_NAME, "10");
    }

    @Test
    void shouldRoundTripAddressesAndRefuseForeignOnes()
    {
        final AeronAddress address = new AeronAddress(-5, 1234, true,
            AeronConfiguration.parseBindAddress("10.1.2.3:4567"), "/dev/shm/javelin-aeron-x");
        assertEquals(address, AeronAddress.decode(3, address.encode()));
        final TransportException error = assertThrows(TransportException.class,
            () -> AeronAddress.decode(3, new byte[]{4, 127, 0, 0, 1, 0, 80}));
        assertTrue(error.getMessage().contains("rank 3"), error.getMessage());
        assertThrows(TransportException.class, () -> AeronAddress.decode(3, null));
    }

    private TransportHarness harness(final Map<String, String> extra)
    {
        final Map<String, String> properties = new java.util.HashMap<>(extra);
        properties.put(AeronConfiguration.DIR_PROP_NAME, base.toString());
        return new TransportHarness(AeronTransport::new, properties);
    }

    private static void exchange(final TransportHarness harness, final List<Node> job)
    {
        final MemorySegment message = TestMemory.heapPattern(3, 100);
        assertEquals(TransportStatus.OK, harness.post("send", () -> job.get(0).endpoint(1).send(
            message, 16, message, 16, 84, 1)));
        harness.await("the message", () -> 1 == job.get(1).listener().messages().size());
    }

    private void assertSettingRefused(final String key, final String value)
    {
        final RecordingListener listener = new RecordingListener("settings");
        final TransportException error = assertThrows(TransportException.class, () -> new AeronTransport(
            new TransportContext(0, 1, SECRET, listener, Map.of(key, value, AeronConfiguration.DIR_PROP_NAME,
            base.toString()))), key + "=" + value);
        assertTrue(error.getMessage().contains(key), error.getMessage());
    }

    private List<Path> listDriverDirectories() throws IOException
    {
        try (Stream<Path> entries = Files.list(base))
        {
            return entries.filter(path -> path.getFileName().toString().startsWith(DriverDirectories.PREFIX))
                .toList();
        }
    }

    private static Set<String> liveThreads()
    {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
            .map(thread -> thread.getName() + "#" + thread.threadId()).collect(Collectors.toSet());
    }

    private static long missingPid()
    {
        long pid = 4_000_000;
        while (ProcessHandle.of(pid).isPresent())
        {
            pid++;
        }
        return pid;
    }
}
