package io.javelin.transport.tcp;

import io.javelin.transport.TransportStatus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * The one non-blocking socket between this rank and a peer: its handshake, the FIFO of frames waiting for
 * the socket, the requests awaiting replies, and the replies owed to the peer. Frames are handed to the
 * socket by gathering writes of each frame's header buffer and a view of its payload, so payloads are
 * never copied in user space.
 *
 * <p>One socket carries both directions so that TCP acknowledgements ride on the traffic coming back
 * (two sockets per pair measured 2 us slower per message on loopback). Replies are sent one at a time in
 * request order; a long READ_RESPONSE re-enters the FIFO chunk by chunk, so frames posted meanwhile are
 * not held up behind it. Used only on the progress thread.
 */
final class TcpConnection
{
    static final int CONNECTING = 1;
    static final int AWAITING_REPLY = 2;
    static final int AWAITING_HELLO = 3;
    /** Lost a simultaneous connect: socket closed, frames kept until the peer's connection adopts them. */
    static final int AWAITING_PEER = 4;
    static final int ESTABLISHED = 5;
    static final int CLOSED = 6;

    /** Operations gathered into one write: two buffers each, far below the kernel's IOV_MAX. */
    private static final int MAX_OPERATIONS_PER_WRITE = 32;

    final TcpTransport transport;
    final SocketChannel channel;
    /** This rank opened the socket (it sent the hello). */
    final boolean outbound;
    /** The peer; for an accepted connection null until its hello names the rank. */
    TcpEndpoint endpoint;
    int state;
    long deadlineNs;

    private final ByteBuffer handshake = ByteBuffer.allocateDirect(TcpFrame.HELLO_LENGTH)
        .order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer[] gather = new ByteBuffer[2 * MAX_OPERATIONS_PER_WRITE];
    private TcpFrameReceiver receiver;
    private TcpOperation sendHead;
    private TcpOperation sendTail;
    private TcpOperation awaitingHead;
    private TcpOperation awaitingTail;
    /** Replies owed to the peer, oldest first; the oldest has a frame in the send FIFO. */
    private TcpOperation replyHead;
    private TcpOperation replyTail;
    private boolean flushing;

    TcpConnection(
        final TcpTransport transport,
        final SocketChannel channel,
        final boolean outbound,
        final TcpEndpoint endpoint,
        final long deadlineNs)
    {
        this.transport = transport;
        this.channel = channel;
        this.outbound = outbound;
        this.endpoint = endpoint;
        this.deadlineNs = deadlineNs;
        state = outbound ? CONNECTING : AWAITING_HELLO;
    }

    /**
     * Advances the handshake, or receives and sends on an established connection.
     *
     * @return work done, 0 when idle.
     * @throws IOException when the connection failed; the message is the reason to report.
     */
    int progress() throws IOException
    {
        if (ESTABLISHED == state)
        {
            int work = receiver.receive();
            if (null != sendHead && ESTABLISHED == state)
            {
                work += flush();
            }
            return work;
        }
        return TcpHandshake.progress(this, handshake);
    }

    /**
     * Queues a request this rank posted and, when nothing is ahead of it, hands it to the socket at once.
     * A socket error fails the peer (the request then completes with PEER_FAILED); the caller need not check.
     */
    void enqueueRequest(final TcpOperation operation)
    {
        if (TcpOperation.WRITE == operation.kind || TcpOperation.READ == operation.kind)
        {
            if (null == awaitingTail)
            {
                awaitingHead = operation;
            }
            else
            {
                awaitingTail.nextPending = operation;
            }
            awaitingTail = operation;
        }
        append(operation);
        flushIfEstablished();
    }

    /**
     * Queues a reply owed to the peer; it goes out after the replies queued before it.
     */
    void enqueueReply(final TcpOperation operation)
    {
        final boolean idle = null == replyHead;
        if (idle)
        {
            replyHead = operation;
        }
        else
        {
            replyTail.nextPending = operation;
        }
        replyTail = operation;
        if (idle)
        {
            append(operation);
            flushIfEstablished();
        }
    }

    /**
     * @return the oldest request awaiting its reply, or null.
     */
    TcpOperation oldestAwaitingReply()
    {
        return awaitingHead;
    }

    void removeOldestAwaitingReply()
    {
        final TcpOperation operation = awaitingHead;
        awaitingHead = operation.nextPending;
        operation.nextPending = null;
        if (null == awaitingHead)
        {
            awaitingTail = null;
        }
    }

