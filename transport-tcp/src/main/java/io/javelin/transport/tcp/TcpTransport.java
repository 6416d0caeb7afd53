package io.javelin.transport.tcp;

import io.javelin.transport.Endpoint;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.Transport;
import io.javelin.transport.TransportCapabilities;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportException;
import io.javelin.transport.TransportListener;
import io.javelin.transport.TransportStatus;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Transport over non-blocking TCP sockets, busy-polled by {@link #progress()}: no selector and no thread
 * of its own. Payloads go from the user's memory to the socket by gathering writes, and one-sided writes
 * and reads are carried out by the target's progress engine, which streams between its registered memory
 * and the socket. See {@link TcpFrame} for the wire format and {@link TcpConfiguration} for the settings.
 *
 * <p>Threading: as {@link Transport} says, one progress thread; no locks on the data path.
 */
public final class TcpTransport implements Transport
{
    private static final System.Logger LOGGER = System.getLogger(TcpTransport.class.getName());
    private static final int BACKLOG = 1024;

    private final TransportContext context;
    private final TransportListener listener;
    private final TcpConfiguration configuration;
    private final TransportCapabilities capabilities;
    private final TcpRegistrationTable registrations = new TcpRegistrationTable();
    private final TcpOperationPool pool;
    private final ServerSocketChannel server;
    private final byte[] localAddress;
    private final TcpEndpoint[] endpoints;
    private final ArrayDeque<TcpEndpoint> unreportedFailures = new ArrayDeque<>();
    private TcpConnection[] connections = new TcpConnection[8];
    private int connectionCount;
    private boolean connectionsClosed;
    private TcpOperation completedHead;
    private TcpOperation completedTail;
    private int completedCount;
    private long progressCalls;
    private volatile boolean closed;

    /**
     * Opens the listening socket.
     *
     * @param context who this rank is, where events go, and the {@code javelin.tcp.*} settings.
     * @throws TransportException when a setting is invalid or the address cannot be bound.
     */
    public TcpTransport(final TransportContext context)
    {
        this.context = context;
        this.listener = context.listener();
        this.configuration = TcpConfiguration.from(context);
        this.capabilities = new TransportCapabilities(true, true, true, true, true,
            configuration.eagerLimitBytes, TcpConfiguration.MAX_HEADER_BYTES, TcpConfiguration.MAX_MESSAGE_BYTES);
        this.pool = new TcpOperationPool(
            TcpFrame.MAX_HEADER_LENGTH + TcpConfiguration.MAX_HEADER_BYTES + configuration.inlineLimitBytes,
            configuration.maxPendingOperations);
        this.endpoints = new TcpEndpoint[context.jobSize()];
        ServerSocketChannel channel = null;
        try
        {
            channel = ServerSocketChannel.open();
            if (configuration.socketReceiveBufferBytes > 0)
            {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, configuration.socketReceiveBufferBytes);
            }
            channel.bind(configuration.bindAddress, BACKLOG);
            channel.configureBlocking(false);
            this.localAddress = TcpAddress.encode(publishedAddress((InetSocketAddress)channel.getLocalAddress()));
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            throw new TransportException("rank " + context.rank() + " cannot listen on " +
                configuration.bindAddress + " (" + ex.getMessage() + "): set " + TcpConfiguration.BIND_PROP_NAME +
                " to an address of this machine with a free port, or port 0", ex);
        }
        this.server = channel;
    }

    @Override
    public String name()
    {
        return TcpTransportProvider.NAME;
    }

    @Override
    public TransportCapabilities capabilities()
    {
        return capabilities;
    }

    @Override
    public byte[] localAddress()
    {
        return localAddress.clone();
    }

    @Override
    public Endpoint connect(final int peerId, final byte[] peerAddress)
    {
        if (closed)
        {
            throw new TransportException("rank " + context.rank() + ": the TCP transport is closed");
        }
        if (peerId < 0 || peerId >= endpoints.length)
        {
            throw new TransportException("rank " + peerId + " is outside the job of " + endpoints.length + " ranks");
        }
        final InetSocketAddress address = TcpAddress.decode(peerId, peerAddress);
        final TcpEndpoint endpoint = endpoint(peerId);
        if (null != endpoint.address && !endpoint.address.equals(address))
        {
            throw new TransportException("rank " + peerId + " is already connected at " + endpoint.address +
                ", not " + address + ": publish one address per rank");
        }
        endpoint.address = address;
        return endpoint;
    }

    @Override
    public MemoryRegion register(final MemorySegment segment, final int accessFlags)
    {
        if (closed)
        {
            throw new TransportException("rank " + context.rank() + ": the TCP transport is closed");
        }
        return registrations.register(segment, accessFlags);
    }

    @Override
    public int progress()
    {
        if (closed)
        {
            return 0;
        }
        int work = 0;
        if (0 == (++progressCalls & (TcpConfiguration.ACCEPT_POLL_INTERVAL - 1)))
        {
            work += acceptConnections();
        }
        for (int i = 0; i < connectionCount && !closed; i++)
        {
            final TcpConnection connection = connections[i];
            if (TcpConnection.CLOSED != connection.state)
            {
                try
                {
                    work += connection.progress();
                }
                catch (final IOException ex)
                {
                    onConnectionFailure(connection, ex);
                    work++;
                }
            }
        }
        if (connectionsClosed)
        {
            removeClosedConnections();
        }
        work += deliverCompletions();
        work += reportFailures();
        return work;
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        closeQuietly(server);
        for (int i = 0; i < connectionCount; i++)
        {
            connections[i].close(TransportStatus.CANCELLED);
        }
        removeClosedConnections();
        unreportedFailures.clear();
        while (null != completedHead)
        {
            deliverCompletions();
        }
    }

    @Override
    public String toString()
    {
        return "TcpTransport{rank=" + context.rank() + ", listening=" +
            TcpAddress.decode(context.rank(), localAddress) +
            ", connections=" + connectionCount + (closed ? ", closed" : "") + "}";
    }

    /**
     * @return sockets open or opening (for tests: one per peer once connections settle).
     */
    int connectionCount()
    {
        return connectionCount;
    }

    boolean isClosed()
    {
        return closed;
    }

    TcpRegistrationTable registrations()
    {
        return registrations;
    }

    int inlineLimitBytes()
    {
        return configuration.inlineLimitBytes;
    }

    int receiveBufferBytes()
    {
        return configuration.receiveBufferBytes;
    }

    long connectTimeoutMs()
    {
        return configuration.connectTimeoutNs / 1_000_000;
    }

    TcpOperation acquireForPost()
    {
        return pool.acquireForPost();
    }

    void release(final TcpOperation operation)
    {
        pool.release(operation);
    }

    /**
     * Queues the completion of a user's operation; delivered at the end of this or the next progress call.
     */
    void complete(final TcpOperation operation, final int status)
    {
        operation.status = status;
        operation.next = null;
        if (null == completedTail)
        {
            completedHead = operation;
        }
        else
        {
            completedTail.next = operation;
        }
        completedTail = operation;
        completedCount++;
    }

    /**
     * A connection closed: it is dropped from the progress loop at the end of the current pass.
     */
    void onConnectionClosed()
    {
        connectionsClosed = true;
    }

    void deliverMessage(final TcpEndpoint source, final MemorySegment buffer, final long offset, final int length)
    {
        listener.onMessage(source, buffer, offset, length);
    }

    void queueWriteAck(final TcpConnection connection, final long id, final int status)
    {
        final TcpOperation operation = pool.acquire();
        operation.prepareWriteAck(id, status);
        connection.enqueueReply(operation);
    }

    void queueReadResponse(
        final TcpConnection connection,
        final long id,
        final TcpMemoryRegion region,
        final long address,
        final int length)
    {
        final TcpOperation operation = pool.acquire();
        if (null == region)
        {
            operation.prepareReadResponse(id, TransportStatus.REMOTE_ACCESS_ERROR, null, 0, 0,
                configuration.inlineLimitBytes);
        }
        else
        {
            operation.prepareReadResponse(id, TransportStatus.OK, region.segment(), address - region.address(), length,
                configuration.inlineLimitBytes);
        }
        connection.enqueueReply(operation);
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
        final TcpEndpoint endpoint = endpoint(rank);
        final TcpConnection existing = endpoint.connection;
        if (rank == context.rank())
        {
            endpoint.loopback = connection; // the other end of this rank's connection to itself
        }
        else if (null != existing && TcpConnection.CLOSED != existing.state)
        {
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
        connection.deadlineNs = System.nanoTime() + configuration.connectTimeoutNs;
    }

    /**
     * Opens this rank's connection to a peer; connecting and the handshake continue in {@link #progress()}.
     *
     * @return the connection, or null when no socket could be opened (the peer is then failed).
     */
    TcpConnection openOutbound(final TcpEndpoint endpoint)
    {
        SocketChannel channel = null;
        try
        {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (configuration.socketSendBufferBytes > 0)
            {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, configuration.socketSendBufferBytes);
            }
            if (configuration.socketReceiveBufferBytes > 0)
            {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, configuration.socketReceiveBufferBytes);
            }
            channel.connect(endpoint.address);
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            failPeer(endpoint, "rank " + context.rank() + " cannot connect to peer " + endpoint.peerId() + " at " +
                endpoint.address + ": " + ex.getMessage() + "; is that rank running and its published address right?");
            return null;
        }
        final TcpConnection connection = new TcpConnection(
            this, channel, true, endpoint, System.nanoTime() + configuration.connectTimeoutNs);
        addConnection(connection);
        return connection;
    }

    /**
     * A connection failed: fails its peer (or, before the peer is known, just closes it).
     */
    void onConnectionFailure(final TcpConnection connection, final IOException ex)
    {
        final boolean connecting = TcpConnection.CONNECTING == connection.state;
        final String reason = ex instanceof TcpConnectionException ? ex.getMessage() :
            "the " + connection.describe() + (connection.outbound ? " at " + connection.endpoint.address : "") +
            " failed: " + ex + (connecting ? "; is rank " + connection.endpoint.peerId() + " running and is its " +
            "published address right?" : "");
        if (null == connection.endpoint)
        {
            LOGGER.log(System.Logger.Level.WARNING, "rank " + context.rank() + ": " + reason);
            connection.close(TransportStatus.CANCELLED);
            return;
        }
        failPeer(connection.endpoint, reason);
    }

    private void failPeer(final TcpEndpoint endpoint, final String reason)
    {
        if (null != endpoint.failure || closed)
        {
            return;
        }
        endpoint.failure = reason;
        LOGGER.log(System.Logger.Level.WARNING, "rank " + context.rank() + ": " + reason);
        if (null != endpoint.connection)
        {
            endpoint.connection.close(TransportStatus.PEER_FAILED);
        }
        if (null != endpoint.loopback)
        {
            endpoint.loopback.close(TransportStatus.PEER_FAILED);
        }
        unreportedFailures.add(endpoint);
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
            rank >= endpoints.length)
        {
            return TcpFrame.HANDSHAKE_BAD_RANK;
        }
        if (null != endpoint(rank).failure)
        {
            return TcpFrame.HANDSHAKE_PEER_FAILED;
        }
        return TcpFrame.HANDSHAKE_ACCEPTED;
    }

    private int acceptConnections()
    {
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
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (configuration.socketSendBufferBytes > 0)
                {
                    channel.setOption(StandardSocketOptions.SO_SNDBUF, configuration.socketSendBufferBytes);
                }
            }
            catch (final IOException ex)
            {
                closeQuietly(channel);
                LOGGER.log(System.Logger.Level.WARNING, "rank " + context.rank() + " failed to accept a connection: " +
                    ex);
                return accepted;
            }
            addConnection(new TcpConnection(this, channel, false, null, System.nanoTime() +
                configuration.connectTimeoutNs));
            accepted++;
        }
    }

    private int deliverCompletions()
    {
        final int count = completedCount;
        for (int i = 0; i < count; i++)
        {
            final TcpOperation operation = completedHead;
            completedHead = operation.next;
            if (null == completedHead)
            {
                completedTail = null;
            }
            completedCount--;
            final long cookie = operation.cookie;
            final int status = operation.status;
            pool.release(operation);
            listener.onCompletion(cookie, status);
        }
        return count;
    }

    private int reportFailures()
    {
        int reported = 0;
        TcpEndpoint endpoint;
        while (!closed && null != (endpoint = unreportedFailures.poll()))
        {
            listener.onPeerFailure(endpoint, endpoint.failure);
            reported++;
        }
        return reported;
    }

    private TcpEndpoint endpoint(final int peerId)
    {
        TcpEndpoint endpoint = endpoints[peerId];
        if (null == endpoint)
        {
            endpoint = new TcpEndpoint(this, peerId);
            endpoints[peerId] = endpoint;
        }
        return endpoint;
    }

    private void addConnection(final TcpConnection connection)
    {
        if (connectionCount == connections.length)
        {
            connections = Arrays.copyOf(connections, 2 * connections.length);
        }
        connections[connectionCount++] = connection;
    }

    private void removeClosedConnections()
    {
        int kept = 0;
        for (int i = 0; i < connectionCount; i++)
        {
            if (TcpConnection.CLOSED != connections[i].state)
            {
                connections[kept++] = connections[i];
            }
        }
        Arrays.fill(connections, kept, connectionCount, null);
        connectionCount = kept;
        connectionsClosed = false;
    }

    private static InetSocketAddress publishedAddress(final InetSocketAddress bound) throws IOException
    {
        if (bound.getAddress().isAnyLocalAddress())
        {
            return new InetSocketAddress(InetAddress.getLocalHost(), bound.getPort());
        }
        return bound;
    }

    private static void closeQuietly(final java.nio.channels.Channel channel)
    {
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // nothing more can be done about a socket that fails to close
            }
        }
    }
}
