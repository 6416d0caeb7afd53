package io.javelin.transport.tcp;

import io.javelin.transport.TransportStatus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * One non-blocking socket to a peer: its handshake, the FIFO of frames waiting for the socket, and the
 * one-sided requests waiting for their replies. Frames are handed to the socket by gathering writes of
 * each frame's header buffer and a view of its payload, so payloads are never copied in user space.
 *
 * <p>An outbound connection (this rank connected) carries what this rank posts to the peer and brings
 * back the replies; an inbound connection (the peer connected) brings the peer's posts and carries
 * this rank's replies. Used only on the progress thread.
 */
final class TcpConnection
{
    static final int CONNECTING = 1;
    static final int AWAITING_REPLY = 2;
    static final int AWAITING_HELLO = 3;
    static final int ESTABLISHED = 4;
    static final int CLOSED = 5;

    /** Operations gathered into one write: two buffers each, far below the kernel's IOV_MAX. */
    private static final int MAX_OPERATIONS_PER_WRITE = 32;

    final TcpTransport transport;
    final SocketChannel channel;
    final boolean outbound;
    /** The peer; for an inbound connection null until its hello names the rank. */
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
    private long nextRequestId;

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
        if (!outbound)
        {
            handshake.limit(TcpFrame.HELLO_LENGTH);
        }
    }

    /**
     * Advances the handshake, or receives and sends on an established connection.
     *
     * @param pollIdle also read an outbound connection that expects no reply (to notice a peer's close).
     * @return work done, 0 when idle.
     * @throws IOException when the connection failed; the message is the reason to report.
     */
    int progress(final boolean pollIdle) throws IOException
    {
        if (ESTABLISHED == state)
        {
            int work = 0;
            if (!outbound || null != awaitingHead || pollIdle)
            {
                work += receiver.receive();
            }
            if (null != sendHead && ESTABLISHED == state)
            {
                work += flush();
            }
            return work;
        }
        return progressHandshake();
    }

    /**
     * Queues a frame and, when nothing is ahead of it, hands it to the socket at once. A socket error fails
     * the peer (the operation then completes with PEER_FAILED); the caller need not check.
     */
    void enqueue(final TcpOperation operation)
    {
        if (null == sendTail)
        {
            sendHead = operation;
        }
        else
        {
            sendTail.next = operation;
        }
        sendTail = operation;
        if (TcpOperation.WRITE == operation.kind || TcpOperation.READ == operation.kind)
        {
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
        if (ESTABLISHED == state && sendHead == operation)
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

    long nextRequestId()
    {
        return ++nextRequestId;
    }

    /**
     * @return the oldest one-sided request waiting for its reply, or null.
     */
    TcpOperation oldestAwaitingReply()
    {
        return awaitingHead;
    }

    void removeOldestAwaitingReply()
    {
        final TcpOperation operation = awaitingHead;
        awaitingHead = operation.nextAwaiting;
        operation.nextAwaiting = null;
        if (null == awaitingHead)
        {
            awaitingTail = null;
        }
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
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // closing is best effort: the connection is gone either way
        }
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
            switch (operation.kind)
            {
                case TcpOperation.SEND -> transport.complete(operation, status);
                case TcpOperation.WRITE_ACK, TcpOperation.READ_RESPONSE -> transport.release(operation);
                default ->
                {
                    // WRITE and READ complete through the list of requests awaiting replies, below
                }
            }
            operation = next;
        }
        operation = awaitingHead;
        awaitingHead = null;
        awaitingTail = null;
        while (null != operation)
        {
            final TcpOperation next = operation.nextAwaiting;
            operation.nextAwaiting = null;
            transport.complete(operation, status);
            operation = next;
        }
    }

    String describe()
    {
        final String peer = null == endpoint ? "an unidentified peer" : "peer " + endpoint.peerId();
        return (outbound ? "connection to " : "connection from ") + peer;
    }

    private int flush() throws IOException
    {
        int work = 0;
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
                case TcpOperation.WRITE_ACK, TcpOperation.READ_RESPONSE -> transport.release(operation);
                default ->
                {
                    // WRITE and READ complete when their reply arrives
                }
            }
        }
        return retired;
    }

    private int progressHandshake() throws IOException
    {
        if (System.nanoTime() - deadlineNs > 0)
        {
            throw new TcpConnectionException("the " + describe() + " did not complete its handshake within " +
                transport.connectTimeoutMs() + " ms (" + TcpConfiguration.CONNECT_TIMEOUT_PROP_NAME +
                "): is the peer alive and making progress?");
        }
        switch (state)
        {
            case CONNECTING ->
            {
                if (!channel.finishConnect())
                {
                    return 0;
                }
                handshake.clear();
                transport.writeHello(handshake);
                handshake.flip();
                writeHandshake();
                handshake.clear().limit(1);
                state = AWAITING_REPLY;
                return 1;
            }
            case AWAITING_REPLY ->
            {
                if (!readHandshake())
                {
                    return 0;
                }
                final int reply = handshake.get(0);
                if (TcpFrame.HANDSHAKE_ACCEPTED != reply)
                {
                    throw new TcpConnectionException("peer " + endpoint.peerId() + " refused the connection: " +
                        TcpFrame.handshakeRefusal(reply));
                }
                establish(TcpConfiguration.REPLY_RECEIVE_BUFFER_BYTES);
                return 1;
            }
            case AWAITING_HELLO ->
            {
                if (!readHandshake())
                {
                    return 0;
                }
                final byte reply = transport.acceptHello(this, handshake);
                handshake.clear();
                handshake.put(reply).flip();
                writeHandshake();
                if (TcpFrame.HANDSHAKE_ACCEPTED != reply)
                {
                    close(TransportStatus.CANCELLED);
                    return 1;
                }
                establish(transport.receiveBufferBytes());
                return 1;
            }
            default ->
            {
                return 0;
            }
        }
    }

    private void establish(final int receiveBufferBytes) throws IOException
    {
        receiver = new TcpFrameReceiver(this, receiveBufferBytes);
        state = ESTABLISHED;
        if (null != sendHead)
        {
            flush();
        }
    }

    private boolean readHandshake() throws IOException
    {
        if (channel.read(handshake) < 0)
        {
            throw new TcpConnectionException("the " + describe() + " was closed by the peer during the handshake " +
                "(is a " +
                "Javelin TCP transport of this job listening at " + describeRemote() + "?)");
        }
        return !handshake.hasRemaining();
    }

    private void writeHandshake() throws IOException
    {
        channel.write(handshake);
        if (handshake.hasRemaining())
        {
            throw new TcpConnectionException("the " + describe() + " could not take the " + handshake.limit() +
                " handshake bytes at once");
        }
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
}
