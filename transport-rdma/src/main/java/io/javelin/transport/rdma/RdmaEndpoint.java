package io.javelin.transport.rdma;

import io.javelin.transport.Endpoint;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.TransportStatus;
import io.javelin.transport.rdma.verbs.CmId;
import io.javelin.transport.rdma.verbs.QueuePair;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One peer: its RC connection (made lazily on the first post, by {@link RdmaConnector}), its receive buffers
 * and the credits that keep a sender from overrunning them.
 *
 * <p>Credits: the peer posts {@code peerReceiveDepth} receive buffers for us. We may have that many sends
 * unconsumed: {@code sent - peerConsumed < peerReceiveDepth}. The peer reports how many it consumed (a running
 * count, modulo 2^32) in the immediate data of each of its sends, or, when it has nothing to send, by an RDMA
 * write into our credit word. No receiver-not-ready retries ever happen.
 *
 * <p>Threading: the transport's owner thread; posts return {@link TransportStatus} codes and never throw.
 */
final class RdmaEndpoint implements Endpoint
{
    static final int IDLE = 0;
    static final int RESOLVING_ADDRESS = 1;
    static final int RESOLVING_ROUTE = 2;
    static final int CONNECTING = 3;
    static final int WAITING_FOR_PEER = 4;
    static final int ACCEPTING = 5;
    static final int CONNECTED = 6;
    static final int FAILED = 7;

    private static final long MAX_ONE_SIDED_BYTES = Integer.MAX_VALUE;

    final RdmaTransport transport;
    final int peerId;
    InetSocketAddress address;
    int state = IDLE;
    long deadlineNs;
    /** The id of the connection being made or in use; null before the first attempt. */
    CmId id;
    QueuePair queuePair;
    /** Counts queue pairs made for this peer; part of receive work request ids, so stale ones are dropped. */
    int attempt;
    BufferSlots receiveBuffers;

    long peerCreditAddress;
    int peerCreditRkey;
    int peerReceiveDepth;
    int sent;
    int peerConsumed;
    int consumed;
    int returned;
    int outstanding;
    boolean creditDirty;
    /** Posts accepted but not yet given to the device, in order. */
    final ArrayDeque<PendingOperation> pending = new ArrayDeque<>();
    boolean pendingListed;

    String failure;

    RdmaEndpoint(final RdmaTransport transport, final int peerId)
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
    public int send(final MemorySegment header, final int headerLength, final MemorySegment payload,
        final long payloadOffset, final long payloadLength, final long cookie)
    {
        if (!transport.enterPost())
        {
            return TransportStatus.CLOSED;
        }
        try
        {
            if (headerLength < 0 || headerLength > RdmaConfiguration.MAX_HEADER_BYTES ||
                headerLength > header.byteSize() || payloadOffset < 0 || payloadLength < 0 ||
                payloadOffset > payload.byteSize() - payloadLength ||
                headerLength + payloadLength > transport.bufferBytes())
            {
                return TransportStatus.INVALID_ARGUMENT;
            }
            final int ready = readyToPost();
            if (TransportStatus.OK != ready)
            {
                return ready;
            }
            if (pending.isEmpty() && CONNECTED == state)
            {
                final int status = tryPostSend(header, headerLength, payload, payloadOffset, (int)payloadLength,
                    cookie);
                if (TransportStatus.BACK_PRESSURED != status)
                {
                    return status;
                }
            }
            return transport.enqueueSend(this, header, headerLength, payload, payloadOffset, (int)payloadLength,
                cookie);
        }
        finally
        {
            transport.exitPost();
        }
    }

    @Override
    public int write(final MemoryRegion local, final long localOffset, final long remoteAddress,
        final long remoteKey, final long length, final long cookie)
    {
        return oneSided(OperationTable.KIND_WRITE, local, localOffset, remoteAddress, remoteKey, length, cookie);
    }

    @Override
    public int read(final MemoryRegion local, final long localOffset, final long remoteAddress,
        final long remoteKey, final long length, final long cookie)
    {
        return oneSided(OperationTable.KIND_READ, local, localOffset, remoteAddress, remoteKey, length, cookie);
    }

