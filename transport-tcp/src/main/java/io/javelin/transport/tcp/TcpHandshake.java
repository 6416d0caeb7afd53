package io.javelin.transport.tcp;

import io.javelin.transport.TransportStatus;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Steps a connection through its handshake (see {@link TcpFrame}): the connecting rank sends its hello
 * and waits for the reply byte; the accepting rank reads the hello, lets the transport check it, and
 * answers. Nothing blocks: each step does what the socket allows and returns.
 */
final class TcpHandshake
{
    private TcpHandshake()
    {
    }

    /**
     * @return work done, 0 when waiting.
     * @throws IOException when the handshake failed or timed out; the message is the reason to report.
     */
    static int progress(final TcpConnection connection, final ByteBuffer handshake) throws IOException
    {
        if (System.nanoTime() - connection.deadlineNs > 0)
        {
            throw timedOut(connection);
        }
        final TcpTransport transport = connection.transport;
        switch (connection.state)
        {
            case TcpConnection.CONNECTING ->
            {
                if (!connection.channel.finishConnect())
                {
                    return 0;
                }
                handshake.clear();
                transport.connector().writeHello(handshake);
                handshake.flip();
                write(connection, handshake);
                handshake.clear().limit(1);
                connection.state = TcpConnection.AWAITING_REPLY;
                return 1;
            }
            case TcpConnection.AWAITING_REPLY ->
            {
                if (!read(connection, handshake))
                {
                    return 0;
                }
                final int reply = handshake.get(0);
                if (TcpFrame.HANDSHAKE_LOST_RACE == reply)
                {
                    transport.connector().onLostRace(connection);
                }
                else if (TcpFrame.HANDSHAKE_ACCEPTED == reply)
                {
                    connection.establish(transport.receiveBufferBytes());
                }
                else
                {
                    throw new TcpConnectionException("peer " + connection.endpoint.peerId() +
                        " refused the connection: " + TcpFrame.handshakeRefusal(reply));
                }
                return 1;
            }
            case TcpConnection.AWAITING_HELLO ->
            {
                if (!read(connection, handshake))
                {
                    return 0;
                }
                final byte reply = transport.connector().acceptHello(connection, handshake);
                handshake.clear();
                handshake.put(reply).flip();
                write(connection, handshake);
                if (TcpFrame.HANDSHAKE_ACCEPTED == reply)
                {
                    connection.establish(transport.receiveBufferBytes());
                }
                else
                {
                    connection.close(TransportStatus.CANCELLED);
                }
                return 1;
            }
            default ->
            {
                return 0; // AWAITING_PEER: the peer's own connection will adopt this one's requests
            }
        }
    }

    private static TcpConnectionException timedOut(final TcpConnection connection)
    {
        final String what = TcpConnection.AWAITING_PEER == connection.state ?
            "peer " + connection.endpoint.peerId() + " connected to this rank at the same time, but its connection " +
            "did not arrive" : "the " + connection.describe() + " did not complete its handshake";
        return new TcpConnectionException(what + " within " + connection.transport.connectTimeoutMs() + " ms (" +
            TcpConfiguration.CONNECT_TIMEOUT_PROP_NAME + "): is the peer alive and making progress?");
    }

    private static boolean read(final TcpConnection connection, final ByteBuffer handshake) throws IOException
    {
        if (connection.channel.read(handshake) < 0)
        {
            throw new TcpConnectionException(connection.outbound ?
                "the " + connection.describe() + " was closed by the peer during the handshake (is a Javelin TCP " +
                "transport of this job listening at " + connection.describeRemote() + "?)" :
                "a connection from " + connection.describeRemote() + " was closed before its hello arrived");
        }
        return !handshake.hasRemaining();
    }

    private static void write(final TcpConnection connection, final ByteBuffer handshake) throws IOException
    {
        connection.channel.write(handshake);
        if (handshake.hasRemaining())
        {
            throw new TcpConnectionException("the " + connection.describe() + " could not take the " +
                handshake.limit() + " handshake bytes at once");
        }
    }
}
