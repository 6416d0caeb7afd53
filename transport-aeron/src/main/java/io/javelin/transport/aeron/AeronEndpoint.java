package io.javelin.transport.aeron;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.javelin.transport.Endpoint;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.TransportStatus;
import org.agrona.CloseHelper;

import java.lang.foreign.MemorySegment;

/**
 * A peer of an {@link AeronTransport}: this rank's exclusive publication to it (UDP, or IPC in the peer's
 * driver), the queue of frames waiting for the publication, and the requests waiting for the peer's reply.
 * What the peer sends arrives on an image of this rank's subscriptions ({@link AeronInbound}).
 *
 * <p>A send is accepted only when it goes into the publication at once: while the handshake is running,
 * while frames are queued ahead of it, or while the publication pushes back, it returns
 * {@link TransportStatus#BACK_PRESSURED} and nothing happens (the engine retries sends). Writes and reads
 * are queued instead (the engine does not retry them) and go out in order from {@link #drain()}; only a
 * full operation pool refuses them. Used only on the progress thread.
 */
final class AeronEndpoint implements Endpoint
{
    private final AeronTransport transport;
    private final int peerId;
    /** How to reach the peer; null while it is known only from nothing (connect() not called, no HELLO yet). */
    AeronAddress address;
    /** The publication goes to the peer's driver by IPC (else by UDP). */
    boolean ipc;
    Aeron client;
    long registrationId = Aeron.NULL_VALUE;
    ExclusivePublication publication;
    boolean helloQueued;
    boolean helloSent;
    /** The peer accepted this rank's HELLO: posts may go. */
    boolean established;
    /** The authenticated image carrying the peer's frames. */
    AeronInbound inbound;
    /** Why the peer failed; null while it is healthy. */
    String failure;
    /** Deadline of the handshake, once started. */
    long handshakeDeadlineNs;
    private long nextRequestId;
    private AeronOperation sendHead;
    private AeronOperation sendTail;
    private AeronOperation awaitingHead;
    private AeronOperation awaitingTail;