    private int oneSided(final byte kind, final MemoryRegion local, final long localOffset,
        final long remoteAddress, final long remoteKey, final long length, final long cookie)
    {
        if (!transport.enterPost())
        {
            return TransportStatus.CLOSED;
        }
        try
        {
            if (!(local instanceof RdmaMemoryRegion region) || region.transport != transport || region.isClosed() ||
                localOffset < 0 || length < 0 || length > MAX_ONE_SIDED_BYTES ||
                localOffset > region.segment().byteSize() - length ||
                (OperationTable.KIND_READ == kind && 0 == (region.accessFlags() & MemoryRegion.LOCAL_WRITE)))
            {
                return TransportStatus.INVALID_ARGUMENT;
            }
            final int ready = readyToPost();
            if (TransportStatus.OK != ready)
            {
                return ready;
            }
            if (0 != (remoteKey >>> 32))
            {
                // no registration has a key beyond 32 bits: refused without asking the peer
                transport.completeLater(cookie, TransportStatus.REMOTE_ACCESS_ERROR);
                return TransportStatus.OK;
            }
            if (pending.isEmpty() && CONNECTED == state)
            {
                final int status = tryPostOneSided(kind, region, localOffset, remoteAddress, (int)remoteKey,
                    (int)length, cookie);
                if (TransportStatus.BACK_PRESSURED != status)
                {
                    return status;
                }
            }
            return transport.enqueueOneSided(this, kind, region, localOffset, remoteAddress, (int)remoteKey,
                (int)length, cookie);
        }
        finally
        {
            transport.exitPost();
        }
    }

    /**
     * Posts now if the credits, the send queue and the buffers allow.
     *
     * @return OK, BACK_PRESSURED (nothing happened) or a failure status.
     */
    int tryPostSend(final MemorySegment header, final int headerLength, final MemorySegment payload,
        final long payloadOffset, final int payloadLength, final long cookie)
    {
        if (credits() <= 0 || outstanding >= queuePair.sendDepth() - 1)
        {
            return TransportStatus.BACK_PRESSURED;
        }
        return transport.postSend(this, header, headerLength, payload, payloadOffset, payloadLength, cookie);
    }

    int tryPostOneSided(final byte kind, final RdmaMemoryRegion region, final long localOffset,
        final long remoteAddress, final int remoteKey, final int length, final long cookie)
    {
        if (outstanding >= queuePair.sendDepth() - 1)
        {
            return TransportStatus.BACK_PRESSURED;
        }
        return transport.postOneSided(this, kind, region, localOffset, remoteAddress, remoteKey, length, cookie);
    }

    /**
     * @return OK (posts go out now or wait in {@link #pending}: connecting starts on first use), or PEER_FAILED
     *         once the connection failed.
     */
    private int readyToPost()
    {
        if (IDLE == state)
        {
            transport.connector().startConnect(this);
        }
        return FAILED == state ? TransportStatus.PEER_FAILED : TransportStatus.OK;
    }

    /**
     * @return sends the peer has room for.
     */
    int credits()
    {
        int available = peerReceiveDepth - (sent - peerConsumed);
        if (available <= 0)
        {
            onConsumedReport(transport.creditWord(peerId));
            available = peerReceiveDepth - (sent - peerConsumed);
        }
        return available;
    }

    /**
     * Takes a running consumed count from the peer (immediate data or credit word), keeping the newest.
     */
    void onConsumedReport(final int reported)
    {
        if (reported - peerConsumed > 0)
        {
            peerConsumed = reported;
        }
    }

    void resetCredits(final long creditAddress, final int creditRkey, final int receiveDepth)
    {
        peerCreditAddress = creditAddress;
        peerCreditRkey = creditRkey;
        peerReceiveDepth = receiveDepth;
        sent = 0;
        peerConsumed = 0;
        consumed = 0;
        returned = 0;
    }

    String describe()
    {
        return "rank " + peerId + (null == address ? "" : " at " + address.getAddress().getHostAddress() + ":" +
            address.getPort());
    }

    @Override
    public String toString()
    {
        return "RdmaEndpoint{" + describe() + ", state " + state + (null == failure ? "" : ", failed: " + failure) +
            "}";
    }
}
