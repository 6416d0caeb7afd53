package io.javelin.transport.tcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

/**
 * The one non-blocking socket between this rank and a peer, whichever of the two opened it: its state,
 * its handshake ({@link TcpHandshake}), its sending side ({@link TcpFrameSender}) and its receiving side
 * ({@link TcpFrameReceiver}).
 *
 * <p>One socket carries both directions so that TCP acknowledgements ride on the traffic coming back:
 * a socket per direction measured about 2 us slower per message on loopback. Used only on the progress
 * thread.
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

    final TcpTransport transport;
    final SocketChannel channel;
    /** This rank opened the socket (it sends the hello). */
    final boolean outbound;
    /** The peer; for an accepted connection null until its hello names the rank. */
    TcpEndpoint endpoint;
    int state;
    long deadlineNs;

    private final ByteBuffer handshake = ByteBuffer.allocateDirect(TcpFrame.HELLO_LENGTH)
        .order(ByteOrder.LITTLE_ENDIAN);
    private final TcpFrameSender sender;
    private TcpFrameReceiver receiver;

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
        this.sender = new TcpFrameSender(this);
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
            if (ESTABLISHED == state && sender.hasQueuedFrames())
            {
                work += sender.flush();
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
        sender.enqueueRequest(operation);
        flushIfEstablished();
    }

    /**
     * Queues a reply owed to the peer; it goes out after the replies queued before it.
     */
    void enqueueReply(final TcpOperation operation)
    {
        if (sender.enqueueReply(operation))
        {
            flushIfEstablished();
        }
    }

    /**
     * @return the oldest request this rank sent on this connection that awaits its reply, or null.
     */
    TcpOperation oldestAwaitingReply()
    {
        return sender.oldestAwaitingReply();
    }

    void removeOldestAwaitingReply()
    {
        sender.removeOldestAwaitingReply();
    }

    /**
     * Takes over the requests of this rank's own connection to the same peer, which lost a simultaneous
     * connect and never sent a frame.
     */
    void adoptRequests(final TcpConnection loser)
    {
        sender.adoptRequests(loser.sender);
    }

    /**
     * The handshake succeeded: frames may flow.
     */
    void establish(final int receiveBufferBytes) throws IOException
    {
        receiver = new TcpFrameReceiver(this, receiveBufferBytes);
        state = ESTABLISHED;
        if (sender.hasQueuedFrames())
        {
            sender.flush();
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
        closeSocket();
        if (null != receiver)
        {
            receiver.close();
        }
        sender.cancel(status);
    }

    void closeSocket()
    {
        TcpConnector.closeQuietly(channel);
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

    private void flushIfEstablished()
    {
        if (ESTABLISHED == state && !sender.isFlushing())
        {
            try
            {
                sender.flush();
            }
            catch (final IOException ex)
            {
                transport.onConnectionFailure(this, ex);
            }
        }
    }
}
