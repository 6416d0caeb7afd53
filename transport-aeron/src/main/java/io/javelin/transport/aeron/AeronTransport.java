package io.javelin.transport.aeron;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.protocol.DataHeaderFlyweight;
import io.javelin.transport.Endpoint;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.Transport;
import io.javelin.transport.TransportCapabilities;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportException;
import io.javelin.transport.TransportListener;
import io.javelin.transport.TransportStatus;
import io.javelin.transport.emulated.EmulatedMemoryRegion;
import io.javelin.transport.emulated.EmulatedRegistrationTable;

import org.agrona.BitUtil;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Transport over Aeron: UDP unicast to ranks on other hosts, IPC to ranks on this host, with the media
 * driver embedded and run by {@link #progress()} (no thread of its own; see {@link AeronConfiguration}).
 * Two-sided sends are Aeron messages; one-sided writes and reads are carried out by the target's progress
 * engine, streaming between its registered memory and the term buffers, or, to a rank on this host, by
 * one cross-memory-attach copy after the target checked the span ({@link SingleCopy}). Wire format:
 * {@link AeronFrame}; settings: {@link AeronConfiguration}.
 *
 * <p>Threading: as {@link Transport} says, one progress thread; no locks on the data path.
 */
public final class AeronTransport implements Transport
{
    private static final System.Logger LOGGER = System.getLogger(AeronTransport.class.getName());
    private static final int FRAGMENT_LIMIT = 64;
    private static final long CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * Progress calls per read of the clock (the driver's and the peer checks' timers): a clock read costs some
     * 25 ns, as much as polling the images, and a message that arrives meanwhile waits for it.
     */
    private static final int CALLS_PER_CLOCK_READ = 16;

    private final TransportContext context;
    private final TransportListener listener;
    private final AeronConfiguration configuration;
    private final TransportCapabilities capabilities;
    private final EmulatedRegistrationTable registrations = new EmulatedRegistrationTable();
    private final AeronOperationPool pool;
    private final FrameWriter writer = new FrameWriter();
    private final AeronEndpoint[] endpoints;
    private final List<AeronInbound> inbounds = new ArrayList<>();
    private final ArrayDeque<AeronEndpoint> unreportedFailures = new ArrayDeque<>();
    private final EmbeddedDriver driver;
    private final AeronAddress address;
    private final byte[] addressBytes;
    private final SingleCopy singleCopy;
    private final AeronHandshake handshake;
    private AeronEndpoint[] outbound = new AeronEndpoint[4];
    private int outboundCount;
    private int callsUntilClock;
    private AeronOperation completedHead;
    private AeronOperation completedTail;
    private long nextCheckNs;
    private boolean backPressured;
    /** Term-buffer bytes this rank's images consumed since the driver last had to run for them. */
    private long consumedSinceDriver;
    private final ProcessLiveness liveness = new ProcessLiveness();
    private final long driverConsumedTrigger;
    private volatile boolean closed;

    /**
     * Starts the embedded media driver and subscribes.
     *
     * @param context who this rank is, where events go, and the {@code javelin.aeron.*} settings.
     * @throws TransportException when a setting is invalid or the driver cannot start.
     */
    public AeronTransport(final TransportContext context)
    {
        this.context = context;
        this.listener = context.listener();
        this.configuration = AeronConfiguration.from(context);
        // rendezvous transfers overlap: same-host reads go by cross-memory attach, each by the reading rank
        // (measured over IPC; between hosts they are frames on the peer's publication, as over TCP)
        this.capabilities = new TransportCapabilities(true, true, true, true, true, true,
            configuration.eagerLimitBytes, AeronConfiguration.MAX_HEADER_BYTES, maxMessageBytes());
        this.pool = new AeronOperationPool(configuration.maxPendingOperations);
        this.endpoints = new AeronEndpoint[context.jobSize()];
        this.driverConsumedTrigger = configuration.termLength / 16;
        this.driver = EmbeddedDriver.launch(configuration, context.rank(), this::onAvailableImage,
            this::onUnavailableImage, this::onAeronError);
        try
        {
            this.singleCopy = new SingleCopy(context.rank(), configuration.cmaEnabled);
            this.address = new AeronAddress(HostIdentity.id(), ProcessHandle.current().pid(),
                singleCopy.isEnabled(), publishedEndpoint(driver.udpEndpoint), driver.directory.toString());
            this.addressBytes = address.encode();
            this.handshake = new AeronHandshake(this, context, configuration);
        }
        catch (final RuntimeException ex)
        {
            driver.close();
            throw ex;
        }
    }

    @Override
    public String name()
    {
        return AeronTransportProvider.NAME;
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
        if (closed)
        {
            throw new TransportException("rank " + context.rank() + ": the Aeron transport is closed");
        }
        if (peerId < 0 || peerId >= endpoints.length)
        {
            throw new TransportException("rank " + peerId + " is outside the job of " + endpoints.length + " ranks");
        }
        final AeronAddress peer = AeronAddress.decode(peerId, peerAddress);
        final AeronEndpoint endpoint = endpoint(peerId);
        if (null != endpoint.address && !endpoint.address.equals(peer))
        {
            throw new TransportException("rank " + peerId + " is already known at " + endpoint.address + ", not " +
                peer + ": publish one address per rank");
        }
        handshake.setAddress(endpoint, peer);
        if (!endpoint.ipc)
        {
            driver.useUdp(); // this rank publishes to the peer by UDP: its driver's sender must run promptly
        }
        return endpoint;
    }

    @Override
    public MemoryRegion register(final MemorySegment segment, final int accessFlags)
    {
        if (closed)
        {
            throw new TransportException("rank " + context.rank() + ": the Aeron transport is closed");
        }
        return registrations.register(segment, accessFlags);
    }

    /**
     * Counts what an image consumed (a frame of {@code length} bytes after its data header).
     */
    void consumed(final int length)
    {
        consumedSinceDriver +=
            BitUtil.align(length + DataHeaderFlyweight.HEADER_LENGTH, FrameDescriptor.FRAME_ALIGNMENT);
    }

    /**
     * Polls this rank's images alone: one look at each term where the next frame lands, a few nanoseconds.
     */
    @Override
    public int pollArrivals()
    {
        int work = 0;
        for (int i = 0; i < inbounds.size() && !closed; i++)
        {
            work += inbounds.get(i).poll(FRAGMENT_LIMIT);
        }
        return work;
    }

    @Override
    public int progress()
    {
        if (closed)
        {
            return 0;
        }
        // images first: a message that has arrived is handled before anything else of this call
        int work = pollArrivals();
        boolean queued = false;
        for (int i = 0; i < outboundCount && !closed; i++)
        {
            final AeronEndpoint endpoint = outbound[i];
            work += progress(endpoint);
            queued |= endpoint.hasQueuedFrames();
        }
        backPressured = queued;
        // the driver moves the limits of the publications peers write into this rank's images: run it once
        // the images have consumed a sixteenth of the term, long before a publisher's window (half a term) closes
        final boolean publishersNeedLimits = consumedSinceDriver >= driverConsumedTrigger;
        if (publishersNeedLimits || backPressured || driver.usesUdp() || --callsUntilClock <= 0)
        {
            // the clock costs as much as a poll of every image: read it only every few calls, unless the driver
            // must run now (a publication waiting for its limit; or UDP, whose frames leave only when the driver's
            // sender runs: a send completes below, after that run, so a rank never moves on, say into the
            // bootstrap fence of close(), with its last message still in its term buffer)
            callsUntilClock = CALLS_PER_CLOCK_READ;
            if (publishersNeedLimits)
            {
                consumedSinceDriver = 0;
            }
            final long nowNs = System.nanoTime();
            work += driver.doWork(nowNs, backPressured || publishersNeedLimits);
            if (nowNs - nextCheckNs >= 0)
            {
                nextCheckNs = nowNs + CHECK_INTERVAL_NS;
                work += checkPeers(nowNs);
            }
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
        for (final AeronEndpoint endpoint : endpoints)
        {
            if (null != endpoint && null != endpoint.publication && endpoint.established && null == endpoint.failure)
            {
                writer.control(endpoint.publication, AeronFrame.PREFIX_LENGTH, AeronFrame.TYPE_BYE, 0,
                    context.rank(), 0, 0, 0, 0);
            }
        }
        for (final AeronInbound inbound : inbounds)
        {
            inbound.clearStream();
        }
        for (final AeronEndpoint endpoint : endpoints)
        {
            if (null != endpoint)
            {
                endpoint.abandon(TransportStatus.CANCELLED);
            }
        }
        try
        {
            driver.close();
        }
        finally
        {
            singleCopy.close();
            unreportedFailures.clear();
            while (null != completedHead)
            {
                deliverCompletions();
            }
        }
    }

    /**
     * @return true while this rank still listens for UDP (for tests: closed once every peer is on this host).
     */
    boolean listensForUdp()
    {
        return driver.udpOpen();
    }

    /**
     * @return bytes this transport moved by single copy (cross-memory attach).
     */
    public long singleCopyBytes()
    {
        return singleCopy.bytes();
    }

    /**
     * @return one-sided operations this transport carried out by single copy.
     */
    public long singleCopyOperations()
    {
        return singleCopy.operations();
    }

    /**
     * @return whether single copy is in use here and why (not), for {@code javelin info} and logs.
     */
    public String singleCopyStatus()
    {
        return singleCopy.status();
    }

    /**
     * @return bytes every Aeron transport of this process moved by single copy (for tests and reports).
     */
    public static long processSingleCopyBytes()
    {
        return SingleCopy.PROCESS_BYTES.get();
    }

    /**
     * @return one-sided operations every Aeron transport of this process carried out by single copy.
     */
    public static long processSingleCopyOperations()
    {
        return SingleCopy.PROCESS_OPERATIONS.get();
    }

    @Override
    public String toString()
    {
        return "AeronTransport{rank=" + context.rank() + ", " + address + ", media=" + configuration.media +
            (closed ? ", closed" : "") + "}";
    }

    // ---------------------------------------------------------------- used by endpoints and inbound images

    boolean isClosed()
    {
        return closed;
    }

    int rank()
    {
        return context.rank();
    }

    EmulatedRegistrationTable registrations()
    {
        return registrations;
    }

    FrameWriter writer()
    {
        return writer;
    }

    long maxMessageBytes()
    {
        return configuration.maxMessageBytes() - AeronFrame.PREFIX_LENGTH;
    }

    AeronOperation acquireForPost()
    {
        return pool.acquireForPost();
    }

    void release(final AeronOperation operation)
    {
        pool.release(operation);
    }

    long writeHello(final ExclusivePublication publication)
    {
        return writer.hello(publication, context.jobSecret(), context.rank(), context.jobSize(), addressBytes);
    }

    boolean singleCopyUsable(final AeronEndpoint endpoint)
    {
        return singleCopy.isEnabled() && endpoint.address.grantsCma() && HostIdentity.id() == endpoint.address.hostId();
    }

    /**
     * Queues the completion of a user's operation; delivered at the end of this or the next progress call.
     */
    void complete(final AeronOperation operation, final int status)
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
    }

    void deliverMessage(final AeronEndpoint source, final MemorySegment buffer, final long offset, final int length)
    {
        listener.onMessage(source, buffer, offset, length);
    }

    void queueReply(final AeronEndpoint endpoint, final int kind, final long id, final int status)
    {
        final AeronOperation operation = pool.acquire();
        operation.prepare(kind, 0, id);
        operation.status = status;
        endpoint.enqueue(operation);
    }

    void queueReadResponse(
        final AeronEndpoint endpoint, final long id, final EmulatedMemoryRegion region, final long address,
        final long length)
    {
        final AeronOperation operation = pool.acquire();
        operation.prepare(AeronOperation.READ_RESPONSE, 0, id);
        if (null == region)
        {
            operation.status = TransportStatus.REMOTE_ACCESS_ERROR;
        }
        else
        {
            operation.status = TransportStatus.OK;
            operation.segment = region.segment();
            operation.offset = address - region.address();
            operation.length = length;
        }
        endpoint.enqueue(operation);
    }

    /**
     * The target answered a single-copy request: copy, or fall back to the emulated operation.
     */
    void onGrant(final AeronEndpoint endpoint, final AeronOperation operation, final int status)
    {
        if (TransportStatus.OK != status)
        {
            complete(operation, status);
            return;
        }
        final int outcome = singleCopy.copy(endpoint, operation);
        if (SingleCopy.REFUSED != outcome)
        {
            complete(operation,
                SingleCopy.COPIED == outcome ? TransportStatus.OK : TransportStatus.REMOTE_ACCESS_ERROR);
            return;
        }
        operation.singleCopy = false; // refused by the kernel: the target's progress engine does it instead
        operation.restartStream();
        endpoint.enqueue(operation);
    }

    /**
     * Opens the publication to a peer (asynchronously; it is polled in progress) and queues the HELLO.
     */
    void openOutbound(final AeronEndpoint endpoint, final boolean withHello)
    {
        handshake.openOutbound(endpoint, withHello);
    }

    AeronHandshake handshake()
    {
        return handshake;
    }

    AeronEndpoint endpoint(final int peerId)
    {
        AeronEndpoint endpoint = endpoints[peerId];
        if (null == endpoint)
        {
            endpoint = new AeronEndpoint(this, peerId);
            endpoints[peerId] = endpoint;
        }
        return endpoint;
    }

    /**
     * @return the endpoint of a rank when one exists, else null (also for ranks outside the job).
     */
    AeronEndpoint existingEndpoint(final int peerId)
    {
        return peerId >= 0 && peerId < endpoints.length ? endpoints[peerId] : null;
    }

    EmbeddedDriver driver()
    {
        return driver;
    }

    void onCorruptFrame(final AeronInbound inbound, final String what)
    {
        if (null != inbound.endpoint)
        {
            failPeer(inbound.endpoint, "corrupt frame from peer " + inbound.endpoint.peerId() + ": " + what +
                "; closing the connection");
            return;
        }
        inbound.ignored = true;
        LOGGER.log(System.Logger.Level.WARNING, "rank " + context.rank() + " ignores a stream from " +
            inbound.image.sourceIdentity() + ": " + what);
    }

    void failPeer(final AeronEndpoint endpoint, final String reason)
    {
        if (null != endpoint.failure || closed)
        {
            return;
        }
        endpoint.failure = reason;
        LOGGER.log(System.Logger.Level.WARNING, "rank " + context.rank() + ": " + reason);
        if (null != endpoint.inbound)
        {
            endpoint.inbound.clearStream();
        }
        endpoint.abandon(TransportStatus.PEER_FAILED);
        unreportedFailures.add(endpoint);
    }

    // ---------------------------------------------------------------- internals

    private int progress(final AeronEndpoint endpoint)
    {
        if (null != endpoint.failure)
        {
            return 0;
        }
        if (null == endpoint.publication)
        {
            if (Aeron.NULL_VALUE == endpoint.registrationId)
            {
                return 0;
            }
            try
            {
                endpoint.publication = endpoint.client.getExclusivePublication(endpoint.registrationId);
            }
            catch (final RuntimeException ex)
            {
                failPeer(endpoint, "rank " + context.rank() + " cannot publish to peer " + endpoint.peerId() +
                    " (" + endpoint.address + "): " + ex.getMessage());
                return 1;
            }
            if (null == endpoint.publication)
            {
                if (endpoint.ipc)
                {
                    driver.doPeerClientWork();
                }
                else
                {
                    driver.doAllWork();
                }
                return 0;
            }
        }
        return endpoint.hasQueuedFrames() ? endpoint.drain() : 0;
    }

    private int checkPeers(final long nowNs)
    {
        int failed = 0;
        for (int i = 0; i < outboundCount; i++)
        {
            final AeronEndpoint endpoint = outbound[i];
            if (null != endpoint.failure)
            {
                continue;
            }
            if (!endpoint.established && nowNs - endpoint.handshakeDeadlineNs > 0)
            {
                failPeer(endpoint, "rank " + context.rank() + " did not complete the Aeron handshake with peer " +
                    endpoint.peerId() + " (" + endpoint.address + ") within " +
                    TimeUnit.NANOSECONDS.toMillis(configuration.connectTimeoutNs) + " ms (" +
                    AeronConfiguration.CONNECT_TIMEOUT_PROP_NAME + "): is that rank running and making progress, " +
                    "and was it started with the same job secret?");
                failed++;
            }
            else if (endpoint.ipc && (endpoint.client.isClosed() ||
                !liveness.isAlive(endpoint.address.pid())))
            {
                failPeer(endpoint, "peer " + endpoint.peerId() + " (pid " + endpoint.address.pid() + " on this " +
                    "host) has exited");
                failed++;
            }
        }
        if (driver.udpOpen() && everyPeerPublishesByIpc())
        {
            driver.closeUnusedUdp();
        }
        return failed;
    }

    /**
     * @return true once the addresses of all the job's other ranks are known and all of them are on this host:
     *         they publish to this rank by IPC (the media setting is the same on every rank), so no UDP will come.
     */
    private boolean everyPeerPublishesByIpc()
    {
        int ipcPeers = 0;
        for (final AeronEndpoint endpoint : endpoints)
        {
            if (null != endpoint && null != endpoint.address && endpoint.ipc)
            {
                ipcPeers++;
            }
        }
        return ipcPeers > 0 && ipcPeers == context.jobSize() - 1;
    }

    private int deliverCompletions()
    {
        int count = 0;
        AeronOperation operation;
        while (null != (operation = completedHead))
        {
            completedHead = operation.next;
            if (null == completedHead)
            {
                completedTail = null;
            }
            final long cookie = operation.cookie;
            final int status = operation.status;
            pool.release(operation);
            listener.onCompletion(cookie, status);
            count++;
        }
        return count;
    }

    private int reportFailures()
    {
        int reported = 0;
        AeronEndpoint endpoint;
        while (!closed && null != (endpoint = unreportedFailures.poll()))
        {
            listener.onPeerFailure(endpoint, endpoint.failure);
            reported++;
        }
        return reported;
    }

    private void onAvailableImage(final Image image)
    {
        if (!closed && (image.subscription() == driver.ipcSubscription || image.subscription() ==
            driver.udpSubscription))
        {
            inbounds.add(new AeronInbound(this, image));
            if (image.subscription() == driver.udpSubscription)
            {
                driver.useUdp();
            }
        }
    }

    private void onUnavailableImage(final Image image)
    {
        for (int i = 0; i < inbounds.size(); i++)
        {
            final AeronInbound inbound = inbounds.get(i);
            if (inbound.image == image)
            {
                inbounds.remove(i);
                final AeronEndpoint endpoint = inbound.endpoint;
                if (null != endpoint && endpoint.inbound == inbound && !closed)
                {
                    failPeer(endpoint, "the stream from peer " + endpoint.peerId() + " ended: it closed, crashed, " +
                        "or made no progress for longer than " + AeronConfiguration.LIVENESS_TIMEOUT_PROP_NAME);
                }
                return;
            }
        }
    }

    private void onAeronError(final Throwable error)
    {
        if (!closed)
        {
            LOGGER.log(System.Logger.Level.WARNING, "rank " + context.rank() + ": Aeron reported " + error);
        }
    }

    void addOutbound(final AeronEndpoint endpoint)
    {
        for (int i = 0; i < outboundCount; i++)
        {
            if (outbound[i] == endpoint)
            {
                return;
            }
        }
        if (outboundCount == outbound.length)
        {
            outbound = java.util.Arrays.copyOf(outbound, 2 * outbound.length);
        }
        outbound[outboundCount++] = endpoint;
    }

    private static InetSocketAddress publishedEndpoint(final InetSocketAddress bound)
    {
        if (!bound.getAddress().isAnyLocalAddress())
        {
            return bound;
        }
        try
        {
            return new InetSocketAddress(InetAddress.getLocalHost(), bound.getPort());
        }
        catch (final UnknownHostException ex)
        {
            throw new TransportException("cannot name this host to publish the UDP endpoint " + bound + ": set " +
                AeronConfiguration.BIND_PROP_NAME + " to this host's IPv4 address", ex);
        }
    }
}
