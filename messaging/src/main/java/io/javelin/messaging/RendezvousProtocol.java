package io.javelin.messaging;

import io.javelin.messaging.wire.CompletionCode;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.TransportCapabilities;
import io.javelin.transport.TransportException;
import io.javelin.transport.TransportStatus;

import java.lang.foreign.MemorySegment;

/**
 * The rendezvous protocol for large messages, in its two forms:
 * <pre>
 *   RGET (transport can read):              RPUT (transport can only write):
 *   sender          receiver                sender          receiver
 *     | --- RTS ------> |                     | --- RTS ------> |
 *     |                 | (match)             |                 | (match, register)
 *     | &lt;== READ ======= |                     | &lt;--- CTS ------ |
 *     | &lt;--- FIN ------- |                     | === WRITE ====&gt; |
 *   done              done                    | --- FIN ------&gt; |
 *                                           done              done
 * </pre>
 * The payload moves once, from the sender's registered memory into the receiver's (over TCP, the sender's
 * progress engine streams it from its buffer into the socket and the receiver's reads it straight into the
 * matched buffer). Heap arrays go through registered bounce buffers ({@link StagingPool}).
 */
final class RendezvousProtocol
{
    private final MessagingEngine engine;
    private final RegistrationCache cache;
    private final StagingPool staging;
    private final WireCodec codec;
    private final boolean useRead;

    RendezvousProtocol(final MessagingEngine engine, final RegistrationCache cache, final StagingPool staging,
        final WireCodec codec, final boolean useRead)
    {
        this.engine = engine;
        this.cache = cache;
        this.staging = staging;
        this.codec = codec;
        this.useRead = useRead;
    }

    static boolean useRead(final TransportCapabilities capabilities, final String choice)
    {
        return switch (choice)
        {
            case "get" -> requireCapability(capabilities.rmaRead(), "get", "read");
            case "put" -> !requireCapability(capabilities.rmaWrite(), "put", "write");
            case "auto" -> capabilities.rmaRead();
            default -> throw new IllegalArgumentException(Configuration.RENDEZVOUS_PROP_NAME + "=" + choice +
                " is not one of auto, get, put");
        };
    }

    private static boolean requireCapability(final boolean capable, final String choice, final String operation)
    {
        if (!capable)
        {
            throw new IllegalArgumentException(Configuration.RENDEZVOUS_PROP_NAME + "=" + choice +
                " needs a transport that can " + operation + " remote memory: use auto");
        }
        return true;
    }

    /**
     * Registers (or stages) the payload so the receiver can read it.
     *
     * @return false if the send failed (it is then complete with an error).
     */
    boolean prepareSend(final SendRequest send)
    {
        try
        {
            if (send.buffer.isNative())
            {
                send.lease = cache.acquire(send.buffer, MemoryRegion.REMOTE_READ | MemoryRegion.LOCAL_WRITE);
            }
            else
            {
                send.lease = staging.acquire(send.buffer.byteSize());
                send.staged = true;
                MemorySegment.copy(send.buffer, 0, send.lease.region().segment(), send.lease.offset(),
                    send.buffer.byteSize());
            }
            return true;
        }
        catch (final TransportException | IllegalArgumentException ex)
        {
            send.fail(CompletionError.TRANSPORT, "cannot register the send buffer: " + ex.getMessage());
            return false;
        }
    }

    void releaseSendLease(final MessageRequest request)
    {
        final RegistrationCache.Lease lease = leaseOf(request);
        if (null == lease)
        {
            return;
        }
        if (request.staged)
        {
            staging.release(lease);
        }
        else
        {
            cache.release(lease);
        }
        if (request instanceof SendRequest send)
        {
            send.lease = null;
        }
        else
        {
            ((ReceiveRequest)request).lease = null;
        }
    }

