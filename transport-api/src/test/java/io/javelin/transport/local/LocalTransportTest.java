package io.javelin.transport.local;

import io.javelin.transport.Endpoint;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.Transport;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportException;
import io.javelin.transport.TransportListener;
import io.javelin.transport.TransportProvider;
import io.javelin.transport.TransportStatus;
import io.javelin.transport.conformance.TestMemory;
import io.javelin.transport.conformance.TransportHarness;
import io.javelin.transport.conformance.TransportHarness.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Behaviour specific to the in-JVM transport, driven from the test thread; see
 * {@link LocalTransportThreadsTest} for ranks on their own threads.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalTransportTest
{
    private static final long SECRET = 42;

    private final String fabric = "local-test-" + UUID.randomUUID();
    private final Map<String, String> properties = new HashMap<>(Map.of(
        LocalTransportConfiguration.FABRIC_PROP_NAME, fabric));
    private TransportHarness harness;

    @AfterEach
    void closeHarness()
    {
        if (null != harness)
        {
            harness.close();
            assertEquals(List.of(), harness.violations(), "transport contract violations");
        }
    }

    private TransportHarness harness()
    {
        harness = new TransportHarness(LocalTransport::new, properties);
        return harness;
    }

    @Test
    void shouldBeFoundByServiceLoaderWithLowPriority()
    {
        final TransportProvider provider = ServiceLoader.load(TransportProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(candidate -> "local".equals(candidate.name()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no TransportProvider named local on the class path"));
        assertEquals(0, provider.priority());
        assertNull(provider.unavailableReason());
        final Node node = harness().create(0, 1, SECRET);
        assertEquals("local", node.transport().name());
        try (Transport transport = provider.create(new TransportContext(0, 1, SECRET, node.listener(),
            Map.of(LocalTransportConfiguration.FABRIC_PROP_NAME, fabric + "-provider"))))
        {
            assertEquals("local", transport.name());
        }
    }

    @Test
    void shouldPublishConfiguredCapabilities()
    {
        properties.put(LocalTransportConfiguration.EAGER_LIMIT_PROP_NAME, "64k");
        final Transport transport = harness().create(0, 1, SECRET).transport();
        assertEquals(64 * 1024, transport.capabilities().eagerLimitBytes());
        assertTrue(transport.capabilities().twoSided());
        assertTrue(transport.capabilities().rmaRead());
        assertTrue(transport.capabilities().rmaWrite());
        assertFalse(transport.capabilities().rmaEmulated());
        assertTrue(transport.capabilities().requiresRegistration());
        assertEquals(256, transport.capabilities().maxHeaderBytes());
    }

    @Test
    void shouldRejectInvalidConfigurationNamingTheSetting()
    {
        properties.put(LocalTransportConfiguration.INBOX_CAPACITY_PROP_NAME, "lots");
        final TransportException error = assertThrows(TransportException.class,
            () -> harness().create(0, 1, SECRET));
        assertTrue(error.getMessage().contains(LocalTransportConfiguration.INBOX_CAPACITY_PROP_NAME),
            error.getMessage());
        assertFalse(LocalFabric.exists(fabric), "a failed constructor must not leave a registration");
    }

    @Test
    void shouldRefuseSecondTransportForTheSameRankOfAFabric()
    {
        harness().create(0, 2, SECRET);
        final TransportException error = assertThrows(TransportException.class, () -> harness.create(0, 2, SECRET));
        assertTrue(error.getMessage().contains(LocalTransportConfiguration.FABRIC_PROP_NAME), error.getMessage());
    }

    @Test
    void shouldRemoveTheFabricWhenItsLastTransportCloses()
    {
        final List<Node> job = harness().startJob(2, SECRET);
        assertTrue(LocalFabric.exists(fabric));
        harness.close(job.get(0));
        assertTrue(LocalFabric.exists(fabric));
        harness.close(job.get(1));
        assertFalse(LocalFabric.exists(fabric));
    }

    @Test
    void shouldRefuseHeapAndReadOnlyRegistrationNamingTheFix()
    {
        final Transport transport = harness().create(0, 1, SECRET).transport();
        final TransportException heap = assertThrows(TransportException.class,
            () -> transport.register(MemorySegment.ofArray(new byte[64]), MemoryRegion.ALL_ACCESS));
        assertTrue(heap.getMessage().contains("heap") && heap.getMessage().contains("Arena"), heap.getMessage());
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment readOnly = arena.allocate(64).asReadOnly();
            assertThrows(TransportException.class, () -> transport.register(readOnly, MemoryRegion.REMOTE_WRITE));
            transport.register(readOnly, MemoryRegion.REMOTE_READ).close();
        }
    }

    @Test
    void shouldNameTheOtherJobWhenSecretsDiffer()
    {
        final Node ours = harness().create(0, 2, SECRET);
        final Node theirs = harness.create(1, 2, SECRET + 1);
        harness.connect(List.of(ours, theirs));
        final MemorySegment bytes = TestMemory.heapPattern(1, 8);

        assertEquals(TransportStatus.OK, ours.endpoint(1).send(bytes, 8, bytes, 0, 0, 5));
        harness.await("the failure report", () -> !ours.listener().failures().isEmpty());

        assertEquals(TransportStatus.PEER_FAILED, ours.listener().status(5));
        assertSame(ours.endpoint(1), ours.listener().failures().getFirst().endpoint());
        assertTrue(ours.listener().failures().getFirst().reason()
            .startsWith("peer 1 presented a different job secret: it belongs to another job"));
        assertEquals(TransportStatus.OK, ours.endpoint(1).send(bytes, 8, bytes, 0, 0, 6));
        harness.await("the second completion", () -> ours.listener().completed(6));
        assertEquals(TransportStatus.PEER_FAILED, ours.listener().status(6));
        assertEquals(1, ours.listener().failures().size(), "a peer failure is reported once");
    }

    @Test
    void shouldReachAPeerThatOpensAfterConnect()
    {
        final Node early = harness().create(0, 2, SECRET);
        final Endpoint endpoint = early.transport().connect(1, new LocalAddress(fabric, 1).toBytes());
        final MemorySegment bytes = TestMemory.heapPattern(3, 32);

        assertEquals(TransportStatus.BACK_PRESSURED, endpoint.send(bytes, 8, bytes, 8, 24, 1),
            "a post to a peer not open yet waits");
        final Node late = harness.create(1, 2, SECRET);
        assertEquals(TransportStatus.OK, harness.post("send", () -> endpoint.send(bytes, 8, bytes, 8, 24, 1)));
        harness.await("the message", () -> late.listener().messages().size() == 1);

        assertEquals(TestMemory.crc(bytes), late.listener().messages().getFirst().crc());
        assertEquals(0, late.listener().messages().getFirst().source().peerId());
        assertSame(late.listener().messages().getFirst().source(),
            late.transport().connect(0, early.transport().localAddress()),
            "connect after first contact returns the endpoint messages came from");
    }

    @Test
    void shouldFailAPeerThatNeverOpens()
    {
        properties.put(LocalTransportConfiguration.CONNECT_TIMEOUT_PROP_NAME, "50");
        final Node node = harness().create(0, 2, SECRET);
        final Endpoint endpoint = node.transport().connect(1, new LocalAddress(fabric, 1).toBytes());
        final MemorySegment bytes = TestMemory.heapPattern(3, 8);

        final int status = harness.post("send to a rank that never opens",
            () -> endpoint.send(bytes, 8, bytes, 0, 0, 1));
        assertEquals(TransportStatus.OK, status);
        harness.await("the failure", () -> node.listener().completed(1) && !node.listener().failures().isEmpty());

        assertEquals(TransportStatus.PEER_FAILED, node.listener().status(1));
        final String reason = node.listener().failures().getFirst().reason();
        assertTrue(reason.contains("did not open within 50 ms") && reason.contains("runLocal"), reason);
    }

    @Test
    void shouldBackPressureAFullInboxAndKeepOrder()
    {
        properties.put(LocalTransportConfiguration.INBOX_CAPACITY_PROP_NAME, "4");
        final List<Node> job = harness().startJob(2, SECRET);
        final MemorySegment bytes = TestMemory.heapPattern(1, 64);
        for (int i = 0; i < 4; i++)
        {
            assertEquals(TransportStatus.OK, job.get(0).endpoint(1).send(bytes, 8, bytes, 0, i, i));
        }
        assertEquals(TransportStatus.BACK_PRESSURED, job.get(0).endpoint(1).send(bytes, 8, bytes, 0, 4, 4));
        assertEquals(TransportStatus.OK, harness.post("fifth send", () -> job.get(0).endpoint(1).send(
            bytes, 8, bytes, 0, 4, 4)));
        harness.await("five messages", () -> job.get(1).listener().messages().size() == 5);
        for (int i = 0; i < 5; i++)
        {
            assertEquals(8 + i, job.get(1).listener().messages().get(i).length(), "message " + i + " in order");
        }
    }

    @Test
    void shouldBackPressureWhenTheInboxHoldsTooManyBytes()
    {
        properties.put(LocalTransportConfiguration.INBOX_LIMIT_PROP_NAME, "64k");
        final List<Node> job = harness().startJob(2, SECRET);
        final MemorySegment bytes = TestMemory.heapPattern(1, 256 * 1024);
        assertEquals(TransportStatus.OK, job.get(0).endpoint(1).send(bytes, 0, bytes, 0, 256 * 1024, 1),
            "one message larger than the limit passes an empty inbox");
        assertEquals(TransportStatus.BACK_PRESSURED, job.get(0).endpoint(1).send(bytes, 0, bytes, 0, 16, 2));
        harness.await("the large message", () -> job.get(1).listener().messages().size() == 1);
        assertEquals(TransportStatus.OK, job.get(0).endpoint(1).send(bytes, 0, bytes, 0, 16, 2));
    }

    @Test
    void shouldSendToItself()
    {
        final Node node = harness().create(0, 1, SECRET);
        final Endpoint self = node.transport().connect(0, node.transport().localAddress());
        final MemorySegment bytes = TestMemory.heapPattern(5, 100);
        assertEquals(TransportStatus.OK, self.send(bytes, 10, bytes, 10, 90, 1));
        harness.await("the message to self", () -> node.listener().messages().size() == 1);
        assertSame(self, node.listener().messages().getFirst().source());
        assertEquals(TestMemory.crc(bytes), node.listener().messages().getFirst().crc());
    }

    @Test
    void shouldRejectReadIntoRegionWithoutLocalWriteAndForeignRegions()
    {
        final List<Node> job = harness().startJob(2, SECRET);
        try (Arena arena = Arena.ofShared())
        {
            final MemoryRegion readOnlyLocal = job.get(0).transport().register(arena.allocate(64),
                MemoryRegion.REMOTE_READ);
            final MemoryRegion othersRegion = job.get(1).transport().register(arena.allocate(64),
                MemoryRegion.ALL_ACCESS);
            final Endpoint endpoint = job.get(0).endpoint(1);
            assertEquals(TransportStatus.INVALID_ARGUMENT, endpoint.read(readOnlyLocal, 0, othersRegion.address(),
                othersRegion.remoteKey(), 8, 1), "read into memory registered without LOCAL_WRITE");
            assertEquals(TransportStatus.INVALID_ARGUMENT, endpoint.write(othersRegion, 0, othersRegion.address(),
                othersRegion.remoteKey(), 8, 2), "a region registered with another transport is not local");
            readOnlyLocal.close();
            assertEquals(TransportStatus.INVALID_ARGUMENT, endpoint.write(readOnlyLocal, 0, othersRegion.address(),
                othersRegion.remoteKey(), 8, 3), "a closed local region");
            othersRegion.close();
        }
    }

    @Test
    void shouldGiveDistinctNonZeroKeysAndRefuseStaleKeysAfterSlotReuse()
    {
        final List<Node> job = harness().startJob(2, SECRET);
        try (Arena arena = Arena.ofShared())
        {
            final Transport target = job.get(1).transport();
            final MemoryRegion first = target.register(arena.allocate(64), MemoryRegion.ALL_ACCESS);
            final long staleKey = first.remoteKey();
            final long staleAddress = first.address();
            first.close();
            final MemoryRegion second = target.register(arena.allocate(64), MemoryRegion.ALL_ACCESS);
            assertNotEquals(0, second.remoteKey());
            assertNotEquals(staleKey, second.remoteKey());
            final MemoryRegion local = job.get(0).transport().register(arena.allocate(64), MemoryRegion.ALL_ACCESS);

            assertEquals(TransportStatus.OK, job.get(0).endpoint(1).write(local, 0, staleAddress, staleKey, 8, 1));
            assertEquals(TransportStatus.OK, job.get(0).endpoint(1).write(local, 0, second.address(),
                second.remoteKey(), 8, 2));
            harness.await("two completions", () -> job.get(0).listener().completionCount() == 2);
            assertEquals(TransportStatus.REMOTE_ACCESS_ERROR, job.get(0).listener().status(1));
            assertEquals(TransportStatus.OK, job.get(0).listener().status(2));
            local.close();
            second.close();
        }
    }

    @Test
    void shouldNotAllocatePerMessageOnceWarm()
    {
        final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        final com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean)threads;
        final long[] received = new long[1];
        final TransportListener counting = new TransportListener()
        {
            @Override
            public void onMessage(final Endpoint source, final MemorySegment buffer, final long offset,
                final int length)
            {
                received[0]++;
            }

            @Override
            public void onCompletion(final long cookie, final int status)
            {
            }

            @Override
            public void onPeerFailure(final Endpoint endpoint, final String reason)
            {
            }
        };
        try (LocalTransport sender = new LocalTransport(new TransportContext(0, 2, SECRET, counting, properties));
            LocalTransport receiver = new LocalTransport(new TransportContext(1, 2, SECRET, counting, properties));
            Arena arena = Arena.ofConfined())
        {
            final Endpoint endpoint = sender.connect(1, receiver.localAddress());
            final MemorySegment payload = arena.allocate(4096);
            final int messages = 20_000;
            for (int warmUp = 0; warmUp < 3; warmUp++)
            {
                exchange(sender, receiver, endpoint, payload, messages);
            }
            final long before = counter.getCurrentThreadAllocatedBytes();
            exchange(sender, receiver, endpoint, payload, messages);
            final long allocated = counter.getCurrentThreadAllocatedBytes() - before;

            assertEquals(4L * messages, received[0]);
            assertTrue(allocated < 64 * 1024, "pooled sends allocated " + allocated + " bytes for " + messages +
                " messages once warm");
        }
    }

    private static void exchange(final LocalTransport sender, final LocalTransport receiver, final Endpoint endpoint,
        final MemorySegment payload, final int messages)
    {
        for (int i = 0; i < messages; i++)
        {
            final int status = endpoint.send(payload, 16, payload, 16, 16 + (i % 4000), i);
            if (TransportStatus.OK != status)
            {
                throw new AssertionError("send returned " + TransportStatus.name(status));
            }
            if (i % 8 == 7)
            {
                sender.progress();
                receiver.progress();
            }
        }
        while (sender.progress() + receiver.progress() > 0)
        {
            Thread.onSpinWait();
        }
    }

    @Test
    void shouldReportAClosedPeerOnceAndOnlyAfterItsLastMessages()
    {
        final List<String> events = new ArrayList<>();
        final TransportListener ordered = new TransportListener()
        {
            @Override
            public void onMessage(final Endpoint source, final MemorySegment buffer, final long offset,
                final int length)
            {
                events.add("message " + length);
            }

            @Override
            public void onCompletion(final long cookie, final int status)
            {
            }

            @Override
            public void onPeerFailure(final Endpoint endpoint, final String reason)
            {
                events.add("failure of " + endpoint.peerId() + ": " + reason);
            }
        };
        final Node senderNode = harness().create(0, 2, SECRET);
        try (LocalTransport receiver = new LocalTransport(new TransportContext(1, 2, SECRET, ordered, properties)))
        {
            final Transport sender = senderNode.transport();
            receiver.connect(0, sender.localAddress());
            final Endpoint toReceiver = sender.connect(1, receiver.localAddress());
            final MemorySegment bytes = TestMemory.heapPattern(1, 16);
            final int count = 300;
            for (int i = 0; i < count; i++)
            {
                assertEquals(TransportStatus.OK, toReceiver.send(bytes, 0, bytes, 0, i % 16, i));
            }
            harness.close(senderNode);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (events.size() < count + 1 && System.nanoTime() < deadline)
            {
                receiver.progress();
            }
            for (int i = 0; i < 100; i++)
            {
                receiver.progress();
            }

            assertEquals(count + 1, events.size(), () -> "events: " + events);
            for (int i = 0; i < count; i++)
            {
                assertEquals("message " + (i % 16), events.get(i), "event " + i);
            }
            assertTrue(events.get(count).startsWith("failure of 0: peer 0 closed its transport"), events.get(count));
        }
    }
}
