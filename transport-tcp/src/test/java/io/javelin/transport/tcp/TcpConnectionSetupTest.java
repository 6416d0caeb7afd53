package io.javelin.transport.tcp;

import io.javelin.transport.Endpoint;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.TransportStatus;
import io.javelin.transport.conformance.RecordingListener;
import io.javelin.transport.conformance.TestMemory;
import io.javelin.transport.conformance.TransportHarness;
import io.javelin.transport.conformance.TransportHarness.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * How connections come about: ranks posting to each other at the same moment share one socket, a rank
 * may post to itself, and a rank may answer a peer it never connected to over the socket the peer opened.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpConnectionSetupTest
{
    private static final long SECRET = 42;

    private final TransportHarness harness = new TransportHarness(TcpTransport::new, Map.of());
    private final Arena arena = Arena.ofShared();

    @AfterEach
    void close()
    {
        try
        {
            harness.close();
        }
        finally
        {
            arena.close();
        }
        assertEquals(List.of(), harness.violations(), "transport contract violations");
    }

    @Test
    void shouldKeepOrderWhenEveryRankConnectsToEveryOtherAtOnce()
    {
        final int ranks = 4;
        final int perPeer = 200;
        final List<Node> job = harness.startJob(ranks, SECRET);
        final MemorySegment payload = TestMemory.heapPattern(8, 1000);
        // every rank posts to every other before any of them makes progress: every pair connects both ways
        for (int i = 0; i < perPeer; i++)
        {
            for (final Node from : job)
            {
                for (final Node to : job)
                {
                    if (from != to)
                    {
                        final MemorySegment header = header(from.rank(), i);
                        final long cookie = to.rank() * 1_000_000L + i;
                        assertEquals(TransportStatus.OK, harness.post("send", () -> from.endpoint(to.rank()).send(
                            header, 16, payload, 0, 1000, cookie)));
                    }
                }
            }
        }
        harness.await("every message", () -> job.stream()
            .allMatch(node -> node.listener().messages().size() == (ranks - 1) * perPeer));
        harness.await("every completion", () -> job.stream()
            .allMatch(node -> node.listener().completionCount() == (ranks - 1) * perPeer));

        for (final Node node : job)
        {
            final int[] next = new int[ranks];
            for (final RecordingListener.Message message : node.listener().messages())
            {
                final int sender = (int)message.longAt(0);
                assertSame(node.endpoint(sender), message.source());
                assertEquals(next[sender]++, message.longAt(8), "order of rank " + sender + " to " + node.rank());
            }
            assertEquals(List.of(), node.listener().failures(), "no peer failure on rank " + node.rank());
            assertEquals(ranks - 1, ((TcpTransport)node.transport()).connectionCount(), "one socket per peer");
            node.listener().completions().values()
                .forEach(status -> assertEquals(TransportStatus.OK, (int)status, "completion status"));
        }
    }

    @Test
    void shouldMoveOneSidedOperationsOfTheLosingConnectionToTheWinningOne()
    {
        final List<Node> job = harness.startJob(2, SECRET);
        final MemoryRegion[] regions = new MemoryRegion[2];
        for (int rank = 0; rank < 2; rank++)
        {
            final MemorySegment memory = arena.allocate(1 << 20);
            TestMemory.fill(memory, rank);
            regions[rank] = job.get(rank).transport().register(memory, MemoryRegion.ALL_ACCESS);
        }
        // each rank reads the peer's [0, 256K) into its [256K, 512K) and writes its [512K, 768K) into the peer's
        // [768K, 1M), before either makes progress: both connect at once
        final long quarter = 256 * 1024;
        for (int rank = 0; rank < 2; rank++)
        {
            final Endpoint peer = job.get(rank).endpoint(1 - rank);
            final MemoryRegion remote = regions[1 - rank];
            assertEquals(TransportStatus.OK, peer.read(regions[rank], quarter, remote.address(), remote.remoteKey(),
                quarter, 1));
            assertEquals(TransportStatus.OK, peer.write(regions[rank], 2 * quarter, remote.address() + 3 * quarter,
                remote.remoteKey(), quarter, 2));
        }
        harness.await("both ranks' operations", () -> job.get(0).listener().completionCount() == 2 &&
            job.get(1).listener().completionCount() == 2);

        for (int rank = 0; rank < 2; rank++)
        {
            assertEquals(TransportStatus.OK, job.get(rank).listener().status(1), "read of rank " + rank);
            assertEquals(TransportStatus.OK, job.get(rank).listener().status(2), "write of rank " + rank);
            final MemorySegment own = regions[rank].segment();
            final MemorySegment peer = regions[1 - rank].segment();
            assertEquals(TestMemory.crc(peer, 0, quarter), TestMemory.crc(own, quarter, quarter),
                "rank " + rank + " read");
            assertEquals(TestMemory.crc(own, 2 * quarter, quarter), TestMemory.crc(peer, 3 * quarter, quarter),
                "rank " + rank + " wrote");
        }
        for (final Node node : job)
        {
            assertEquals(List.of(), node.listener().failures());
            assertEquals(1, ((TcpTransport)node.transport()).connectionCount(), "one socket between the two");
        }
    }

    @Test
    void shouldSendReadAndWriteToItself()
    {
        final Node node = harness.create(0, 1, SECRET);
        final Endpoint self = node.transport().connect(0, node.transport().localAddress());
        final MemorySegment memory = arena.allocate(64 * 1024);
        TestMemory.fill(memory, 3);
        final MemoryRegion region = node.transport().register(memory, MemoryRegion.ALL_ACCESS);
        final MemorySegment payload = TestMemory.heapPattern(4, 2000);

        assertEquals(TransportStatus.OK, self.send(payload, 16, payload, 16, 1984, 1));
        assertEquals(TransportStatus.OK, self.write(region, 0, region.address() + 32 * 1024, region.remoteKey(),
            16 * 1024, 2));
        assertEquals(TransportStatus.OK, self.read(region, 16 * 1024, region.address(), region.remoteKey(),
            16 * 1024, 3));
        harness.await("the message and three completions", () -> node.listener().messages().size() == 1 &&
            node.listener().completionCount() == 3);

        assertSame(self, node.listener().messages().getFirst().source());
        assertEquals(TestMemory.crc(payload), node.listener().messages().getFirst().crc());
        for (long cookie = 1; cookie <= 3; cookie++)
        {
            assertEquals(TransportStatus.OK, node.listener().status(cookie), "operation " + cookie);
        }
        assertEquals(TestMemory.crc(memory, 0, 16 * 1024), TestMemory.crc(memory, 32 * 1024, 16 * 1024), "write");
        assertEquals(TestMemory.crc(memory, 0, 16 * 1024), TestMemory.crc(memory, 16 * 1024, 16 * 1024), "read");
        region.close();
    }

    @Test
    void shouldAnswerAPeerItNeverConnectedToOverThePeersConnection()
    {
        final Node server = harness.create(0, 2, SECRET);
        final Node client = harness.create(1, 2, SECRET);
        final Endpoint toServer = client.transport().connect(0, server.transport().localAddress());
        final MemorySegment ping = TestMemory.heapPattern(5, 16);
        server.listener().messageHook(message -> assertEquals(TransportStatus.OK,
            message.source().send(ping, 16, ping, 0, 0, 77), "reply without connect()"));

        assertEquals(TransportStatus.OK, toServer.send(ping, 16, ping, 0, 0, 1));
        harness.await("the reply", () -> client.listener().messages().size() == 1);

        assertSame(toServer, client.listener().messages().getFirst().source());
        assertEquals(TransportStatus.OK, server.listener().status(77));
    }

    private static MemorySegment header(final int rank, final long sequence)
    {
        final MemorySegment header = MemorySegment.ofArray(new byte[16]);
        header.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, rank);
        header.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, sequence);
        return header;
    }
}