    /**
     * A receive matched an RTS: read the payload (RGET) or ask the sender to write it (RPUT).
     */
    void startReceive(final ReceiveRequest receive, final Peer peer, final int source, final int tag,
        final long length, final long address, final long remoteKey, final long senderRequestId)
    {
        final long n = Math.min(length, receive.buffer.byteSize());
        receive.messageLength = length;
        receive.senderRequestId = senderRequestId;
        receive.statusSource = source;
        receive.statusTag = tag;
        receive.peer = peer.rank;
        if (n == 0)
        {
            engine.sendControl(peer, codec.finish(senderRequestId, CompletionCode.TRUNCATED, engine.takeCredits(peer)));
            engine.completeReceive(receive, source, tag, length, 0);
            return;
        }
        try
        {
            if (receive.buffer.isNative())
            {
                // the whole buffer unless truncated: a slice would be a new segment object per message
                final MemorySegment span = n == receive.buffer.byteSize() ? receive.buffer :
                    receive.buffer.asSlice(0, n);
                receive.lease = cache.acquire(span, MemoryRegion.ALL_ACCESS);
            }
            else
            {
                receive.lease = staging.acquire(n);
                receive.staged = true;
            }
        }
        catch (final TransportException | IllegalArgumentException ex)
        {
            engine.sendControl(peer, codec.finish(senderRequestId, CompletionCode.TRANSPORT_ERROR,
                engine.takeCredits(peer)));
            receive.fail(CompletionError.TRANSPORT, "cannot register the receive buffer: " + ex.getMessage());
            return;
        }
        engine.track(receive);
        if (useRead)
        {
            receive.remoteAddress = address;
            receive.remoteKey = remoteKey;
            if (!peer.rmaQueue.isEmpty() || !postRead(peer, receive))
            {
                engine.queueRma(peer, receive);
            }
        }
        else
        {
            engine.sendControl(peer, codec.clearToSend(senderRequestId, receive.id, receive.lease.remoteAddress(),
                receive.lease.region().remoteKey(), n, engine.takeCredits(peer)));
        }
    }

    void onReadComplete(final MessageRequest request, final int status)
    {
        if (!(request instanceof ReceiveRequest receive))
        {
            return;
        }
        engine.untrack(receive);
        final Peer peer = engine.peer(receive.peer);
        final long n = Math.min(receive.messageLength, receive.buffer.byteSize());
        if (status != TransportStatus.OK)
        {
            engine.sendControl(peer, codec.finish(receive.senderRequestId, CompletionCode.TRANSPORT_ERROR,
                engine.takeCredits(peer)));
            releaseSendLease(receive);
            receive.fail(CompletionError.TRANSPORT, "reading " + n + " bytes from rank " + receive.peer +
                " failed: " + TransportStatus.name(status));
            return;
        }
        finishReceive(receive, n);
        engine.sendControl(peer, codec.finish(receive.senderRequestId,
            n < receive.messageLength ? CompletionCode.TRUNCATED : CompletionCode.OK, engine.takeCredits(peer)));
    }

    /**
     * RPUT: the receiver matched and asks this rank to write.
     */
    void onClearToSend(final Peer peer, final long sendRequestId, final long receiveRequestId, final long address,
        final long remoteKey, final long length)
    {
        final MessageRequest request = engine.tracked(sendRequestId);
        if (!(request instanceof SendRequest send) || null == send.lease || length > send.buffer.byteSize())
        {
            engine.sendControl(peer, codec.finish(receiveRequestId, CompletionCode.TRANSPORT_ERROR,
                engine.takeCredits(peer)));
            return;
        }
        send.remoteReceiveId = receiveRequestId;
        send.remoteAddress = address;
        send.remoteKey = remoteKey;
        send.writeLength = length;
        if (!peer.rmaQueue.isEmpty() || !postWrite(peer, send))
        {
            engine.queueRma(peer, send);
        }
    }

