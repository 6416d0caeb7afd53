package io.javelin.transport.aeron;

import io.aeron.Aeron;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;

/**
 * Connection set-up of an {@link AeronTransport}: chooses the medium to each peer (IPC on the same host when
 * allowed, else UDP), opens the publication, and runs the handshake. Each rank's first frame on its
 * publication is HELLO (version, job secret, rank, job size, its address); the receiving rank checks it,
 * binds the image to the peer's endpoint and answers ACCEPT on its own publication (after its own HELLO), or
 * REFUSE with the reason when the secret, job or version differ, sent only to the address that rank
 * published. A rank posts to a peer only after the peer's ACCEPT. Used only on the progress thread.
 */
final class AeronHandshake
{
    private static final System.Logger LOGGER = System.getLogger(AeronHandshake.class.getName());
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final AeronTransport transport;
    private final TransportContext context;
    private final AeronConfiguration configuration;

    AeronHandshake(final AeronTransport transport, final TransportContext context,
        final AeronConfiguration configuration)
    {
        this.transport = transport;
        this.context = context;
        this.configuration = configuration;
    }

    /**
     * Opens the publication to a peer (asynchronously; the transport polls it in progress) and queues the HELLO.
     */
    void openOutbound(final AeronEndpoint endpoint, final boolean withHello)
    {
        if (null != endpoint.failure || transport.isClosed() || null == endpoint.address)
        {
            return;
        }
        if (Aeron.NULL_VALUE == endpoint.registrationId && null == endpoint.publication)
        {
            final boolean sameHost = HostIdentity.id() == endpoint.address.hostId();
            if ("ipc".equals(configuration.media) && !sameHost)
            {
                transport.failPeer(endpoint, "peer " + endpoint.peerId() + " runs on another host (" +
                    endpoint.address + ") and " + AeronConfiguration.MEDIA_PROP_NAME + "=ipc: use auto or udp " +
                    "for multi-host jobs");
                return;
            }
            final String channel;
            try
            {
                endpoint.client = endpoint.ipc ? transport.driver().peerClient(endpoint.address.driverDirectory()) :
                    transport.driver().client();
                channel = channel(endpoint);
                endpoint.registrationId = endpoint.client.asyncAddExclusivePublication(
                    channel, AeronConfiguration.STREAM_ID);
            }
            catch (final RuntimeException ex)
            {
                transport.failPeer(endpoint, "rank " + context.rank() + " cannot publish to peer " +
                    endpoint.peerId() + " (" + endpoint.address + "): " + ex.getMessage());
                return;
            }
            endpoint.handshakeDeadlineNs = System.nanoTime() + configuration.connectTimeoutNs;
            transport.addOutbound(endpoint);
            if (!endpoint.ipc)
            {
                transport.driver().useUdp();
            }
        }
        if (withHello && !endpoint.helloQueued)
        {
            endpoint.helloQueued = true;
            transport.queueReply(endpoint, AeronOperation.HELLO, 0, 0);
        }
    }

