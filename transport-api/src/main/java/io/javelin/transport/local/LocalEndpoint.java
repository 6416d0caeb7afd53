package io.javelin.transport.local;

import io.javelin.transport.Endpoint;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.TransportStatus;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * One transport's view of a peer in the same JVM. The peer transport is found in the fabric at the first
 * post (it may open slightly later than this endpoint is connected) and checked to belong to the same
 * job; after that every post goes straight to it.
 *
 * <p>Posting is synchronous: a send is copied into the peer's inbox and a one-sided operation is one
 * copy between the two regions, both before the post returns; the completion is queued for the
 * poster's next {@code progress()}. Only the owning transport's thread calls these methods.
 */
final class LocalEndpoint implements Endpoint
{
    private final LocalTransport transport;
    private final LocalAddress address;
    private LocalTransport peer;
    private String failure;
    private boolean waitingForPeer;
    private long waitDeadlineNs;

    /**
     * @param transport the owning transport.
     * @param address   where the peer lives.
     * @param peer      the peer if already known (it sent us a message), else null.
     */
    LocalEndpoint(final LocalTransport transport, final LocalAddress address, final LocalTransport peer)
    {
        this.transport = transport;
        this.address = address;
        this.peer = peer;
    }

    @Override
    public int peerId()
    {
        return address.rank();
    }

    /**
     * @return the peer's address.
     */
    LocalAddress address()
    {
        return address;
    }

    @Override
    public int send(final MemorySegment header, final int headerLength, final MemorySegment payload,
        final long payloadOffset, final long payloadLength, final long cookie)
    {
        if (!transport.enter())
        {
            return TransportStatus.CLOSED;
        }
        try
        {
            if (headerLength < 0 || headerLength > LocalTransportConfiguration.MAX_HEADER_BYTES ||
                (headerLength > 0 && (null == header || header.byteSize() < headerLength)) ||
                payloadLength < 0 || payloadOffset < 0 ||
                (payloadLength > 0 && (null == payload || payloadOffset > payload.byteSize() - payloadLength)) ||
                headerLength + payloadLength > LocalTransportConfiguration.MAX_MESSAGE_BYTES)
            {
                return TransportStatus.INVALID_ARGUMENT;
            }
            final int resolved = resolve();
            if (TransportStatus.OK != resolved)
            {
                return failPost(resolved, cookie);
            }
            final int delivered = peer.deliver(transport, header, headerLength, payload, payloadOffset,
                (int)payloadLength);
            if (TransportStatus.PEER_FAILED == delivered)
            {
                fail(peerClosedReason());
            }
            return TransportStatus.BACK_PRESSURED == delivered ? delivered : transport.complete(cookie, delivered);
        }
        finally
        {
            transport.exit();
        }
    }

    @Override
    public int write(final MemoryRegion local, final long localOffset, final long remoteAddress, final long remoteKey,
        final long length, final long cookie)
    {
        return oneSided(true, local, localOffset, remoteAddress, remoteKey, length, cookie);
    }

    @Override
    public int read(final MemoryRegion local, final long localOffset, final long remoteAddress, final long remoteKey,
        final long length, final long cookie)
    {
        return oneSided(false, local, localOffset, remoteAddress, remoteKey, length, cookie);
    }

    private int oneSided(final boolean write, final MemoryRegion local, final long localOffset,
        final long remoteAddress, final long remoteKey, final long length, final long cookie)
    {
        if (!transport.enter())
        {
            return TransportStatus.CLOSED;
        }
        try
        {
            if (!(local instanceof LocalMemoryRegion region) || region.table() != transport.regions() ||
                region.isClosed() || localOffset < 0 || length < 0 ||
                localOffset > region.segment().byteSize() - length ||
                (!write && (region.accessFlags() & MemoryRegion.LOCAL_WRITE) == 0))
            {
                return TransportStatus.INVALID_ARGUMENT;
            }
            final int resolved = resolve();
            if (TransportStatus.OK != resolved)
            {
                return failPost(resolved, cookie);
            }
            final int status = copy(write, region, localOffset, remoteAddress, remoteKey, length);
            if (TransportStatus.REMOTE_ACCESS_ERROR == status && peer.isClosed())
            {
                fail(peerClosedReason());
                return transport.complete(cookie, TransportStatus.PEER_FAILED);
            }
            return transport.complete(cookie, status);
        }
        finally
        {
            transport.exit();
        }
    }

