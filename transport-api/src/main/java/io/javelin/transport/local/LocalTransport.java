package io.javelin.transport.local;

import io.javelin.transport.Endpoint;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.OwnerGate;
import io.javelin.transport.Transport;
import io.javelin.transport.TransportCapabilities;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportException;
import io.javelin.transport.TransportListener;
import io.javelin.transport.TransportStatus;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * The transport between ranks that are threads of one JVM ({@code Javelin.runLocal}).
 *
 * <p>Each rank has its own instance, registered in a {@link LocalFabric} under its fabric name and rank.
 * A send copies header and payload into a pooled native buffer and puts it on the receiver's lock-free
 * inbox (one copy); the receiver's {@link #progress()} hands it to its listener. A one-sided write or
 * read is one {@code memcpy} between the two registered regions, done by the posting thread after the
 * target region has checked key, bounds and access. Completions are queued and delivered by the
 * poster's next {@link #progress()}.
 *
 * <p>Threading: as {@link Transport} says, one thread drives the transport; peers' threads touch only
 * the inbox, the region table and the closed flag. {@link #close()} may be called from any thread: it
 * waits until the driving thread is outside the transport's methods, then cancels what is pending.
 */
public final class LocalTransport implements Transport
{
    private static final int MESSAGES_PER_PROGRESS = 256;

    private final LocalTransportConfiguration configuration;
    private final TransportListener listener;
    private final long jobSecret;
    private final LocalAddress address;
    private final byte[] addressBytes;
    private final TransportCapabilities capabilities;
    private final LocalEndpoint[] endpoints;
    private final RegionTable regions = new RegionTable();
    private final MessagePool pool = new MessagePool();
    private final LocalInbox inbox;
    private final CompletionQueue completions = new CompletionQueue(1024);
    private final ArrayDeque<LocalEndpoint> failedPeers = new ArrayDeque<>();
    private final ClosedPeerNotices closedPeers = new ClosedPeerNotices();
    private final OwnerGate gate = new OwnerGate();

    /**
     * Creates the transport and opens it in its fabric.
     *
     * @param context rank, job and configuration ({@link LocalTransportConfiguration}).
     * @throws TransportException if the configuration is invalid or the rank is already open in the fabric.
     */
    public LocalTransport(final TransportContext context)
    {
        configuration = new LocalTransportConfiguration(context);
        listener = context.listener();
        jobSecret = context.jobSecret();
        address = new LocalAddress(configuration.fabric(), context.rank());
        addressBytes = address.toBytes();
        capabilities = new TransportCapabilities(true, true, true, false, true, true, configuration.eagerLimitBytes(),
            LocalTransportConfiguration.MAX_HEADER_BYTES, LocalTransportConfiguration.MAX_MESSAGE_BYTES);
        endpoints = new LocalEndpoint[context.jobSize()];
        inbox = new LocalInbox(configuration.inboxCapacity(), configuration.inboxLimitBytes());
        LocalFabric.register(address, this);
    }

    @Override
    public String name()
    {
        return LocalTransportProvider.NAME;
    }

    @Override
    public TransportCapabilities capabilities()
    {
        return capabilities;
    }

    @Override
    public byte[] localAddress()
    {
        return addressBytes.clone();
    }

    @Override
    public Endpoint connect(final int peerId, final byte[] peerAddress)
    {
        final LocalAddress peer = LocalAddress.fromBytes(peerAddress);
        if (peerId < 0 || peerId >= endpoints.length || peer.rank() != peerId)
        {
            throw new TransportException("cannot connect " + address + " to peer " + peerId + " at " + peer +
                ": the peer id must be the rank of the address, within the job of " + endpoints.length + " ranks");
        }
        checkOpen("connect to peer " + peerId);
        LocalEndpoint endpoint = endpoints[peerId];
        if (null == endpoint)
        {
            endpoint = new LocalEndpoint(this, peer, null);
            endpoints[peerId] = endpoint;
        }
        else if (!endpoint.address().equals(peer))
        {
            throw new TransportException("peer " + peerId + " is already connected at " + endpoint.address() +
                ", not " + peer + ": connect each peer once, with the address it published");
        }
        return endpoint;
    }

    @Override
    public MemoryRegion register(final MemorySegment segment, final int accessFlags)
    {
        if (!segment.isNative())
        {
            throw new TransportException("cannot register a heap segment of " + segment.byteSize() + " bytes: " +
                "the garbage collector moves heap memory; allocate native memory (Javelin.allocate or an Arena) " +
                "or copy through a registered buffer");
        }
        if (segment.isReadOnly() && (accessFlags & (MemoryRegion.LOCAL_WRITE | MemoryRegion.REMOTE_WRITE)) != 0)
        {
            throw new TransportException("cannot register a read-only segment for write access: register it with " +
                "REMOTE_READ only");
        }
        if ((accessFlags & ~MemoryRegion.ALL_ACCESS) != 0)
        {
            throw new TransportException("unknown access flags " + accessFlags + ": combine LOCAL_WRITE, " +
                "REMOTE_READ and REMOTE_WRITE of MemoryRegion");
        }
        if (!enter())
        {
            throw closedException("register memory");
        }
        try
        {
            return regions.add(segment, accessFlags);
        }
        finally
        {
            exit();
        }
    }

    @Override
    public int progress()
    {
        if (!enter())
        {
            return 0;
        }
        try
        {
            // read before draining: the messages of every peer counted here are already in the inbox
            final int closedPeerCount = closedPeers.announced();
            final int work = deliverCompletions() + deliverPeerFailures() + deliverMessages();
            return 0 == closedPeerCount || !inbox.isEmpty() ? work : work + noteClosedPeers(closedPeerCount);
        }
        finally
        {
            exit();
        }
    }

    private int deliverCompletions()
    {
        int delivered = 0;
        for (int pending = completions.size(); pending > 0 && !gate.isClosed() && completions.poll(); pending--)
        {
            listener.onCompletion(completions.polledCookie(), completions.polledStatus());
            delivered++;
        }
        return delivered;
    }

    private int deliverPeerFailures()
    {
        int delivered = 0;
        LocalEndpoint endpoint;
        while (!gate.isClosed() && null != (endpoint = failedPeers.poll()))
        {
            listener.onPeerFailure(endpoint, endpoint.failure());
            delivered++;
        }
        return delivered;
    }

    /**
     * Runs once the inbox is drained, so every message a closed peer sent is delivered before its failure.
     *
     * @param count closed peers announced before the inbox was drained; later ones wait for the next drain.
     */
    private int noteClosedPeers(final int count)
    {
        int noted = 0;
        for (int i = 0; i < count; i++)
        {
            final int rank = closedPeers.take();
            final LocalEndpoint endpoint = rank < endpoints.length ? endpoints[rank] : null;
            if (null != endpoint)
            {
                endpoint.peerClosed();
                noted++;
            }
        }
        return noted + deliverPeerFailures();
    }

    /**
     * Called by a peer's thread when that peer closes, after its last message entered this inbox.
     */
    void peerClosed(final int rank)
    {
        closedPeers.announce(rank);
    }

    private int deliverMessages()
    {
        int delivered = 0;
        LocalMessage message;
        while (delivered < MESSAGES_PER_PROGRESS && !gate.isClosed() && null != (message = inbox.poll()))
        {
            try
            {
                final LocalEndpoint source = endpointFor(message.source());
                if (null != source)
                {
                    listener.onMessage(source, message.buffer(), 0, message.length());
                }
            }
            finally
            {
                inbox.consumed(message);
            }
            delivered++;
        }
        return delivered;
    }

    /**
     * @return the endpoint for a sender, created on first contact if the sender was never connected.
     */
    private LocalEndpoint endpointFor(final LocalTransport sender)
    {
        final int rank = sender.address.rank();
        if (rank >= endpoints.length)
        {
            return null;
        }
        LocalEndpoint endpoint = endpoints[rank];
        if (null == endpoint)
        {
            endpoint = new LocalEndpoint(this, sender.address, sender);
            endpoints[rank] = endpoint;
        }
        return endpoint;
    }

    /**
     * Puts a message from {@code sender} in this transport's inbox; runs on the sender's thread.
     *
     * @return OK, BACK_PRESSURED (inbox full), or PEER_FAILED (this transport is closed).
     */
    int deliver(final LocalTransport sender, final MemorySegment header, final int headerLength,
        final MemorySegment payload, final long payloadOffset, final int payloadLength)
    {
        return gate.isClosed() ? TransportStatus.PEER_FAILED :
            inbox.offer(sender, sender.pool, header, headerLength, payload, payloadOffset, payloadLength);
    }

    /**
     * Queues a completion for the next {@link #progress()}.
     *
     * @return {@link TransportStatus#OK}: the post was accepted.
     */
    int complete(final long cookie, final int status)
    {
        completions.add(cookie, status);
        return TransportStatus.OK;
    }

    /**
     * Queues the one report of an endpoint's failure for the next {@link #progress()}.
     */
    void peerFailed(final LocalEndpoint endpoint)
    {
        failedPeers.add(endpoint);
    }

    /**
     * Owner thread: enters the transport; pair with {@link #exit()}.
     *
     * @return false if closed.
     */
    boolean enter()
    {
        return gate.enter();
    }

    /**
     * Owner thread: leaves the transport.
     */
    void exit()
    {
        gate.exit();
    }

    /**
     * Closes: unregisters from the fabric (peers' posts then fail with PEER_FAILED), tells every open peer
     * of the fabric (each reports {@code onPeerFailure} once it has delivered this rank's messages),
     * deregisters every region once peers' copies into it have finished, drops undelivered messages, and
     * delivers every completion still pending as {@link TransportStatus#CANCELLED}, on the calling thread.
     * Idempotent.
     */
    @Override
    public void close()
    {
        if (!gate.close())
        {
            return;
        }
        LocalFabric.unregister(address, this);
        for (final LocalTransport peer : LocalFabric.members(address.fabric()))
        {
            peer.peerClosed(address.rank());
        }
        regions.closeAll();
        inbox.discardAll();
        failedPeers.clear();
        while (completions.poll())
        {
            listener.onCompletion(completions.polledCookie(), TransportStatus.CANCELLED);
        }
    }

    private void checkOpen(final String what)
    {
        if (gate.isClosed())
        {
            throw closedException(what);
        }
    }

    private TransportException closedException(final String what)
    {
        return new TransportException("cannot " + what + ": the local transport of " + address + " is closed");
    }

    boolean isClosed()
    {
        return gate.isClosed();
    }

    long jobSecret()
    {
        return jobSecret;
    }

    RegionTable regions()
    {
        return regions;
    }

    LocalTransportConfiguration configuration()
    {
        return configuration;
    }

    @Override
    public String toString()
    {
        return "LocalTransport{" + address + (gate.isClosed() ? ", closed" : "") + "}";
    }
}