    /**
     * Takes over the requests of this rank's connection that lost a simultaneous connect. That connection
     * never sent a frame, so the requests go out here in their order.
     */
    void adoptRequests(final TcpConnection loser)
    {
        if (null != loser.sendHead)
        {
            if (null == sendTail)
            {
                sendHead = loser.sendHead;
            }
            else
            {
                sendTail.next = loser.sendHead;
            }
            sendTail = loser.sendTail;
        }
        if (null != loser.awaitingHead)
        {
            if (null == awaitingTail)
            {
                awaitingHead = loser.awaitingHead;
            }
            else
            {
                awaitingTail.nextPending = loser.awaitingHead;
            }
            awaitingTail = loser.awaitingTail;
        }
        loser.sendHead = null;
        loser.sendTail = null;
        loser.awaitingHead = null;
        loser.awaitingTail = null;
    }

    /**
     * Closes the socket and completes everything queued on it with {@code status}. Idempotent.
     */
    void close(final int status)
    {
        if (CLOSED == state)
        {
            return;
        }
        state = CLOSED;
        transport.onConnectionClosed();
        closeSocket();
        if (null != receiver)
        {
            receiver.close();
        }
        TcpOperation operation = sendHead;
        sendHead = null;
        sendTail = null;
        while (null != operation)
        {
            final TcpOperation next = operation.next;
            operation.next = null;
            if (TcpOperation.SEND == operation.kind)
            {
                transport.complete(operation, status);
            }
            // writes and reads complete through the awaiting list, replies are released through theirs
            operation = next;
        }
        operation = awaitingHead;
        awaitingHead = null;
        awaitingTail = null;
        while (null != operation)
        {
            final TcpOperation next = operation.nextPending;
            operation.nextPending = null;
            transport.complete(operation, status);
            operation = next;
        }
        operation = replyHead;
        replyHead = null;
        replyTail = null;
        while (null != operation)
        {
            final TcpOperation next = operation.nextPending;
            transport.release(operation);
            operation = next;
        }
    }

    void closeSocket()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // closing is best effort: the connection is gone either way
        }
    }

    /**
     * The handshake succeeded: frames may flow.
     */
    void establish(final int receiveBufferBytes) throws IOException
    {
        receiver = new TcpFrameReceiver(this, receiveBufferBytes);
        state = ESTABLISHED;
        if (null != sendHead)
        {
            flush();
        }
    }

    String describe()
    {
        final String peer = null == endpoint ? "an unidentified peer" : "peer " + endpoint.peerId();
        return (outbound ? "connection to " : "connection from ") + peer;
    }

    String describeRemote()
    {
        try
        {
            return String.valueOf(channel.getRemoteAddress());
        }
        catch (final IOException ex)
        {
            return "an unknown address";
        }
    }

    private void append(final TcpOperation operation)
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
    }

    private void flushIfEstablished()
    {
        if (ESTABLISHED == state && !flushing)
        {
            try
            {
                flush();
            }
            catch (final IOException ex)
            {
                transport.onConnectionFailure(this, ex);
            }
        }
    }

    private int flush() throws IOException
    {
        int work = 0;
        flushing = true;
        try
        {
            while (null != sendHead)
            {
                int count = 0;
                long requested = 0;
                for (TcpOperation op = sendHead; null != op && count < gather.length - 1; op = op.next)
                {
                    op.exposeNextChunk();
                    gather[count++] = op.frame;
                    requested += op.frame.remaining();
                    if (null != op.payload)
                    {
                        gather[count++] = op.payload;
                        requested += op.payload.remaining();
                        if (!op.payload.isDirect())
                        {
                            break; // NIO copies each heap buffer it is given: give it one chunk per write
                        }
                    }
                }
                final long written = 1 == count ? channel.write(gather[0]) : channel.write(gather, 0, count);
                Arrays.fill(gather, 0, count, null);
                work += retireWritten();
                if (written < requested)
                {
                    break;
                }
            }
        }
        finally
        {
            flushing = false;
        }
        return work;
    }

    private int retireWritten()
    {
        int retired = 0;
        while (null != sendHead && sendHead.isFullyWritten())
        {
            final TcpOperation operation = sendHead;
            sendHead = operation.next;
            if (null == sendHead)
            {
                sendTail = null;
            }
            operation.next = null;
            operation.sent = true;
            retired++;
            switch (operation.kind)
            {
                case TcpOperation.SEND -> transport.complete(operation, TransportStatus.OK);
                case TcpOperation.WRITE_ACK, TcpOperation.READ_RESPONSE -> replyFrameWritten(operation);
                default ->
                {
                    // WRITE and READ complete when their reply arrives
                }
            }
        }
        return retired;
    }

    /**
     * A frame of the oldest reply went out: queue its next chunk, or retire it and start the next reply.
     */
    private void replyFrameWritten(final TcpOperation reply)
    {
        if (reply.hasMoreResponseChunks())
        {
            reply.frameNextResponseChunk();
            append(reply);
            return;
        }
        replyHead = reply.nextPending;
        if (null == replyHead)
        {
            replyTail = null;
        }
        transport.release(reply);
        if (null != replyHead)
        {
            append(replyHead);
        }
    }
}
