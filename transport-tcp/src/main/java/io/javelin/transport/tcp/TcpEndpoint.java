package io.javelin.transport.tcp;

import io.javelin.transport.Endpoint;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.TransportStatus;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * A peer of a {@link TcpTransport}. One socket joins the two ranks: the one this rank opens on its first
 * post to the peer, or the one the peer opened first (see {@link TcpFrame} for simultaneous connects).
 * Used only on the progress thread.
 */
final class TcpEndpoint implements Endpoint
{
    private final TcpTransport transport;
    private final int peerId;
    /** Where the peer listens; null while the peer is known only from the connection it opened. */
    InetSocketAddress address;
    /** The socket to the peer, whichever rank opened it; null until either rank first posts. */
    TcpConnection connection;
    /** For this rank itself: the accepted end of its connection to itself. */
    TcpConnection loopback;
    /** Why the peer failed; null while it is healthy. */
    String failure;
    private long lastRequestId;

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
        if (!transport.enterPost())
        {
            return TransportStatus.CLOSED;
        }
        try
        {
            return postSend(header, headerLength, payload, payloadOffset, payloadLength, cookie);
        }
        finally
        {
            transport.exitPost();
        }
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
        if (!transport.enterPost())
        {
            return TransportStatus.CLOSED;
        }
        try
        {
            return postOneSided(true, local, localOffset, remoteAddress, remoteKey, length, cookie);
        }
        finally
        {
            transport.exitPost();
        }
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
        if (!transport.enterPost())
        {
            return TransportStatus.CLOSED;
        }
        try
        {
            return postOneSided(false, local, localOffset, remoteAddress, remoteKey, length, cookie);
        }
        finally
        {
            transport.exitPost();
        }
    }

    @Override
    public String toString()
    {
        return "TcpEndpoint{peer=" + peerId + ", address=" + address + (null == failure ? "" : ", failed") + "}";
    }

    private int postSend(
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
        final TcpConnection current = connection();
        if (null == current)
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
        current.enqueueRequest(operation);
        return TransportStatus.OK;
    }

    private int postOneSided(
        final boolean write,
        final MemoryRegion local,
        final long localOffset,
        final long remoteAddress,
        final long remoteKey,
        final long length,
        final long cookie)
    {
        final int status = checkOneSided(local, localOffset, length, write ? 0 : MemoryRegion.LOCAL_WRITE);
        if (TransportStatus.OK != status)
        {
            return status;
        }
        final TcpConnection current = connection();
        if (null == current)
        {
            return TransportStatus.PEER_FAILED;
        }
        final TcpOperation operation = transport.acquireForPost();
        if (null == operation)
        {
            return TransportStatus.BACK_PRESSURED;
        }
        if (write)
        {
            operation.prepareWrite(local.segment(), localOffset, remoteAddress, remoteKey, (int)length, cookie,
                ++lastRequestId, transport.inlineLimitBytes());
        }
        else
        {
            operation.prepareRead(local.segment(), localOffset, remoteAddress, remoteKey, (int)length, cookie,
                ++lastRequestId);
        }
        current.enqueueRequest(operation);
        return TransportStatus.OK;
    }

    private int checkPeer()
    {
        if (null != failure)
        {
            return TransportStatus.PEER_FAILED;
        }
        if (null == address && null == connection)
        {
            return TransportStatus.INVALID_ARGUMENT; // never connect()ed and not connected by the peer either
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
     * @return the connection, opened on first use; null when it cannot be opened (the peer is then failed).
     */
    private TcpConnection connection()
    {
        TcpConnection current = connection;
        if (null == current)
        {
            current = transport.connector().openOutbound(this);
            connection = current;
        }
        return current;
    }
}