    /**
     * The one copy of a one-sided operation, done only when the peer's region grants the access to the
     * whole span; otherwise no memory is touched.
     */
    private int copy(final boolean write, final LocalMemoryRegion local, final long localOffset,
        final long remoteAddress, final long remoteKey, final long length)
    {
        final LocalMemoryRegion remote = peer.regions().lookup(remoteKey);
        if (null == remote || !remote.acquire())
        {
            return TransportStatus.REMOTE_ACCESS_ERROR;
        }
        try
        {
            final int flag = write ? MemoryRegion.REMOTE_WRITE : MemoryRegion.REMOTE_READ;
            if (!remote.permits(flag, remoteAddress, length))
            {
                return TransportStatus.REMOTE_ACCESS_ERROR;
            }
            final long remoteOffset = remoteAddress - remote.address();
            if (write)
            {
                MemorySegment.copy(local.view(), localOffset, remote.view(), remoteOffset, length);
            }
            else
            {
                MemorySegment.copy(remote.view(), remoteOffset, local.view(), localOffset, length);
            }
            return TransportStatus.OK;
        }
        finally
        {
            remote.release();
        }
    }

    /**
     * Finds the peer and checks it is usable.
     *
     * @return OK; BACK_PRESSURED while waiting for the peer to open; PEER_FAILED once failed.
     */
    private int resolve()
    {
        if (null != failure)
        {
            return TransportStatus.PEER_FAILED;
        }
        if (null == peer)
        {
            final LocalTransport found = LocalFabric.lookup(address);
            if (null == found)
            {
                return awaitPeer();
            }
            if (found.jobSecret() != transport.jobSecret())
            {
                fail("peer " + address.rank() + " presented a different job secret: it belongs to another job " +
                    "(found at " + address + "); give each job its own " +
                    LocalTransportConfiguration.FABRIC_PROP_NAME);
                return TransportStatus.PEER_FAILED;
            }
            peer = found;
        }
        if (peer.isClosed())
        {
            fail(peerClosedReason());
            return TransportStatus.PEER_FAILED;
        }
        return TransportStatus.OK;
    }

    private int awaitPeer()
    {
        final long now = System.nanoTime();
        if (!waitingForPeer)
        {
            waitingForPeer = true;
            waitDeadlineNs = now + transport.configuration().connectTimeoutNs();
        }
        if (now - waitDeadlineNs < 0)
        {
            return TransportStatus.BACK_PRESSURED;
        }
        fail("peer " + address.rank() + " (" + address + ") did not open within " +
            TimeUnit.NANOSECONDS.toMillis(transport.configuration().connectTimeoutNs()) + " ms: the local " +
            "transport only reaches ranks that are threads of this JVM (Javelin.runLocal); check that every rank " +
            "started and uses the same " + LocalTransportConfiguration.FABRIC_PROP_NAME + ", or raise " +
            LocalTransportConfiguration.CONNECT_TIMEOUT_PROP_NAME);
        return TransportStatus.PEER_FAILED;
    }

    /**
     * A post to a failed peer is accepted and completes with {@code PEER_FAILED} at the next progress;
     * a post while waiting for the peer to open is back-pressured.
     */
    private int failPost(final int resolved, final long cookie)
    {
        return TransportStatus.BACK_PRESSURED == resolved ? resolved : transport.complete(cookie, resolved);
    }

    /**
     * The peer closed its transport: report it once (peers of a closed rank learn it without posting).
     */
    void peerClosed()
    {
        fail(peerClosedReason());
    }

    private String peerClosedReason()
    {
        return "peer " + address.rank() + " closed its transport (" + address + "): the rank finished or failed";
    }

    /**
     * Marks the peer failed and has the transport report it once.
     */
    private void fail(final String reason)
    {
        if (null == failure)
        {
            failure = reason;
            transport.peerFailed(this);
        }
    }

    /**
     * @return why the peer failed, or null.
     */
    String failure()
    {
        return failure;
    }

    @Override
    public String toString()
    {
        return "LocalEndpoint{" + address + (null == failure ? "" : ", failed: " + failure) + "}";
    }
}
