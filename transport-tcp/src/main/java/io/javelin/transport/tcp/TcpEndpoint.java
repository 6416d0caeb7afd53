package io.javelin.transport.tcp;

import io.javelin.transport.Endpoint;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.TransportStatus;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * A peer of a {@link TcpTransport}. Posts go out on the connection this rank opens to the peer (lazily,
 * on the first post); what the peer posts to this rank comes in on the connection the peer opened.
 * Used only on the progress thread.
 */
final class TcpEndpoint implements Endpoint
{
    private final TcpTransport transport;
    private final int peerId;
    /** Where the peer listens; null while the peer is known only from its inbound connection. */
    InetSocketAddress address;
    /** The connection this rank opened, carrying its posts; null until the first post. */
    TcpConnection outbound;
    /** The connection the peer opened, carrying its posts to this rank. */
    TcpConnection inbound;
    /** Why the peer failed; null while it is healthy. */
    String failure;

    TcpEndpoint(final TcpTransport transport, final int peerId)
    {
        this.transport = transport;
        this.peerId = peerId;
    }

    @Override
    public int peerId()
    {
        return peerId;
    }

    @Override
    public int send(
        final MemorySegment header,
        final int headerLength,
        final MemorySegment payload,
        final long payloadOffset,
        final long payloadLength,
        final long cookie)
    {
        final int status = checkPeer();
        if (TransportStatus.OK != status)
        {
            return status;
        }
        if (headerLength < 0 || headerLength > TcpConfiguration.MAX_HEADER_BYTES ||
            (headerLength > 0 && (null == header || header.byteSize() < headerLength)) ||
            payloadLength < 0 || payloadLength > TcpConfiguration.MAX_MESSAGE_BYTES - headerLength ||
            (payloadLength > 0 && !inBounds(payload, payloadOffset, payloadLength)))
        {
            return TransportStatus.INVALID_ARGUMENT;
        }
        final TcpConnection connection = connection();
        if (null == connection)
        {
            return TransportStatus.PEER_FAILED;
        }
        final TcpOperation operation = transport.acquireForPost();
        if (null == operation)
        {
            return TransportStatus.BACK_PRESSURED;
        }
        operation.prepareData(header, headerLength, payload, payloadOffset, (int)payloadLength, cookie,
            transport.inlineLimitBytes());
        connection.enqueue(operation);
        return TransportStatus.OK;
    }

    @Override
    public int write(
        final MemoryRegion local,
        final long localOffset,
        final long remoteAddress,
        final long remoteKey,
        final long length,
        final long cookie)
    {
        final int status = checkOneSided(local, localOffset, length, 0);
        if (TransportStatus.OK != status)
        {
            return status;
        }
        final TcpConnection connection = connection();
        if (null == connection)
        {
            return TransportStatus.PEER_FAILED;
        }
        final TcpOperation operation = transport.acquireForPost();
        if (null == operation)
        {
            return TransportStatus.BACK_PRESSURED;
        }
        operation.prepareWrite(local.segment(), localOffset, remoteAddress, remoteKey, (int)length, cookie,
            connection.nextRequestId(), transport.inlineLimitBytes());
        connection.enqueue(operation);
        return TransportStatus.OK;
    }

    @Override
    public int read(
        final MemoryRegion local,
        final long localOffset,
        final long remoteAddress,
        final long remoteKey,
        final long length,
        final long cookie)
    {
        final int status = checkOneSided(local, localOffset, length, MemoryRegion.LOCAL_WRITE);
        if (TransportStatus.OK != status)
        {
            return status;
        }
        final TcpConnection connection = connection();
        if (null == connection)
        {
            return TransportStatus.PEER_FAILED;
        }
        final TcpOperation operation = transport.acquireForPost();
        if (null == operation)
        {
            return TransportStatus.BACK_PRESSURED;
        }
        operation.prepareRead(local.segment(), localOffset, remoteAddress, remoteKey, (int)length, cookie,
            connection.nextRequestId());
        connection.enqueue(operation);
        return TransportStatus.OK;
    }

    @Override
    public String toString()
    {
        return "TcpEndpoint{peer=" + peerId + ", address=" + address + (null == failure ? "" : ", failed") + "}";
    }

    private int checkPeer()
    {
        if (transport.isClosed())
        {
            return TransportStatus.CLOSED;
        }
        if (null != failure)
        {
            return TransportStatus.PEER_FAILED;
        }
        if (null == address)
        {
            return TransportStatus.INVALID_ARGUMENT; // known only from its inbound connection: connect() first
        }
        return TransportStatus.OK;
    }

    private int checkOneSided(final MemoryRegion local, final long offset, final long length, final int requiredFlags)
    {
        final int status = checkPeer();
        if (TransportStatus.OK != status)
        {
            return status;
        }
        if (!transport.registrations().isLocal(local) || (local.accessFlags() & requiredFlags) != requiredFlags ||
            length < 0 || length > TcpConfiguration.MAX_ONE_SIDED_BYTES || !inBounds(local.segment(), offset, length))
        {
            return TransportStatus.INVALID_ARGUMENT;
        }
        return TransportStatus.OK;
    }

    private static boolean inBounds(final MemorySegment segment, final long offset, final long length)
    {
        return null != segment && offset >= 0 && offset <= segment.byteSize() && length <= segment.byteSize() - offset;
    }

    /**
     * @return the outbound connection, opened on first use; null when it cannot be opened (peer failed).
     */
    private TcpConnection connection()
    {
        TcpConnection connection = outbound;
        if (null == connection)
        {
            connection = transport.openOutbound(this);
            outbound = connection;
        }
        return connection;
    }
}
