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
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Behaviour specific to the TCP transport that the conformance suite does not cover: failures while
 * connecting, deregistration, large operations crossing the receive buffer, several one-sided operations
 * interleaved with sends.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpTransportTest
{
    private static final long SECRET = 0x1234_5678_9ABC_DEF0L;

    private final Arena arena = Arena.ofShared();
    private TransportHarness harness = new TransportHarness(TcpTransport::new, Map.of());

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
    void shouldRefuseOneSidedAccessAfterDeregistration()
    {
        final List<Node> job = harness.startJob(2, SECRET);
        final MemoryRegion local = register(job.get(0), 4096, 1);
        final MemoryRegion target = register(job.get(1), 4096, 2);
        assertEquals(TransportStatus.OK, runWrite(job.get(0), local, target.address(), target.remoteKey(), 1));
        assertEquals(TransportStatus.OK, runRead(job.get(0), local, target.address(), target.remoteKey(), 2));
        TestMemory.fill(target.segment(), 3);
        final long targetCrc = TestMemory.crc(target.segment());
        final long localCrc = TestMemory.crc(local.segment());

        target.close();

        assertEquals(TransportStatus.REMOTE_ACCESS_ERROR,
            runWrite(job.get(0), local, target.address(), target.remoteKey(), 3));
        assertEquals(TransportStatus.REMOTE_ACCESS_ERROR,
            runRead(job.get(0), local, target.address(), target.remoteKey(), 4));
        assertEquals(targetCrc, TestMemory.crc(target.segment()), "target memory must be unchanged");
        assertEquals(localCrc, TestMemory.crc(local.segment()), "local memory must be unchanged");
    }

    @Test
    void shouldRefuseOneSidedAccessBeyondTheRegionWithoutTouchingMemory()
    {
        final List<Node> job = harness.startJob(2, SECRET);
        final MemoryRegion local = register(job.get(0), 64 * 1024, 1);
        final MemoryRegion target = register(job.get(1), 4096, 2);
        final long targetCrc = TestMemory.crc(target.segment());
        final long localCrc = TestMemory.crc(local.segment());
        final Endpoint endpoint = job.get(0).endpoint(1);
        final long key = target.remoteKey();
        final long end = target.address() + 4096;

        // a refused write larger than the receive buffer's remainder: its bytes must be skipped, not applied
        assertEquals(TransportStatus.OK, endpoint.write(local, 0, end - 100, key, 60_000, 1));
        assertEquals(TransportStatus.OK, endpoint.read(local, 0, end - 100, key, 60_000, 2));
        assertEquals(TransportStatus.OK, endpoint.write(local, 0, target.address() - 1, key, 10, 3));
        assertEquals(TransportStatus.OK, endpoint.read(local, 0, Long.MAX_VALUE - 5, key, 10, 4));
        assertEquals(TransportStatus.OK, endpoint.write(local, 0, target.address(), key ^ 1, 10, 5));
        assertEquals(TransportStatus.OK, endpoint.write(local, 0, target.address(), key, 4096, 6));
        harness.await("six completions", () -> job.get(0).listener().completionCount() == 6);

        for (long cookie = 1; cookie <= 5; cookie++)
        {
            assertEquals(TransportStatus.name(TransportStatus.REMOTE_ACCESS_ERROR),
                TransportStatus.name(job.get(0).listener().status(cookie)), "operation " + cookie);
        }
        assertEquals(TransportStatus.OK, job.get(0).listener().status(6), "the valid write after the refused ones");
        assertEquals(TestMemory.crc(local.segment(), 0, 4096), TestMemory.crc(target.segment()), "valid write");
        assertTrue(targetCrc != TestMemory.crc(target.segment()), "the valid write changed the target");
        assertEquals(localCrc, TestMemory.crc(local.segment()), "refused reads must not change local memory");
    }

    @Test
    void shouldKeepSendsFlowingWhileStreamingLargeReadsAndWrites()
    {
        harness = new TransportHarness(TcpTransport::new, Map.of(TcpConfiguration.RECEIVE_BUFFER_PROP_NAME, "8k"));
        final List<Node> job = harness.startJob(2, SECRET);
        final int size = 4 << 20;
        final MemoryRegion local = register(job.get(0), 2L * size, 1);
        final MemoryRegion remote = register(job.get(1), 2L * size, 2);
        final Endpoint toPeer = job.get(0).endpoint(1);
        final Endpoint back = job.get(1).endpoint(0);
        final MemorySegment small = TestMemory.heapPattern(5, 100);

        assertEquals(TransportStatus.OK, toPeer.read(local, 0, remote.address(), remote.remoteKey(), size, 1));
        assertEquals(TransportStatus.OK, toPeer.write(local, size, remote.address() + size, remote.remoteKey(),
            size, 2));
        for (int i = 0; i < 100; i++)
        {
            assertEquals(TransportStatus.OK, toPeer.send(small, 16, small, 16, 84, 10 + i));
            assertEquals(TransportStatus.OK, back.send(small, 16, small, 16, 84, 10 + i));
        }
        harness.await("every operation and message", () -> job.get(0).listener().completionCount() == 102 &&
            job.get(1).listener().completionCount() == 100 && job.get(0).listener().messages().size() == 100 &&
            job.get(1).listener().messages().size() == 100);

        assertEquals(TransportStatus.OK, job.get(0).listener().status(1));
        assertEquals(TransportStatus.OK, job.get(0).listener().status(2));
        assertEquals(TestMemory.crc(remote.segment(), 0, size), TestMemory.crc(local.segment(), 0, size), "read");
        assertEquals(TestMemory.crc(local.segment(), size, size), TestMemory.crc(remote.segment(), size, size),
            "write");
        final long expected = TestMemory.crc(small, 0, 100);
        for (final RecordingListener.Message message : job.get(1).listener().messages())
        {
            assertEquals(expected, message.crc());
        }
    }

    @Test
    void shouldFailPostsToAPeerNobodyListensFor() throws Exception
    {
        final InetSocketAddress deadAddress;
        try (ServerSocketChannel closedSoon = ServerSocketChannel.open())
        {
            closedSoon.bind(new InetSocketAddress("127.0.0.1", 0));
            deadAddress = (InetSocketAddress)closedSoon.getLocalAddress();
        }
        final Node node = harness.create(0, 2, SECRET);
        final Endpoint endpoint = node.transport().connect(1, TcpAddress.encode(deadAddress));
        final MemorySegment message = TestMemory.heapPattern(1, 32);

        assertEquals(TransportStatus.OK, endpoint.send(message, 8, message, 8, 24, 7));
        harness.await("the send to fail", () -> node.listener().completed(7));

        assertEquals(TransportStatus.PEER_FAILED, node.listener().status(7));
        harness.await("onPeerFailure", () -> node.listener().failures().size() == 1);
        final RecordingListener.PeerFailure failure = node.listener().failures().getFirst();
        assertEquals(1, failure.endpoint().peerId());
        assertTrue(failure.reason().contains("connection to peer 1 at " + deadAddress), failure.reason());
        assertEquals(TransportStatus.PEER_FAILED, endpoint.send(message, 8, message, 8, 24, 8), "later posts");
    }

    @Test
    void shouldFailPostsWhenThePeerNeverAnswersTheHandshake() throws Exception
    {
        harness = new TransportHarness(TcpTransport::new, Map.of(TcpConfiguration.CONNECT_TIMEOUT_PROP_NAME, "200"));
        try (ServerSocketChannel silent = ServerSocketChannel.open())
        {
            // the kernel completes the TCP handshake from the backlog; nothing ever answers the hello
            silent.bind(new InetSocketAddress("127.0.0.1", 0));
            final Node node = harness.create(0, 2, SECRET);
            final Endpoint endpoint = node.transport().connect(1,
                TcpAddress.encode((InetSocketAddress)silent.getLocalAddress()));
            final MemorySegment message = TestMemory.heapPattern(1, 32);

            assertEquals(TransportStatus.OK, endpoint.send(message, 8, message, 8, 24, 7));
            harness.await("the send to fail", () -> node.listener().completed(7));

            assertEquals(TransportStatus.PEER_FAILED, node.listener().status(7));
            harness.await("onPeerFailure", () -> node.listener().failures().size() == 1);
            assertTrue(node.listener().failures().getFirst().reason().contains("did not complete its handshake"),
                node.listener().failures().getFirst().reason());
        }
    }

    @Test
    void shouldAnswerAHelloWithTheWrongSecretWithARefusalAndClose() throws Exception
    {
        final Node node = harness.create(0, 2, SECRET);
        try (RawPeer peer = RawPeer.connect(harness, node.transport().localAddress()))
        {
            peer.write(RawPeer.hello(1, 2, ~SECRET));

            assertEquals(TcpFrame.HANDSHAKE_SECRET_MISMATCH, peer.read(1).get());
            peer.awaitClosedByTransport();
        }
        assertEquals(List.of(), node.listener().failures(), "an unidentified peer is no peer failure");
    }

    @Test
    void shouldRefuseAHelloFromARankOutsideTheJob() throws Exception
    {
        final Node node = harness.create(0, 2, SECRET);
        try (RawPeer peer = RawPeer.connect(harness, node.transport().localAddress()))
        {
            peer.write(RawPeer.hello(2, 2, SECRET));

            assertEquals(TcpFrame.HANDSHAKE_BAD_RANK, peer.read(1).get());
            peer.awaitClosedByTransport();
        }
    }

    @Test
    void shouldDeliverMessagesFromARawPeerThatFollowsTheProtocol() throws Exception
    {
        final Node node = harness.create(0, 2, SECRET);
        try (RawPeer peer = RawPeer.connect(harness, node.transport().localAddress()))
        {
            peer.write(RawPeer.hello(1, 2, SECRET));
            assertEquals(TcpFrame.HANDSHAKE_ACCEPTED, peer.read(1).get());
            final ByteBuffer frames = RawPeer.frame(2 * (TcpFrame.DATA_HEADER_LENGTH + 5));
            for (int i = 0; i < 2; i++)
            {
                frames.put(TcpFrame.TYPE_DATA).put((byte)0).putShort((short)0).putInt(5).put(new byte[]{1, 2, 3, 4,
                    (byte)i});
            }
            peer.write(frames.flip());

            harness.await("two messages", () -> node.listener().messages().size() == 2);
            assertEquals(1, node.listener().messages().get(1).source().peerId());
            assertEquals(1, node.listener().messages().get(1).prefix()[4]);
        }
    }

    private MemoryRegion register(final Node node, final long size, final long seed)
    {
        final MemorySegment segment = arena.allocate(size, 64);
        TestMemory.fill(segment, seed);
        return node.transport().register(segment, MemoryRegion.ALL_ACCESS);
    }

    private int runWrite(final Node node, final MemoryRegion local, final long address, final long key,
        final long cookie)
    {
        assertEquals(TransportStatus.OK, node.endpoint(1).write(local, 0, address, key, 64, cookie));
        harness.await("write " + cookie, () -> node.listener().completed(cookie));
        return node.listener().status(cookie);
    }

    private int runRead(final Node node, final MemoryRegion local, final long address, final long key,
        final long cookie)
    {
        assertEquals(TransportStatus.OK, node.endpoint(1).read(local, 0, address, key, 64, cookie));
        harness.await("read " + cookie, () -> node.listener().completed(cookie));
        return node.listener().status(cookie);
    }
}
