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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer that sends corrupt frames loses its connection with a clear reason; the transport neither
 * reads out of bounds nor touches memory, and keeps serving its other peers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpCorruptFrameTest
{
    private static final long SECRET = 0x0BAD_F00D_0BAD_F00DL;

    private final TransportHarness harness = new TransportHarness(TcpTransport::new, Map.of());

    @AfterEach
    void close()
    {
        harness.close();
        assertEquals(List.of(), harness.violations(), "transport contract violations");
    }

    static Stream<Arguments> corruptRequests()
    {
        return Stream.of(
            Arguments.of("unknown type", prefix(9, 0, 0), "unknown type 9"),
            Arguments.of("non-zero flags", prefix(TcpFrame.TYPE_DATA, 3, 0), "flags 3"),
            Arguments.of("negative DATA length", prefix(TcpFrame.TYPE_DATA, 0, -1), "DATA frame of -1 bytes"),
            Arguments.of("oversized DATA", prefix(TcpFrame.TYPE_DATA, 0, Integer.MAX_VALUE),
                "DATA frame of " + Integer.MAX_VALUE + " bytes"),
            Arguments.of("negative WRITE length", rmaRequest(TcpFrame.TYPE_WRITE, -5), "WRITE frame of -5 bytes"),
            Arguments.of("oversized READ_REQUEST", rmaRequest(TcpFrame.TYPE_READ_REQUEST, 1L << 40),
                "READ_REQUEST frame of " + (1L << 40) + " bytes"),
            Arguments.of("flag only a READ_RESPONSE may carry", prefix(TcpFrame.TYPE_DATA, TcpFrame.FLAG_MORE, 0),
                "flags 1"),
            Arguments.of("unsolicited reply", RawPeer.frame(TcpFrame.WRITE_ACK_LENGTH).put(TcpFrame.TYPE_WRITE_ACK)
                .put((byte)0).putShort((short)0).putInt(0).putLong(7).flip(), "WRITE_ACK for request 7 does not " +
                "answer the oldest outstanding request (none)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptRequests")
    void shouldClosePeerThatSendsACorruptFrameAndKeepServingOthers(
        final String what, final ByteBuffer frame, final String expectedDetail) throws Exception
    {
        final List<Node> job = harness.startJob(3, SECRET);
        final Node node = job.get(0);
        try (RawPeer peer = RawPeer.connect(harness, node.transport().localAddress()))
        {
            peer.write(RawPeer.hello(1, 3, SECRET));
            assertEquals(TcpFrame.HANDSHAKE_ACCEPTED, peer.read(1).get());
            peer.write(frame);

            harness.await("the peer failure", () -> !node.listener().failures().isEmpty());
            peer.awaitClosedByTransport();
        }
        final RecordingListener.PeerFailure failure = node.listener().failures().getFirst();
        assertEquals(1, failure.endpoint().peerId());
        assertTrue(failure.reason().contains("corrupt frame") && failure.reason().contains(expectedDetail),
            failure.reason());
        assertEquals(List.of(), node.listener().messages(), "nothing delivered from a corrupt frame");

        final MemorySegment message = TestMemory.heapPattern(1, 40);
        assertEquals(TransportStatus.OK, job.get(2).endpoint(0).send(message, 8, message, 8, 32, 1));
        harness.await("a message from the healthy peer", () -> node.listener().messages().size() == 1);
        assertEquals(2, node.listener().messages().getFirst().source().peerId());
    }

    @Test
    void shouldFailAReadWhoseResponseHasTheWrongLength() throws Exception
    {
        try (Arena arena = Arena.ofConfined(); ServerSocketChannel server = ServerSocketChannel.open())
        {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            final Node node = harness.create(0, 2, SECRET);
            final Endpoint endpoint = node.transport().connect(1,
                TcpAddress.encode((InetSocketAddress)server.getLocalAddress()));
            final MemorySegment memory = arena.allocate(4096);
            TestMemory.fill(memory, 1);
            final long crc = TestMemory.crc(memory);
            final MemoryRegion local = node.transport().register(memory, MemoryRegion.ALL_ACCESS);
            assertEquals(TransportStatus.OK, endpoint.read(local, 0, 0x1000, 42, 64, 9));

            final SocketChannel accepted = server.accept();
            try (RawPeer peer = new RawPeer(accepted, harness))
            {
                peer.read(TcpFrame.HELLO_LENGTH);
                peer.write(RawPeer.frame(1).put(TcpFrame.HANDSHAKE_ACCEPTED).flip());
                final ByteBuffer request = peer.read(TcpFrame.RMA_REQUEST_HEADER_LENGTH);
                assertEquals(TcpFrame.TYPE_READ_REQUEST, request.get(TcpFrame.TYPE_OFFSET));
                assertEquals(64, request.getLong(TcpFrame.RMA_LENGTH_OFFSET));
                final ByteBuffer response = RawPeer.frame(TcpFrame.READ_RESPONSE_HEADER_LENGTH + 128);
                response.put(TcpFrame.TYPE_READ_RESPONSE).put((byte)0).putShort((short)0).putInt(TransportStatus.OK)
                    .putLong(request.getLong(TcpFrame.RMA_ID_OFFSET)).putLong(128).position(response.capacity());
                peer.write(response.flip());

                harness.await("the read to fail", () -> node.listener().completed(9));
                peer.awaitClosedByTransport();
            }
            assertEquals(TransportStatus.name(TransportStatus.PEER_FAILED),
                TransportStatus.name(node.listener().status(9)));
            harness.await("onPeerFailure", () -> node.listener().failures().size() == 1);
            assertTrue(node.listener().failures().getFirst().reason().contains("READ_RESPONSE with status 0 and " +
                "128 bytes (expected 64 bytes)"), node.listener().failures().getFirst().reason());
            assertEquals(crc, TestMemory.crc(memory), "local memory must be unchanged");
            local.close();
        }
    }

    private static ByteBuffer prefix(final int type, final int flags, final int intField)
    {
        return RawPeer.frame(TcpFrame.PREFIX_LENGTH).put((byte)type).put((byte)flags).putShort((short)0)
            .putInt(intField).flip();
    }

    private static ByteBuffer rmaRequest(final byte type, final long length)
    {
        return RawPeer.frame(TcpFrame.RMA_REQUEST_HEADER_LENGTH).put(type).put((byte)0).putShort((short)0).putInt(0)
            .putLong(1).putLong(0x1000).putLong(length).putLong(1).flip();
    }
}