    /**
     * Posts a queued (or new) one-sided operation of a rendezvous.
     *
     * @return false if the transport was too busy (nothing happened; retry later).
     */
    boolean postRma(final Peer peer, final MessageRequest request)
    {
        return request instanceof ReceiveRequest receive ? postRead(peer, receive) :
            postWrite(peer, (SendRequest)request);
    }

    private boolean postRead(final Peer peer, final ReceiveRequest receive)
    {
        final long n = Math.min(receive.messageLength, receive.buffer.byteSize());
        final int status = peer.endpoint.read(receive.lease.region(), receive.lease.offset(), receive.remoteAddress,
            receive.remoteKey, n, MessagingEngine.cookie(receive.id, MessagingEngine.COOKIE_READ));
        if (status == TransportStatus.BACK_PRESSURED)
        {
            return false;
        }
        if (status < 0)
        {
            onReadComplete(receive, status);
        }
        return true;
    }

    private boolean postWrite(final Peer peer, final SendRequest send)
    {
        final int status = peer.endpoint.write(send.lease.region(), send.lease.offset(), send.remoteAddress,
            send.remoteKey, send.writeLength, MessagingEngine.cookie(send.id, MessagingEngine.COOKIE_WRITE));
        if (status == TransportStatus.BACK_PRESSURED)
        {
            return false;
        }
        if (status < 0)
        {
            onWriteComplete(send, status);
        }
        return true;
    }

    void onWriteComplete(final MessageRequest request, final int status)
    {
        if (!(request instanceof SendRequest send))
        {
            return;
        }
        engine.untrack(send);
        final Peer peer = engine.peer(send.destination);
        final CompletionCode code = status == TransportStatus.OK ? CompletionCode.OK : CompletionCode.TRANSPORT_ERROR;
        engine.sendControl(peer, codec.finish(send.remoteReceiveId, code, engine.takeCredits(peer)));
        releaseSendLease(send);
        if (status == TransportStatus.OK)
        {
            send.succeed(send.destination, send.tag, send.buffer.byteSize());
        }
        else
        {
            send.fail(CompletionError.TRANSPORT, "writing to rank " + send.destination + " failed: " +
                TransportStatus.name(status));
        }
    }

    /**
     * FIN: completes the sender's request (RGET) or the receiver's (RPUT).
     */
    void onFinish(final Peer peer, final long requestId, final CompletionCode code)
    {
        final MessageRequest request = engine.tracked(requestId);
        if (null == request || request.peer != peer.rank)
        {
            return;
        }
        engine.untrack(request);
        if (request instanceof SendRequest send)
        {
            releaseSendLease(send);
            if (code == CompletionCode.TRANSPORT_ERROR)
            {
                send.fail(CompletionError.TRANSPORT, "rank " + peer.rank + " could not receive the rendezvous" +
                    " payload (see its error)");
            }
            else
            {
                send.succeed(send.destination, send.tag, send.buffer.byteSize());
            }
        }
        else
        {
            final ReceiveRequest receive = (ReceiveRequest)request;
            if (code == CompletionCode.TRANSPORT_ERROR)
            {
                releaseSendLease(receive);
                receive.fail(CompletionError.TRANSPORT, "rank " + peer.rank + " could not write the rendezvous" +
                    " payload");
                return;
            }
            finishReceive(receive, Math.min(receive.messageLength, receive.buffer.byteSize()));
        }
    }

    private void finishReceive(final ReceiveRequest receive, final long n)
    {
        if (receive.staged)
        {
            MemorySegment.copy(receive.lease.region().segment(), receive.lease.offset(), receive.buffer, 0, n);
        }
        releaseSendLease(receive);
        engine.completeReceive(receive, receive.statusSource, receive.statusTag, receive.messageLength, n);
    }

    private static RegistrationCache.Lease leaseOf(final MessageRequest request)
    {
        return request instanceof SendRequest send ? send.lease : ((ReceiveRequest)request).lease;
    }
}