    void onHello(final AeronInbound inbound, final MemorySegment buffer, final long offset, final int length)
    {
        final int addressLength = length >= AeronFrame.HELLO_ADDRESS_OFFSET ?
            buffer.get(SHORT, offset + AeronFrame.HELLO_ADDRESS_LENGTH_OFFSET) : -1;
        if (addressLength != length - AeronFrame.HELLO_ADDRESS_OFFSET)
        {
            transport.onCorruptFrame(inbound, "HELLO of " + length + " bytes");
            return;
        }
        final int version = buffer.get(INT, offset + AeronFrame.INT_FIELD_OFFSET);
        final long secret = buffer.get(LONG, offset + AeronFrame.HELLO_SECRET_OFFSET);
        final int rank = buffer.get(INT, offset + AeronFrame.HELLO_RANK_OFFSET);
        final int jobSize = buffer.get(INT, offset + AeronFrame.HELLO_JOB_SIZE_OFFSET);
        final byte[] bytes = buffer.asSlice(offset + AeronFrame.HELLO_ADDRESS_OFFSET, addressLength)
            .toArray(ValueLayout.JAVA_BYTE);
        final AeronAddress peer;
        try
        {
            peer = AeronAddress.decode(rank, bytes);
        }
        catch (final TransportException ex)
        {
            transport.onCorruptFrame(inbound, "HELLO with " + ex.getMessage());
            return;
        }
        final int refusal = AeronFrame.HELLO_VERSION != version ? AeronFrame.REFUSED_VERSION :
            context.jobSecret() != secret ? AeronFrame.REFUSED_SECRET :
            jobSize != context.jobSize() || rank < 0 || rank >= context.jobSize() || rank == context.rank() ?
            AeronFrame.REFUSED_JOB : 0;
        if (0 != refusal)
        {
            inbound.ignored = true;
            LOGGER.log(System.Logger.Level.WARNING, "rank " + context.rank() + " refused a connection from " + peer +
                " claiming to be rank " + rank + ": " + AeronFrame.refusal(refusal));
            final AeronEndpoint claimed = transport.existingEndpoint(rank);
            if (null != claimed && peer.equals(claimed.address) && null == claimed.failure)
            {
                openOutbound(claimed, false); // the refusal goes where that rank listens, and only there
                transport.queueReply(claimed, AeronOperation.REFUSE, 0, refusal);
            }
            return;
        }
        final AeronEndpoint endpoint = transport.endpoint(rank);
        if (null != endpoint.failure || (null != endpoint.inbound && endpoint.inbound != inbound) ||
            (null != endpoint.address && !endpoint.address.equals(peer)))
        {
            inbound.ignored = true;
            LOGGER.log(System.Logger.Level.WARNING, "rank " + context.rank() + " ignored a second stream from " +
                "rank " + rank + " (" + peer + ")" + (null == endpoint.failure ? "" : ": that peer failed"));
            return;
        }
        setAddress(endpoint, peer);
        endpoint.inbound = inbound;
        inbound.endpoint = endpoint;
        openOutbound(endpoint, true);
        transport.queueReply(endpoint, AeronOperation.ACCEPT, 0, 0);
    }

    void onRefused(final AeronInbound inbound, final MemorySegment buffer, final long offset, final int length)
    {
        inbound.ignored = true;
        if (length < AeronFrame.REFUSE_LENGTH)
        {
            return;
        }
        final int reason = buffer.get(INT, offset + AeronFrame.INT_FIELD_OFFSET);
        final int rank = buffer.get(INT, offset + AeronFrame.REFUSE_RANK_OFFSET);
        final AeronEndpoint endpoint = transport.existingEndpoint(rank);
        if (null != endpoint && !endpoint.established && endpoint.helloSent)
        {
            transport.failPeer(endpoint, "peer " + rank + " refused the connection from rank " + context.rank() + ": " +
                AeronFrame.refusal(reason));
        }
    }

    void onAccepted(final AeronEndpoint endpoint)
    {
        if (!endpoint.helloSent)
        {
            transport.onCorruptFrame(endpoint.inbound, "ACCEPT before this rank's HELLO");
            return;
        }
        endpoint.established = true;
    }

    void setAddress(final AeronEndpoint endpoint, final AeronAddress peer)
    {
        endpoint.address = peer;
        final boolean sameHost = HostIdentity.id() == peer.hostId();
        endpoint.ipc = "ipc".equals(configuration.media) || ("auto".equals(configuration.media) && sameHost);
    }

    private String channel(final AeronEndpoint endpoint)
    {
        final int sessionId = context.rank() ^ (int)(context.jobSecret() ^ (context.jobSecret() >>> 32));
        final String common = "term-length=" + configuration.termLength + "|session-id=" + sessionId;
        if (endpoint.ipc)
        {
            return "aeron:ipc?" + common + "|mtu=" + configuration.ipcMtu;
        }
        final InetSocketAddress udp = endpoint.address.udpEndpoint();
        return "aeron:udp?endpoint=" + udp.getAddress().getHostAddress() + ":" + udp.getPort() + "|" + common +
            "|mtu=" + configuration.mtu;
    }
}
