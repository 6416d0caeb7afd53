package io.javelin.transport.tcp;

import io.javelin.transport.Endpoint;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.OwnerGate;
import io.javelin.transport.Transport;
import io.javelin.transport.TransportCapabilities;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportException;
import io.javelin.transport.TransportListener;
import io.javelin.transport.TransportStatus;
import io.javelin.transport.emulated.EmulatedMemoryRegion;
import io.javelin.transport.emulated.EmulatedRegistrationTable;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
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

    private final TransportContext context;
    private final TransportListener listener;
    private final TcpConfiguration configuration;
    private final TransportCapabilities capabilities;
    private final EmulatedRegistrationTable registrations = new EmulatedRegistrationTable();
    private final TcpOperationPool pool;
    private final TcpConnector connector;
    private final OwnerGate gate = new OwnerGate();
    private final TcpEndpoint[] endpoints;
    private final ArrayDeque<TcpEndpoint> unreportedFailures = new ArrayDeque<>();
    private TcpConnection[] connections = new TcpConnection[8];
    private int connectionCount;
    private boolean connectionsClosed;
    private final TcpCompletionQueue completions;
    private long progressCalls;

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
        // a one-sided transfer's data queues in the connection's byte stream: rendezvous transfers do not overlap
        this.capabilities = new TransportCapabilities(true, true, true, true, false, true,
            configuration.eagerLimitBytes, TcpConfiguration.MAX_HEADER_BYTES, TcpConfiguration.MAX_MESSAGE_BYTES);
        this.pool = new TcpOperationPool(
            TcpFrame.MAX_HEADER_LENGTH + TcpConfiguration.MAX_HEADER_BYTES + configuration.inlineLimitBytes,
            configuration.maxPendingOperations);
        this.completions = new TcpCompletionQueue(pool);
        this.endpoints = new TcpEndpoint[context.jobSize()];
        this.connector = new TcpConnector(this, context, configuration);
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
        return connector.localAddress().clone();
    }

    @Override
    public Endpoint connect(final int peerId, final byte[] peerAddress)
    {
        enterOrThrow("connect to rank " + peerId);
        try
        {
            return connectEndpoint(peerId, peerAddress);
        }
        finally
        {
            gate.exit();
        }
    }

    private Endpoint connectEndpoint(final int peerId, final byte[] peerAddress)
    {
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
        enterOrThrow("register memory");
        try
        {
            return registrations.register(segment, accessFlags);
        }
        finally
        {
            gate.exit();
        }
    }

    @Override
    public int progress()
    {
        if (!gate.enter())
        {
            return 0;
        }
        try
        {
            return progressConnections();
        }
        finally
        {
            gate.exit();
        }
    }

    private int progressConnections()
    {
        int work = 0;
        if (0 == (++progressCalls & (TcpConfiguration.ACCEPT_POLL_INTERVAL - 1)))
        {
            work += connector.acceptConnections();
        }
        for (int i = 0; i < connectionCount && !gate.isClosed(); i++)
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
        work += completions.deliver(listener);
        work += reportFailures();
        return work;
    }

    @Override
    public void close()
    {
        if (!gate.close())
        {
            return;
        }
        connector.close();
        for (int i = 0; i < connectionCount; i++)
        {
            connections[i].close(TransportStatus.CANCELLED);
        }
        removeClosedConnections();
        unreportedFailures.clear();
        while (!completions.isEmpty())
        {
            completions.deliver(listener);
        }
    }

    @Override
    public String toString()
    {
        return "TcpTransport{rank=" + context.rank() + ", listening=" +
            TcpAddress.decode(context.rank(), connector.localAddress()) +
            (gate.isClosed() ? ", closed" : "") + "}";
    }

    /**
     * @return sockets open or opening (for tests: one per peer once connections settle).
     */
    int connectionCount()
    {
        return connectionCount;
    }

    /**
     * Owner thread, around every post: enters unless closed; pair a true return with {@link #exitPost()}.
     */
    boolean enterPost()
    {
        return gate.enter();
    }

    void exitPost()
    {
        gate.exit();
    }

    TcpConnector connector()
    {
        return connector;
    }

    EmulatedRegistrationTable registrations()
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
        completions.add(operation, status);
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
        final EmulatedMemoryRegion region,
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

    /**
     * A connection failed: logs why and fails its peer (or, before the peer is known, just closes it).
     */
    void onConnectionFailure(final TcpConnection connection, final IOException ex)
    {
        final boolean connecting = TcpConnection.CONNECTING == connection.state;
        final String reason = ex instanceof TcpConnectionException ? ex.getMessage() :
            "the " + connection.describe() + (connection.outbound ? " at " + connection.endpoint.address : "") +
            " failed: " + ex + (connecting ? "; is rank " + connection.endpoint.peerId() + " running and is its " +
            "published address right?" : "");
        final boolean orderly = ex instanceof TcpConnectionException known && known.orderly;
        // A peer closing its socket in order is how every job ends: not worth a line on the user's console. If
        // anything was still in flight, the requests it fails carry the reason to the user.
        LOGGER.log(orderly ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
            "rank " + context.rank() + ": " + reason);
        if (null == connection.endpoint)
        {
            connection.close(TransportStatus.CANCELLED);
            return;
        }
        failPeer(connection.endpoint, reason);
    }

    /**
     * Declares a peer failed: closes its connections, completes what was in flight with PEER_FAILED, and
     * reports it to the listener in the next progress call. Once per peer.
     */
    void failPeer(final TcpEndpoint endpoint, final String reason)
    {
        if (null != endpoint.failure || gate.isClosed())
        {
            return;
        }
        endpoint.failure = reason;
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

    private int reportFailures()
    {
        int reported = 0;
        TcpEndpoint endpoint;
        while (!gate.isClosed() && null != (endpoint = unreportedFailures.poll()))
        {
            listener.onPeerFailure(endpoint, endpoint.failure);
            reported++;
        }
        return reported;
    }

    TcpEndpoint endpoint(final int peerId)
    {
        TcpEndpoint endpoint = endpoints[peerId];
        if (null == endpoint)
        {
            endpoint = new TcpEndpoint(this, peerId);
            endpoints[peerId] = endpoint;
        }
        return endpoint;
    }

    void addConnection(final TcpConnection connection)
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

    private void enterOrThrow(final String what)
    {
        if (!gate.enter())
        {
            throw new TransportException("rank " + context.rank() + " cannot " + what + ": its TCP transport is " +
                "closed");
        }
    }
}
