package io.javelin.transport.rdma;

import io.javelin.transport.rdma.verbs.CmEvent;
import io.javelin.transport.rdma.verbs.CmEventChannel;
import io.javelin.transport.rdma.verbs.CmId;
import io.javelin.transport.rdma.verbs.VerbsException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes RC connections through RDMA CM: listens for peers, connects lazily on a peer's first post, checks the
 * job secret in both directions, and settles simultaneous connects (both ranks connect at once: the connection
 * started by the lower rank wins, the higher rank's request is rejected and it waits for the lower rank's).
 *
 * <pre>
 *   active:  IDLE -> RESOLVING_ADDRESS -> RESOLVING_ROUTE -> CONNECTING -> CONNECTED
 *                                                             \-> (rejected: crossed) WAITING_FOR_PEER
 *   passive: IDLE / WAITING_FOR_PEER / superseded active attempt -> ACCEPTING -> CONNECTED
 * </pre>
 * Every state before CONNECTED has a deadline ({@link RdmaConfiguration#CONNECT_TIMEOUT_PROP_NAME}); the event
 * channel is polled without blocking, so nothing waits on an event that does not come. Owner thread only.
 */
final class RdmaConnector implements AutoCloseable
{
    private static final System.Logger LOGGER = System.getLogger(RdmaConnector.class.getName());
    private static final int LISTEN_BACKLOG = 1024;
    /** {@code IB_CM_REJ_INVALID_SERVICE_ID}: nothing listens on the port. */
    private static final int REJECT_NO_LISTENER = 8;
    private static final int MAX_RD_ATOMIC = 16;
    /** {@code -Djavelin.rdma.trace=true}: every CM event on stderr, for debugging connection set-up. */
    private static final boolean TRACE = Boolean.getBoolean(RdmaConfiguration.TRACE_PROP_NAME);

    private final RdmaTransport transport;
    private final CmEventChannel channel;
    private final CmId listener;
    private final InetAddress bindAddress;
    private final byte[] localAddress;
    private final long timeoutNs;
    private final CmEvent event = new CmEvent();
    private final Map<Long, RdmaEndpoint> endpointsById = new HashMap<>();
    private final List<CmId> orphans = new ArrayList<>();
    private final List<RdmaEndpoint> pending = new ArrayList<>();
    private final ConnectionHandshake handshake = new ConnectionHandshake();

    RdmaConnector(final RdmaTransport transport, final InetAddress bindAddress, final long timeoutMs)
    {
        this.transport = transport;
        this.bindAddress = bindAddress;
        this.timeoutNs = timeoutMs * 1_000_000L;
        this.channel = CmEventChannel.create();
        CmId id = null;
        try
        {
            id = CmId.create(channel);
            id.bind(new InetSocketAddress(bindAddress, 0));
            id.listen(LISTEN_BACKLOG);
            this.listener = id;
            this.localAddress = RdmaAddress.encode(new InetSocketAddress(bindAddress, id.localPort()));
        }
        catch (final RuntimeException ex)
        {
            if (null != id)
            {
                id.close();
            }
            channel.close();
            throw ex;
        }
    }

    CmId listener()
    {
        return listener;
    }

    byte[] localAddress()
    {
        return localAddress;
    }

    /**
     * @return whether a connection is being made (then the event channel is polled on every progress call).
     */
    boolean busy()
    {
        return !pending.isEmpty();
    }

    /**
     * Starts connecting to a peer: address resolution first.
     */
    void startConnect(final RdmaEndpoint endpoint)
    {
        if (null == endpoint.address)
        {
            transport.failPeer(endpoint, "rank " + endpoint.peerId + " has no address: connect() was not called " +
                "for it");
            return;
        }
        try
        {
            endpoint.id = CmId.create(channel);
        }
        catch (final VerbsException ex)
        {
            transport.failPeer(endpoint, "cannot start connecting to " + endpoint.describe() + ": " + ex.getMessage());
            return;
        }
        endpointsById.put(endpoint.id.address(), endpoint);
        enter(endpoint, RdmaEndpoint.RESOLVING_ADDRESS);
        endpoint.deadlineNs = System.nanoTime() + timeoutNs;
        final int errno = endpoint.id.resolveAddress(new InetSocketAddress(bindAddress, 0), endpoint.address,
            resolveTimeoutMs());
        if (0 != errno)
        {
            fail(endpoint, "rdma_resolve_addr to " + endpoint.describe() + " failed (errno " + errno + "): is that " +
                "address reachable from " + bindAddress.getHostAddress() + " over RDMA?");
        }
    }

    /**
     * Handles the events that arrived and checks deadlines.
     *
     * @return events handled.
     */
    int poll()
    {
        int events = 0;
        while (!transport.isClosed() && channel.poll(event, 0))
        {
            events++;
            try
            {
                handle();
            }
            catch (final VerbsException ex)
            {
                LOGGER.log(System.Logger.Level.WARNING, "rank " + transport.rank() + ": " + event + ": " +
                    ex.getMessage());
            }
        }
        if (!pending.isEmpty())
        {
            checkDeadlines();
        }
        return events;
    }

    private void handle()
    {
        if (TRACE)
        {
            final RdmaEndpoint known = endpointsById.get(event.id());
            System.err.println("javelin.rdma.trace rank " + transport.rank() + ": " + event.typeName() + " status " +
                event.status() + " private data " + event.privateData().length + " bytes, " +
                (null == known ? "no endpoint" : known.describe() + " in state " + known.state));
        }
        if (CmEvent.CONNECT_REQUEST == event.type())
        {
            onConnectRequest();
            return;
        }
        final RdmaEndpoint endpoint = endpointsById.get(event.id());
        if (null == endpoint || null == endpoint.id || endpoint.id.address() != event.id())
        {
            onOrphanEvent();
            return;
        }
        switch (event.type())
        {
            case CmEvent.ADDR_RESOLVED -> onAddressResolved(endpoint);
            case CmEvent.ROUTE_RESOLVED -> onRouteResolved(endpoint);
            case CmEvent.ESTABLISHED -> onEstablished(endpoint);
            case CmEvent.REJECTED -> onRejected(endpoint);
            case CmEvent.ADDR_ERROR, CmEvent.ROUTE_ERROR, CmEvent.UNREACHABLE, CmEvent.CONNECT_ERROR ->
                fail(endpoint, "could not connect to " + endpoint.describe() + " from " +
                bindAddress.getHostAddress() + ": " + event.typeName() + " (" + statusText() + "); check that " +
                "the rank is running and reachable over RDMA (rping -c -a <its address>)");
            case CmEvent.DISCONNECTED -> fail(endpoint, endpoint.describe() + " closed the connection (it closed " +
                "its transport, exited or failed)");
            case CmEvent.DEVICE_REMOVAL -> fail(endpoint, "the RDMA device was removed");
            default ->
            {
                // TIMEWAIT_EXIT, CONNECT_RESPONSE and the rest need nothing
            }
        }
    }

    private void onAddressResolved(final RdmaEndpoint endpoint)
    {
        enter(endpoint, RdmaEndpoint.RESOLVING_ROUTE);
        final int errno = endpoint.id.resolveRoute(resolveTimeoutMs());
        if (0 != errno)
        {
            fail(endpoint, "rdma_resolve_route to " + endpoint.describe() + " failed (errno " + errno + ")");
        }
    }

    private void onRouteResolved(final RdmaEndpoint endpoint)
    {
        try
        {
            transport.createQueuePair(endpoint);
        }
        catch (final VerbsException ex)
        {
            fail(endpoint, "cannot create the queue pair to " + endpoint.describe() + ": " + ex.getMessage());
            return;
        }
        handshake.kind = ConnectionHandshake.KIND_REQUEST;
        fillHandshake(endpoint);
        enter(endpoint, RdmaEndpoint.CONNECTING);
        final int rd = Math.min(MAX_RD_ATOMIC, transport.maxReadsAtOnce());
        final int errno = endpoint.id.connect(handshake.encode(), rd, rd, RdmaConfiguration.RNR_RETRY);
        if (0 != errno)
        {
            fail(endpoint, "rdma_connect to " + endpoint.describe() + " failed (errno " + errno + ")");
        }
    }

    private void onEstablished(final RdmaEndpoint endpoint)
    {
        if (RdmaEndpoint.CONNECTING == endpoint.state)
        {
            final String problem = handshake.decode(event.privateData());
            if (null != problem || ConnectionHandshake.KIND_ACCEPT != handshake.kind)
            {
                fail(endpoint, endpoint.describe() + " accepted with " + (null == problem ? "a handshake of kind " +
                    handshake.kind : problem) + ": is a Javelin rank of the same version listening there?");
                return;
            }
            if (handshake.jobSecret != transport.jobSecret() || handshake.rank != endpoint.peerId)
            {
                fail(endpoint, endpoint.describe() + " answered as rank " + handshake.rank + " with " +
                    (handshake.jobSecret != transport.jobSecret() ? "another job secret" : "the right job secret") +
                    ": the address belongs to another job or rank (stale bootstrap data?)");
                return;
            }
            endpoint.resetCredits(handshake.creditAddress, handshake.creditRkey, handshake.receiveDepth);
        }
        else if (RdmaEndpoint.ACCEPTING != endpoint.state)
        {
            return;
        }
        established(endpoint);
    }

    /**
     * The connection to the endpoint is up: ESTABLISHED arrived, or (passive side) the peer's first message.
     */
    void established(final RdmaEndpoint endpoint)
    {
        leave(endpoint);
        endpoint.state = RdmaEndpoint.CONNECTED;
        transport.onConnected(endpoint);
    }

    private void onRejected(final RdmaEndpoint endpoint)
    {
        final String problem = handshake.decode(event.privateData());
        if (null == problem && ConnectionHandshake.KIND_REJECT == handshake.kind &&
            ConnectionHandshake.REASON_CROSSED == handshake.reason)
        {
            // the lower rank is connecting to us: drop our attempt (its last event is this one) and wait for its
            // request
            final CmId attempt = endpoint.id;
            discardAttempt(endpoint);
            orphans.remove(attempt);
            attempt.close();
            enter(endpoint, RdmaEndpoint.WAITING_FOR_PEER);
            return;
        }
        final String why = null == problem && ConnectionHandshake.KIND_REJECT == handshake.kind ?
            ConnectionHandshake.reasonText(handshake.reason) : REJECT_NO_LISTENER == event.status() ?
            "nothing listens there (the rank closed its transport or exited)" : "reject reason " + event.status();
        fail(endpoint, endpoint.describe() + " refused the connection: " + why);
    }

    private void onConnectRequest()
    {
        final CmId id = CmId.adopt(event.id());
        final String problem = handshake.decode(event.privateData());
        if (null != problem || ConnectionHandshake.KIND_REQUEST != handshake.kind)
        {
            LOGGER.log(System.Logger.Level.WARNING, "rank " + transport.rank() + " refused an RDMA connection: " +
                (null == problem ? "handshake of kind " + handshake.kind : problem));
            reject(id, ConnectionHandshake.REASON_BAD_RANK);
            return;
        }
        if (handshake.jobSecret != transport.jobSecret())
        {
            LOGGER.log(System.Logger.Level.WARNING, "rank " + transport.rank() + " refused an RDMA connection " +
                "from a process claiming to be rank " + handshake.rank + ": its job secret differs (a rank of " +
                "another job, or a stale address)");
            reject(id, ConnectionHandshake.REASON_SECRET);
            return;
        }
        final int peer = handshake.rank;
        if (peer < 0 || peer >= transport.jobSize() || peer == transport.rank() ||
            handshake.jobSize != transport.jobSize())
        {
            reject(id, ConnectionHandshake.REASON_BAD_RANK);
            return;
        }
        final RdmaEndpoint endpoint = transport.endpoint(peer);
        switch (endpoint.state)
        {
            case RdmaEndpoint.RESOLVING_ADDRESS, RdmaEndpoint.RESOLVING_ROUTE, RdmaEndpoint.CONNECTING ->
            {
                if (peer > transport.rank())
                {
                    reject(id, ConnectionHandshake.REASON_CROSSED);
                    return;
                }
                discardAttempt(endpoint);
            }
            case RdmaEndpoint.IDLE, RdmaEndpoint.WAITING_FOR_PEER ->
            {
                // accept below
            }
            default ->
            {
                reject(id, ConnectionHandshake.REASON_DUPLICATE);
                return;
            }
        }
        accept(endpoint, id);
    }

    private void accept(final RdmaEndpoint endpoint, final CmId id)
    {
        final long creditAddress = handshake.creditAddress;
        final int creditRkey = handshake.creditRkey;
        final int receiveDepth = handshake.receiveDepth;
        endpoint.id = id;
        endpointsById.put(id.address(), endpoint);
        if (RdmaEndpoint.WAITING_FOR_PEER != endpoint.state)
        {
            endpoint.deadlineNs = System.nanoTime() + timeoutNs;
        }
        enter(endpoint, RdmaEndpoint.ACCEPTING);
        try
        {
            transport.createQueuePair(endpoint);
        }
        catch (final VerbsException ex)
        {
            reject(id, ConnectionHandshake.REASON_RESOURCES);
            endpoint.id = null;
            fail(endpoint, "cannot create the queue pair for " + endpoint.describe() + ": " + ex.getMessage());
            return;
        }
        endpoint.resetCredits(creditAddress, creditRkey, receiveDepth);
        final int responderResources = Math.min(transport.maxReadsAtOnce(), event.initiatorDepth());
        final int initiatorDepth = Math.min(transport.maxReadsAtOnce(), event.responderResources());
        handshake.kind = ConnectionHandshake.KIND_ACCEPT;
        fillHandshake(endpoint);
        final int errno = id.accept(handshake.encode(), responderResources, initiatorDepth,
            RdmaConfiguration.RNR_RETRY);
        if (0 != errno)
        {
            fail(endpoint, "rdma_accept from " + endpoint.describe() + " failed (errno " + errno + ")");
        }
    }

    private void reject(final CmId id, final int reason)
    {
        if (TRACE)
        {
            System.err.println("javelin.rdma.trace rank " + transport.rank() + ": rejecting rank " + handshake.rank +
                ": " + ConnectionHandshake.reasonText(reason));
        }
        final ConnectionHandshake reject = new ConnectionHandshake();
        reject.kind = ConnectionHandshake.KIND_REJECT;
        reject.reason = reason;
        reject.rank = transport.rank();
        id.reject(reject.encode());
        id.close();
    }

    /**
     * Drops this rank's own connection attempt to a peer (superseded by the peer's, or rejected as crossed).
     * Before rdma_connect the id is destroyed at once; after, it waits among the orphans for its last event.
     */
    private void discardAttempt(final RdmaEndpoint endpoint)
    {
        final CmId attempt = endpoint.id;
        endpoint.id = null;
        endpoint.queuePair = null;
        // the discarded queue pair's receives complete with flush errors (RDMA CM moves it to the error state
        // on REJECTED): a new attempt number makes pollReceives drop them instead of failing the peer
        endpoint.attempt++;
        if (null == attempt)
        {
            return;
        }
        endpointsById.remove(attempt.address());
        attempt.destroyQueuePair();
        if (RdmaEndpoint.CONNECTING == endpoint.state)
        {
            orphans.add(attempt);
        }
        else
        {
            attempt.close();
        }
    }

    private void onOrphanEvent()
    {
        for (int i = 0; i < orphans.size(); i++)
        {
            final CmId orphan = orphans.get(i);
            if (orphan.address() == event.id())
            {
                if (CmEvent.REJECTED == event.type() || CmEvent.CONNECT_ERROR == event.type() ||
                    CmEvent.UNREACHABLE == event.type() || CmEvent.ESTABLISHED == event.type())
                {
                    orphans.remove(i);
                    orphan.close();
                }
                return;
            }
        }
    }

    private void fillHandshake(final RdmaEndpoint endpoint)
    {
        handshake.rank = transport.rank();
        handshake.jobSize = transport.jobSize();
        handshake.jobSecret = transport.jobSecret();
        handshake.creditAddress = transport.creditWordAddress(endpoint.peerId);
        handshake.creditRkey = transport.creditWordRkey();
        handshake.receiveDepth = transport.receiveDepth();
        handshake.bufferBytes = transport.bufferBytes();
    }

    private void checkDeadlines()
    {
        final long now = System.nanoTime();
        for (int i = pending.size() - 1; i >= 0 && i < pending.size(); i--)
        {
            final RdmaEndpoint endpoint = pending.get(i);
            if (now - endpoint.deadlineNs > 0)
            {
                fail(endpoint, RdmaEndpoint.WAITING_FOR_PEER == endpoint.state ?
                    endpoint.describe() + " did not connect back within " + timeoutNs / 1_000_000 + " ms after both " +
                    "ranks connected at once: is it still running?" :
                    "connecting to " + endpoint.describe() + " did not finish within " + timeoutNs / 1_000_000 +
                    " ms (" + RdmaConfiguration.CONNECT_TIMEOUT_PROP_NAME + "): check that the rank is running and " +
                    "that its address is reachable over RDMA (rping -c -a <address>)");
            }
        }
    }

    private void fail(final RdmaEndpoint endpoint, final String reason)
    {
        if (TRACE)
        {
            System.err.println("javelin.rdma.trace rank " + transport.rank() + ": failing " + endpoint.describe() +
                ": " + reason);
        }
        leave(endpoint);
        transport.failPeer(endpoint, reason);
    }

    void forget(final RdmaEndpoint endpoint)
    {
        leave(endpoint);
        if (null != endpoint.id)
        {
            endpointsById.remove(endpoint.id.address());
        }
    }

    private void enter(final RdmaEndpoint endpoint, final int state)
    {
        endpoint.state = state;
        if (!pending.contains(endpoint))
        {
            pending.add(endpoint);
        }
    }

    private void leave(final RdmaEndpoint endpoint)
    {
        pending.remove(endpoint);
    }

    private int resolveTimeoutMs()
    {
        return (int)Math.max(1, Math.min(timeoutNs / 1_000_000, 10_000));
    }

    private String statusText()
    {
        return event.status() < 0 ? "errno " + -event.status() : "status " + event.status();
    }

    /**
     * Destroys the orphaned attempts and the listener, then the channel. Endpoint ids must be closed first.
     */
    @Override
    public void close()
    {
        for (final CmId orphan : orphans)
        {
            orphan.close();
        }
        orphans.clear();
        listener.close();
        channel.close();
    }
}