    AeronEndpoint(final AeronTransport transport, final int peerId)
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
        if (headerLength < 0 || headerLength > AeronConfiguration.MAX_HEADER_BYTES ||
            (headerLength > 0 && (null == header || header.byteSize() < headerLength)) ||
            payloadLength < 0 || payloadLength > transport.maxMessageBytes() - headerLength ||
            (payloadLength > 0 && !inBounds(payload, payloadOffset, payloadLength)))
        {
            return TransportStatus.INVALID_ARGUMENT;
        }
        if (!readyToPost())
        {
            return TransportStatus.BACK_PRESSURED;
        }
        if (NO_COMPLETION == cookie)
        {
            // header and payload are in the term buffer once data() returns: nothing to complete later
            final long written = transport.writer().data(
                publication, header, headerLength, payload, payloadOffset, (int)payloadLength);
            return written > 0 ? TransportStatus.OK : refused(written);
        }
        final AeronOperation operation = transport.acquireForPost();
        if (null == operation)
        {
            return TransportStatus.BACK_PRESSURED;
        }
        final long result = transport.writer().data(
            publication, header, headerLength, payload, payloadOffset, (int)payloadLength);
        if (result > 0)
        {
            operation.prepare(AeronOperation.SEND, cookie, 0);
            transport.complete(operation, TransportStatus.OK);
            return TransportStatus.OK;
        }
        transport.release(operation);
        return refused(result);
    }

    /**
     * @return true over IPC: {@link #send} copies header and payload into the peer's term buffer before it
     *         returns, and the peer reads them there. Not over UDP: there the frame leaves only when the driver's
     *         sender runs, and a send completes in a later progress call, after such a run, so that a rank that
     *         saw its last send complete (say the barrier of {@code close()}) has put it on the wire.
     */
    @Override
    public boolean sendCopiesPayload()
    {
        return ipc;
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
        return postOneSided(AeronOperation.WRITE, local, localOffset, remoteAddress, remoteKey, length, cookie, 0);
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
        return postOneSided(AeronOperation.READ, local, localOffset, remoteAddress, remoteKey, length, cookie,
            MemoryRegion.LOCAL_WRITE);
    }

    @Override
    public String toString()
    {
        return "AeronEndpoint{peer=" + peerId + ", " + (null == address ? "no address" : address) +
            (established ? ", established" : "") + (null == failure ? "" : ", failed") + "}";
    }

    /**
     * Queues a frame (a reply, the handshake, a restarted request) and, when nothing is ahead of it, puts it
     * on the publication at once.
     */
    void enqueue(final AeronOperation operation)
    {
        operation.next = null;
        if (null == sendTail)
        {
            sendHead = operation;
        }
        else
        {
            sendTail.next = operation;
        }
        sendTail = operation;
        if (sendHead == operation && null != publication)
        {
            drain();
        }
    }

    /**
     * Puts queued frames on the publication until it pushes back.
     *
     * @return frames fully sent.
     */
    int drain()
    {
        int work = 0;
        while (null != sendHead && null != publication)
        {
            final AeronOperation operation = sendHead;
            if (!established && operation.isUserOperation())
            {
                break; // the peer has not accepted this rank's HELLO yet
            }
            final long result = emit(operation);
            if (result < 0)
            {
                if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
                {
                    transport.failPeer(this, publicationFailure(result));
                }
                break;
            }
            sendHead = operation.next;
            if (null == sendHead)
            {
                sendTail = null;
            }
            operation.next = null;
            work++;
            if (AeronOperation.HELLO == operation.kind)
            {
                helloSent = true;
            }
            if (operation.awaitsReply())
            {
                addAwaiting(operation);
            }
            else
            {
                transport.release(operation);
            }
        }
        return work;
    }

    boolean hasQueuedFrames()
    {
        return null != sendHead;
    }

    /**
     * @return the oldest request waiting for a reply, or null.
     */
    AeronOperation oldestAwaitingReply()
    {
        return awaitingHead;
    }

    void removeOldestAwaitingReply()
    {
        final AeronOperation operation = awaitingHead;
        awaitingHead = operation.nextAwaiting;
        operation.nextAwaiting = null;
        if (null == awaitingHead)
        {
            awaitingTail = null;
        }
    }

    /**
     * Completes or drops everything queued or awaiting a reply: user operations with {@code status}, owed
     * frames silently; closes the publication.
     */
    void abandon(final int status)
    {
        AeronOperation operation = sendHead;
        sendHead = null;
        sendTail = null;
        while (null != operation)
        {
            final AeronOperation next = operation.next;
            operation.next = null;
            if (operation.isUserOperation())
            {
                transport.complete(operation, status);
            }
            else
            {
                transport.release(operation);
            }
            operation = next;
        }
        operation = awaitingHead;
        awaitingHead = null;
        awaitingTail = null;
        while (null != operation)
        {
            final AeronOperation next = operation.nextAwaiting;
            operation.nextAwaiting = null;
            transport.complete(operation, status);
            operation = next;
        }
        CloseHelper.quietClose(publication);
        publication = null;
        registrationId = Aeron.NULL_VALUE;
        established = false;
    }

    private int postOneSided(
        final int kind,
        final MemoryRegion local,
        final long localOffset,
        final long remoteAddress,
        final long remoteKey,
        final long length,
        final long cookie,
        final int requiredFlags)
    {
        final int status = checkPeer();
        if (TransportStatus.OK != status)
        {
            return status;
        }
        if (!transport.registrations().isLocal(local) || (local.accessFlags() & requiredFlags) != requiredFlags ||
            length < 0 || !inBounds(local.segment(), localOffset, length))
        {
            return TransportStatus.INVALID_ARGUMENT;
        }
        final AeronOperation operation = transport.acquireForPost();
        if (null == operation)
        {
            return TransportStatus.BACK_PRESSURED;
        }
        operation.prepare(kind, cookie, ++nextRequestId);
        operation.segment = local.segment();
        operation.offset = localOffset;
        operation.length = length;
        operation.remoteAddress = remoteAddress;
        operation.remoteKey = remoteKey;
        operation.singleCopy = transport.singleCopyUsable(this);
        if (!established)
        {
            transport.openOutbound(this, true); // queues the HELLO ahead of this request
            if (null != failure)
            {
                nextRequestId--;
                transport.release(operation);
                return TransportStatus.PEER_FAILED;
            }
        }
        enqueue(operation); // should the publication fail now, the operation completes with PEER_FAILED
        return TransportStatus.OK;
    }

    private long emit(final AeronOperation operation)
    {
        final FrameWriter writer = transport.writer();
        return switch (operation.kind)
        {
            case AeronOperation.HELLO -> transport.writeHello(publication);
            case AeronOperation.ACCEPT -> writer.control(publication, AeronFrame.PREFIX_LENGTH, AeronFrame.TYPE_ACCEPT,
                0, transport.rank(), 0, 0, 0, 0);
            case AeronOperation.REFUSE -> writer.refuse(publication, operation.status, transport.rank());
            case AeronOperation.WRITE_ACK -> writer.control(publication, AeronFrame.WRITE_ACK_LENGTH,
                AeronFrame.TYPE_WRITE_ACK, 0, operation.status, operation.id, 0, 0, 0);
            case AeronOperation.GRANT -> writer.control(publication, AeronFrame.GRANT_LENGTH, AeronFrame.TYPE_GRANT,
                0, operation.status, operation.id, 0, 0, 0);
            case AeronOperation.READ_RESPONSE -> writer.stream(publication, operation, AeronFrame.TYPE_READ_RESPONSE);
            case AeronOperation.WRITE -> operation.singleCopy ? grantRequest(operation, MemoryRegion.REMOTE_WRITE) :
                writer.stream(publication, operation, AeronFrame.TYPE_WRITE);
            default -> operation.singleCopy ? grantRequest(operation, MemoryRegion.REMOTE_READ) :
                writer.control(publication, AeronFrame.RMA_REQUEST_LENGTH, AeronFrame.TYPE_READ_REQUEST, 0, 0,
                operation.remoteKey, operation.remoteAddress, operation.length, operation.id);
        };
    }

    private long grantRequest(final AeronOperation operation, final int access)
    {
        return transport.writer().control(publication, AeronFrame.RMA_REQUEST_LENGTH, AeronFrame.TYPE_GRANT_REQUEST,
            access, 0, operation.remoteKey, operation.remoteAddress, operation.length, operation.id);
    }

    private void addAwaiting(final AeronOperation operation)
    {
        operation.nextAwaiting = null;
        if (null == awaitingTail)
        {
            awaitingHead = operation;
        }
        else
        {
            awaitingTail.nextAwaiting = operation;
        }
        awaitingTail = operation;
    }

    private boolean readyToPost()
    {
        if (!established)
        {
            transport.openOutbound(this, true);
            return false;
        }
        return null == sendHead;
    }

    private int refused(final long result)
    {
        if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
        {
            transport.failPeer(this, publicationFailure(result));
            return TransportStatus.PEER_FAILED;
        }
        return TransportStatus.BACK_PRESSURED;
    }

    private String publicationFailure(final long result)
    {
        return "the publication to peer " + peerId + " " + (Publication.CLOSED == result ? "was closed" :
            "reached its maximum position") + " (" + (ipc ? "IPC" : "UDP") + ")";
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
            return TransportStatus.INVALID_ARGUMENT; // connect() first
        }
        return TransportStatus.OK;
    }

    private static boolean inBounds(final MemorySegment segment, final long offset, final long length)
    {
        return null != segment && offset >= 0 && offset <= segment.byteSize() && length <= segment.byteSize() - offset;
    }
}
