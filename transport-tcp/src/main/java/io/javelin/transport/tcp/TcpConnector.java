package io.javelin.transport.tcp;

import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportException;
import io.javelin.transport.TransportStatus;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Turns sockets into connections to peers: owns the listening socket, opens this rank's sockets to
 * peers, checks every hello (job secret, rank) and settles simultaneous connects, where the socket opened
 * by the lower rank wins. Used only on the progress thread (and by the constructor and close).
 */
final class TcpConnector
{
    private static final System.Logger LOGGER = System.getLogger(TcpConnector.class.getName());
    private static final int BACKLOG = 1024;

    private final TcpTransport transport;
    private final TransportContext context;
    private final TcpConfiguration configuration;
    private final ServerSocketChannel server;
    /**
     * Watches the listening socket only: selectNow() is cheap and, unlike accept() with nothing waiting, does
     * not allocate. Connections are never registered with it: they are read directly.
     */
    private final Selector acceptSelector;
    private final byte[] localAddress;

    /**
     * Opens the listening socket.
     *
     * @throws TransportException when the address cannot be bound; the message names the setting.
     */
    TcpConnector(final TcpTransport transport, final TransportContext context, final TcpConfiguration configuration)
    {
        this.transport = transport;
        this.context = context;
        this.configuration = configuration;
        ServerSocketChannel channel = null;
        Selector selector = null;
        try
        {
            channel = ServerSocketChannel.open();
            if (configuration.socketReceiveBufferBytes > 0)
            {
                // accepted sockets inherit it; it must be set before the handshake fixes the window scale
                channel.setOption(StandardSocketOptions.SO_RCVBUF, configuration.socketReceiveBufferBytes);
            }
            channel.bind(configuration.bindAddress, BACKLOG);
            channel.configureBlocking(false);
            localAddress = TcpAddress.encode(publishedAddress((InetSocketAddress)channel.getLocalAddress()));
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_ACCEPT);
        }
        catch (final IOException ex)
        {
            closeQuietly(selector);
            closeQuietly(channel);
            throw new TransportException("rank " + context.rank() + " cannot listen on " +
                configuration.bindAddress + " (" + ex.getMessage() + "): set " + TcpConfiguration.BIND_PROP_NAME +
                " to an address of this machine with a free port, or port 0", ex);
        }
        server = channel;
        acceptSelector = selector;
    }

    byte[] localAddress()
    {
        return localAddress;
    }

    /**
     * Accepts every connection waiting on the listening socket; their handshakes continue in progress.
     *
     * @return connections accepted.
     */
    int acceptConnections()
    {
        try
        {
            if (0 == acceptSelector.selectNow())
            {
                return 0;
            }
            acceptSelector.selectedKeys().clear();
        }
        catch (final IOException ex)
        {
            LOGGER.log(System.Logger.Level.WARNING, "rank " + context.rank() + " cannot poll its listening socket: " +
                ex);
            return 0;
        }
        int accepted = 0;
        while (true)
        {
            SocketChannel channel = null;
            try
            {
                channel = server.accept();
                if (null == channel)
                {
                    return accepted;
                }
                configure(channel);
            }
            catch (final IOException ex)
            {
                closeQuietly(channel);
                LOGGER.log(System.Logger.Level.WARNING, "rank " + context.rank() + " failed to accept a " +
                    "connection: " + ex);
                return accepted;
            }
            transport.addConnection(new TcpConnection(transport, channel, false, null, deadline()));
            accepted++;
        }
    }

    /**
     * Opens this rank's socket to a peer; connecting and the handshake continue in progress.
     *
     * @return the connection, or null when no socket could be opened (the peer is then failed).
     */
    TcpConnection openOutbound(final TcpEndpoint endpoint)
    {
        SocketChannel channel = null;
        try
        {
            channel = SocketChannel.open();
            configure(channel);
            if (configuration.socketReceiveBufferBytes > 0)
            {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, configuration.socketReceiveBufferBytes);
            }
            channel.connect(endpoint.address);
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            final String reason = "rank " + context.rank() + " cannot connect to peer " + endpoint.peerId() + " at " +
                endpoint.address + ": " + ex.getMessage() + "; is that rank running and its published address right?";
            LOGGER.log(System.Logger.Level.WARNING, reason);
            transport.failPeer(endpoint, reason);
            return null;
        }
        final TcpConnection connection = new TcpConnection(transport, channel, true, endpoint, deadline());
        transport.addConnection(connection);
        return connection;
    }

    void writeHello(final ByteBuffer hello)
    {
        hello.putInt(TcpFrame.HELLO_MAGIC_OFFSET, TcpFrame.HANDSHAKE_MAGIC);
        hello.putShort(TcpFrame.HELLO_VERSION_OFFSET, TcpFrame.HANDSHAKE_VERSION);
        hello.putShort(TcpFrame.HELLO_VERSION_OFFSET + 2, (short)0);
        hello.putInt(TcpFrame.HELLO_RANK_OFFSET, context.rank());
        hello.putInt(TcpFrame.HELLO_JOB_SIZE_OFFSET, context.jobSize());
        hello.putLong(TcpFrame.HELLO_SECRET_OFFSET, context.jobSecret());
        hello.position(TcpFrame.HELLO_LENGTH);
    }

    /**
     * Checks an accepted connection's hello and binds the connection to the rank it names. When this rank
     * is connecting to that rank at the same time, the connection opened by the lower rank wins.
     *
     * @return the reply byte: {@link TcpFrame#HANDSHAKE_ACCEPTED} or why the connection is refused.
     */
    byte acceptHello(final TcpConnection connection, final ByteBuffer hello)
    {
        final int rank = hello.getInt(TcpFrame.HELLO_RANK_OFFSET);
        final byte reply = checkHello(hello, rank);
        if (TcpFrame.HANDSHAKE_ACCEPTED != reply)
        {
            LOGGER.log(System.Logger.Level.WARNING, "rank " + context.rank() + " refused a connection from " +
                connection.describeRemote() + " claiming to be rank " + rank + ": " +
                TcpFrame.handshakeRefusal(reply));
            return reply;
        }
        final TcpEndpoint endpoint = transport.endpoint(rank);
        final TcpConnection existing = endpoint.connection;
        if (rank == context.rank())
        {
            endpoint.loopback = connection; // the other end of this rank's connection to itself
        }
        else if (null != existing && TcpConnection.CLOSED != existing.state)
        {
            if (existing.outbound && TcpConnection.ESTABLISHED == existing.state && context.rank() < rank)
            {
                // both connected at once and the peer already took this rank's connection (it answered it),
                // dropping its own: this hello is from that dropped connection, nothing is wrong
                return TcpFrame.HANDSHAKE_LOST_RACE;
            }
            if (!existing.outbound || TcpConnection.ESTABLISHED == existing.state)
            {
                LOGGER.log(System.Logger.Level.WARNING, "rank " + context.rank() + " refused a second connection " +
                    "from rank " + rank + " (" + connection.describeRemote() + ")");
                return TcpFrame.HANDSHAKE_DUPLICATE;
            }
            if (context.rank() < rank)
            {
                return TcpFrame.HANDSHAKE_LOST_RACE; // both connected at once: this rank's connection wins
            }
            connection.adoptRequests(existing);
            existing.close(TransportStatus.CANCELLED);
            endpoint.connection = connection;
        }
        else
        {
            endpoint.connection = connection;
        }
        connection.endpoint = endpoint;
        return TcpFrame.HANDSHAKE_ACCEPTED;
    }

    /**
     * This rank's connection lost a simultaneous connect: its requests wait for the peer's connection.
     */
    void onLostRace(final TcpConnection connection)
    {
        connection.closeSocket();
        connection.state = TcpConnection.AWAITING_PEER;
        connection.deadlineNs = deadline();
    }

    void close()
    {
        closeQuietly(acceptSelector);
        closeQuietly(server);
    }

    private byte checkHello(final ByteBuffer hello, final int rank)
    {
        if (TcpFrame.HANDSHAKE_MAGIC != hello.getInt(TcpFrame.HELLO_MAGIC_OFFSET) ||
            TcpFrame.HANDSHAKE_VERSION != hello.getShort(TcpFrame.HELLO_VERSION_OFFSET))
        {
            return TcpFrame.HANDSHAKE_BAD_PROTOCOL;
        }
        if (context.jobSecret() != hello.getLong(TcpFrame.HELLO_SECRET_OFFSET))
        {
            return TcpFrame.HANDSHAKE_SECRET_MISMATCH;
        }
        if (context.jobSize() != hello.getInt(TcpFrame.HELLO_JOB_SIZE_OFFSET) || rank < 0 ||
            rank >= context.jobSize())
        {
            return TcpFrame.HANDSHAKE_BAD_RANK;
        }
        if (null != transport.endpoint(rank).failure)
        {
            return TcpFrame.HANDSHAKE_PEER_FAILED;
        }
        return TcpFrame.HANDSHAKE_ACCEPTED;
    }

    private void configure(final SocketChannel channel) throws IOException
    {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (configuration.socketSendBufferBytes > 0)
        {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, configuration.socketSendBufferBytes);
        }
    }

    private long deadline()
    {
        return System.nanoTime() + configuration.connectTimeoutNs;
    }

    private static InetSocketAddress publishedAddress(final InetSocketAddress bound) throws IOException
    {
        if (bound.getAddress().isAnyLocalAddress())
        {
            return new InetSocketAddress(InetAddress.getLocalHost(), bound.getPort());
        }
        return bound;
    }

    static void closeQuietly(final Closeable closeable)
    {
        if (null != closeable)
        {
            try
            {
                closeable.close();
            }
            catch (final IOException ignore)
            {
                // nothing more can be done about a socket that fails to close
            }
        }
    }
}
