package io.javelin.transport.local;

import io.javelin.transport.Endpoint;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.Transport;
import io.javelin.transport.TransportCapabilities;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportException;
import io.javelin.transport.TransportListener;
import io.javelin.transport.TransportStatus;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

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
    private final ManyToOneConcurrentArrayQueue<LocalMessage> inbox;
    private final AtomicLong inboxBytes = new AtomicLong();
    private final CompletionQueue completions = new CompletionQueue(1024);
    private final ArrayDeque<LocalEndpoint> failedPeers = new ArrayDeque<>();
    /** Ranks whose transports closed, told by them from their threads; reported after their messages. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Integer> closedPeerRanks =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private volatile boolean closed;
    /** The thread inside a method of this transport, or null; with {@link #closed}, a Dekker handshake. */
    private volatile Thread activeThread;
    private int depth;

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
        capabilities = new TransportCapabilities(true, true, true, false, true, configuration.eagerLimitBytes(),
            LocalTransportConfiguration.MAX_HEADER_BYTES, LocalTransportConfiguration.MAX_MESSAGE_BYTES);
        endpoints = new LocalEndpoint[context.jobSize()];
        inbox = new ManyToOneConcurrentArrayQueue<>(configuration.inboxCapacity());
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
            final int work = deliverCompletions() + deliverPeerFailures() + deliverMessages();
            return closedPeerRanks.isEmpty() || !inbox.isEmpty() ? work : work + noteClosedPeers();
        }
        finally
        {
            exit();
        }
    }

    private int deliverCompletions()
    {
        int delivered = 0;
        for (int pending = completions.size(); pending > 0 && !closed && completions.poll(); pending--)
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
        while (!closed && null != (endpoint = failedPeers.poll()))
        {
            listener.onPeerFailure(endpoint, endpoint.failure());
            delivered++;
        }
        return delivered;
    }

    /**
     * Runs once the inbox is drained, so every message a closed peer sent is delivered before its failure.
     */
    private int noteClosedPeers()
    {
        int noted = 0;
        Integer rank;
        while (null != (rank = closedPeerRanks.poll()))
        {
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
     * Called by a peer's thread when that peer closes.
     */
    void peerClosed(final int rank)
    {
        closedPeerRanks.add(rank);
    }

    private int deliverMessages()
    {
        int delivered = 0;
        LocalMessage message;
        while (delivered < MESSAGES_PER_PROGRESS && !closed && null != (message = inbox.poll()))
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
                inboxBytes.addAndGet(-message.length());
                message.recycle();
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
        if (closed)
        {
            return TransportStatus.PEER_FAILED;
        }
        final int length = headerLength + payloadLength;
        if (0 == inbox.remainingCapacity())
        {
            return TransportStatus.BACK_PRESSURED;
        }
        final long queued = inboxBytes.getAndAdd(length);
        if (queued > 0 && queued + length > configuration.inboxLimitBytes())
        {
            inboxBytes.addAndGet(-length);
            return TransportStatus.BACK_PRESSURED;
        }
        final LocalMessage message = sender.pool.acquire(length);
        final MemorySegment buffer = message.buffer();
        if (headerLength > 0)
        {
            MemorySegment.copy(header, 0, buffer, 0, headerLength);
        }
        if (payloadLength > 0)
        {
            MemorySegment.copy(payload, payloadOffset, buffer, headerLength, payloadLength);
        }
        message.prepare(sender, length);
        if (!inbox.offer(message))
        {
            inboxBytes.addAndGet(-length);
            message.recycle();
            return TransportStatus.BACK_PRESSURED;
        }
        return TransportStatus.OK;
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
     * Marks the calling (owner) thread as inside the transport.
     *
     * @return false, having undone the mark, if the transport is closed.
     */
    boolean enter()
    {
        if (0 == depth++)
        {
            activeThread = Thread.currentThread();
        }
        if (closed)
        {
            exit();
            return false;
        }
        return true;
    }

    /**
     * Ends {@link #enter()}.
     */
    void exit()
    {
        if (0 == --depth)
        {
            activeThread = null;
        }
    }

    /**
     * Closes: unregisters from the fabric (peers' posts then fail with PEER_FAILED), deregisters every
     * region once peers' copies into it have finished, drops undelivered messages, and delivers every
     * completion still pending as {@link TransportStatus#CANCELLED}, on the calling thread. Idempotent.
     */
    @Override
    public void close()
    {
        if (!closeStarted.compareAndSet(false, true))
        {
            return;
        }
        closed = true;
        awaitOwnerOutside();
        LocalFabric.unregister(address, this);
        for (final LocalTransport peer : LocalFabric.members(address.fabric()))
        {
            peer.peerClosed(address.rank());
        }
        regions.closeAll();
        LocalMessage message;
        while (null != (message = inbox.poll()))
        {
            inboxBytes.addAndGet(-message.length());
            message.recycle();
        }
        failedPeers.clear();
        while (completions.poll())
        {
            listener.onCompletion(completions.polledCookie(), TransportStatus.CANCELLED);
        }
    }

    private void awaitOwnerOutside()
    {
        final Thread current = Thread.currentThread();
        for (int spins = 0; ; spins++)
        {
            final Thread active = activeThread;
            if (null == active || current == active)
            {
                return;
            }
            if (spins < 1000)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield();
            }
        }
    }

    private void checkOpen(final String what)
    {
        if (closed)
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
        return closed;
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
        return "LocalTransport{" + address + (closed ? ", closed" : "") + "}";
    }
}
