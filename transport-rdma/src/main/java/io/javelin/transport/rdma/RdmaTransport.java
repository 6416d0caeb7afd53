package io.javelin.transport.rdma;

import io.javelin.transport.Endpoint;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.OwnerGate;
import io.javelin.transport.Transport;
import io.javelin.transport.TransportCapabilities;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportException;
import io.javelin.transport.TransportListener;
import io.javelin.transport.TransportStatus;
import io.javelin.transport.rdma.verbs.CompletionQueue;
import io.javelin.transport.rdma.verbs.MemoryLockLimit;
import io.javelin.transport.rdma.verbs.MemoryRegistration;
import io.javelin.transport.rdma.verbs.ProtectionDomain;
import io.javelin.transport.rdma.verbs.RdmaDevices;
import io.javelin.transport.rdma.verbs.ReceiveWorkRequest;
import io.javelin.transport.rdma.verbs.SendWorkRequest;
import io.javelin.transport.rdma.verbs.VerbsContext;
import io.javelin.transport.rdma.verbs.VerbsException;
import io.javelin.transport.rdma.verbs.WorkCompletions;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Transport over RDMA verbs (InfiniBand, RoCE): one RC queue pair per peer, made through RDMA CM on first use.
 * Two-sided sends are eager copies into registered send buffers (or inline) received into buffers pre-posted
 * per peer, paced by credits; one-sided writes and reads are RDMA WRITE / RDMA READ of registered memory,
 * carried out by the devices. Completions are busy-polled in {@link #progress()}; every work request is
 * signalled. See {@link RdmaConfiguration} for the settings.
 *
 * <p>An RC queue pair cannot continue after an error: a one-sided access the peer refuses completes with
 * REMOTE_ACCESS_ERROR and fails the connection (both sides report the peer as failed).
 *
 * <p>Threading: one owner thread drives the transport; {@link #close()} may come from any thread.
 */
public final class RdmaTransport implements Transport
{
    private static final System.Logger LOGGER = System.getLogger(RdmaTransport.class.getName());
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final int COMPLETIONS_PER_POLL = 32;
    private static final int CREDIT_WORD_BYTES = 8;

    private final TransportContext context;
    private final TransportListener listener;
    private final RdmaConfiguration configuration;
    private final TransportCapabilities capabilities;
    private final OwnerGate gate = new OwnerGate();
    private final Arena arena = Arena.ofShared();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final RdmaConnector connector;
    private final ProtectionDomain pd;
    private final CompletionQueue sendCq;
    private final CompletionQueue receiveCq;
    private final MemorySegment creditWords;
    private final MemoryRegistration creditRegistration;
    private final BufferSlots sendBuffers;
    private final MemorySegment inlineScratch;
    private final SendWorkRequest sendRequest = new SendWorkRequest(arena);
    private final ReceiveWorkRequest receiveRequest = new ReceiveWorkRequest(arena);
    private final WorkCompletions sendCompletions = new WorkCompletions(arena, COMPLETIONS_PER_POLL);
    private final WorkCompletions receiveCompletions = new WorkCompletions(arena, COMPLETIONS_PER_POLL);
    private final OperationTable operations = new OperationTable();
    private final CompletionRing deferred = new CompletionRing();
    private final RdmaEndpoint[] endpoints;
    private final ArrayDeque<RdmaEndpoint> creditReturns = new ArrayDeque<>();
    private final ArrayDeque<RdmaEndpoint> unreportedFailures = new ArrayDeque<>();
    private final ArrayDeque<RdmaEndpoint> endpointsWithPending = new ArrayDeque<>();
    private final ArrayDeque<PendingOperation> freePending = new ArrayDeque<>();
    private int pendingCount;
    private final List<RdmaMemoryRegion> regions = new ArrayList<>();
    private final int maxReadsAtOnce;
    private final int maxOperations;
    private final int creditThreshold;
    private long progressCalls;
    /** Set while close() lets posted work finish: completions are then delivered although the gate is closed. */
    private boolean draining;

    /**
     * Opens the device behind the configured address, listens for peers and registers the send buffers.
     *
     * @param context who this rank is, where events go, and the {@code javelin.rdma.*} settings.
     * @throws TransportException when there is no usable device, a setting is invalid or a limit is too low;
     *                            the message names the fix.
     */
    public RdmaTransport(final TransportContext context)
    {
        this.context = context;
        this.listener = context.listener();
        final String unavailable = RdmaDevices.unavailableReason();
        if (null != unavailable)
        {
            arena.close();
            throw new TransportException(unavailable);
        }
        try
        {
            configuration = RdmaConfiguration.from(context);
            final String memlock = MemoryLockLimit.check(configuration.registeredBytes(context.jobSize()));
            if (null != memlock)
            {
                throw new TransportException("the RDMA transport cannot register its buffers: " + memlock);
            }
            capabilities = new TransportCapabilities(true, true, true, false, true, true, configuration.eagerLimitBytes,
                RdmaConfiguration.MAX_HEADER_BYTES, configuration.bufferBytes);
            endpoints = new RdmaEndpoint[context.jobSize()];
            connector = own(new RdmaConnector(this, configuration.address, configuration.connectTimeoutMs));
            final VerbsContext device = connector.listener().context();
            final RdmaDevices.Attributes attributes = device.attributes();
            maxReadsAtOnce = Math.max(1, Math.min(16, Math.min(attributes.maxQpRdAtom(),
                attributes.maxQpInitRdAtom())));
            final int peers = Math.max(1, context.jobSize() - 1);
            final long receiveEntries = (long)configuration.receiveDepth * peers;
            if (receiveEntries > attributes.maxCqe())
            {
                throw new TransportException(peers + " peers x " + RdmaConfiguration.RECEIVE_DEPTH_PROP_NAME + "=" +
                    configuration.receiveDepth + " receive buffers exceed the " + attributes.maxCqe() + " entries " +
                    "a completion queue of " + device.deviceName() + " holds: lower the receive depth to " +
                    Math.max(2, attributes.maxCqe() / peers));
            }
            maxOperations = (int)Math.min(attributes.maxCqe(), Math.min(1 << 16,
                (long)configuration.sendDepth * peers));
            creditThreshold = Math.max(1, configuration.receiveDepth / 4);
            pd = own(device.allocateProtectionDomain());
            sendCq = own(device.createCompletionQueue(maxOperations));
            receiveCq = own(device.createCompletionQueue((int)receiveEntries));
            creditWords = arena.allocate((long)CREDIT_WORD_BYTES * context.jobSize(), 64);
            creditRegistration = own(pd.register(creditWords,
                ProtectionDomain.ACCESS_LOCAL_WRITE | ProtectionDomain.ACCESS_REMOTE_WRITE));
            sendBuffers = own(new BufferSlots(arena, pd, configuration.sendBuffers, configuration.bufferBytes));
            inlineScratch = arena.allocate(Math.max(1, configuration.inlineLimitBytes), 64);
        }
        catch (final RuntimeException ex)
        {
            releaseResources();
            arena.close();
            throw ex;
        }
    }

    private <T extends AutoCloseable> T own(final T resource)
    {
        resources.add(resource);
        return resource;
    }

    @Override
    public String name()
    {
        return RdmaTransportProvider.NAME;
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
            if (peerId < 0 || peerId >= endpoints.length || peerId == context.rank())
            {
                throw new TransportException("rank " + context.rank() + " cannot connect to rank " + peerId +
                    ": choose another rank of the job of " + endpoints.length + " ranks");
            }
            final RdmaEndpoint endpoint = endpoint(peerId);
            endpoint.address = RdmaAddress.decode(peerId, peerAddress);
            return endpoint;
        }
        finally
        {
            gate.exit();
        }
    }

    @Override
    public MemoryRegion register(final MemorySegment segment, final int accessFlags)
    {
        enterOrThrow("register memory");
        try
        {
            if (!segment.isNative())
            {
                throw new TransportException("heap memory cannot be registered for RDMA (the garbage collector moves " +
                    "it): allocate native memory (Arena.allocate, Javelin.allocate) or let Javelin stage it");
            }
            int access = 0;
            access |= 0 != (accessFlags & MemoryRegion.LOCAL_WRITE) ? ProtectionDomain.ACCESS_LOCAL_WRITE : 0;
            access |= 0 != (accessFlags & MemoryRegion.REMOTE_READ) ? ProtectionDomain.ACCESS_REMOTE_READ : 0;
            access |= 0 != (accessFlags & MemoryRegion.REMOTE_WRITE) ?
                ProtectionDomain.ACCESS_REMOTE_WRITE | ProtectionDomain.ACCESS_LOCAL_WRITE : 0;
            final RdmaMemoryRegion region = new RdmaMemoryRegion(this, pd.register(segment, access), accessFlags);
            regions.add(region);
            return region;
        }
        finally
        {
            gate.exit();
        }
    }

    void deregister(final RdmaMemoryRegion region)
    {
        if (region.isClosed() || !gate.enter())
        {
            return;
        }
        try
        {
            regions.remove(region);
            region.registration.close();
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
            int work = 0;
            // connection events first, failures reported last: a peer that sends its last message and closes
            // has that message delivered (it is in the receive queue by the time its disconnect arrives) before
            // the listener hears of the failure
            if (connector.busy() || 0 == (++progressCalls % RdmaConfiguration.CM_POLL_INTERVAL))
            {
                work += connector.poll();
            }
            work += gate.isClosed() ? 0 : pollSendCompletions();
            work += gate.isClosed() ? 0 : pollReceives();
            work += gate.isClosed() ? 0 : returnCredits();
            work += gate.isClosed() ? 0 : postPending();
            work += gate.isClosed() ? 0 : deferred.deliver(listener, 0);
            work += gate.isClosed() ? 0 : reportFailures();
            return work;
        }
        finally
        {
            gate.exit();
        }
    }

    private int pollSendCompletions()
    {
        final int count = sendCq.poll(sendCompletions);
        for (int i = 0; i < count && (draining || !gate.isClosed()); i++)
        {
            final int slot = operations.slotOf(sendCompletions.wrId(i));
            if (slot < 0)
            {
                continue;
            }
            final byte kind = operations.kind(slot);
            final long cookie = operations.cookie(slot);
            final int buffer = operations.buffer(slot);
            final RdmaEndpoint endpoint = endpoints[operations.peer(slot)];
            operations.release(slot);
            if (buffer >= 0)
            {
                sendBuffers.release(buffer);
            }
            endpoint.outstanding--;
            final int status = sendCompletions.status(i);
            if (WorkCompletions.STATUS_SUCCESS == status)
            {
                if (OperationTable.KIND_CREDIT != kind)
                {
                    listener.onCompletion(cookie, TransportStatus.OK);
                }
                continue;
            }
            if (OperationTable.KIND_CREDIT != kind)
            {
                listener.onCompletion(cookie, RdmaErrors.completionStatus(status));
            }
            if (!gate.isClosed())
            {
                failPeer(endpoint, RdmaErrors.describe(endpoint, kind, status, sendCompletions.vendorError(i)));
            }
        }
        return Math.max(0, count);
    }

    private int pollReceives()
    {
        final int count = receiveCq.poll(receiveCompletions);
        for (int i = 0; i < count && !gate.isClosed(); i++)
        {
            final long wrId = receiveCompletions.wrId(i);
            final RdmaEndpoint endpoint = endpoints[(int)(wrId >>> 40)];
            if (null == endpoint || ((int)(wrId >>> 24) & 0xFFFF) != (endpoint.attempt & 0xFFFF))
            {
                continue;
            }
            final int status = receiveCompletions.status(i);
            if (WorkCompletions.STATUS_SUCCESS != status)
            {
                failPeer(endpoint, WorkCompletions.STATUS_WR_FLUSH_ERR == status ? endpoint.describe() +
                    " closed the connection (it closed its transport, exited, or refused a one-sided access)" :
                    "the connection to " + endpoint.describe() + " broke: a receive completed with " +
                    WorkCompletions.statusName(status));
                continue;
            }
            if (RdmaEndpoint.ACCEPTING == endpoint.state)
            {
                // rdma_accept readied the queue pair; data from the peer shows it has our answer even when the
                // ESTABLISHED event is still queued
                connector.established(endpoint);
            }
            if (0 != (receiveCompletions.flags(i) & WorkCompletions.FLAG_WITH_IMM))
            {
                endpoint.onConsumedReport(receiveCompletions.immediate(i));
            }
            final int buffer = (int)(wrId & 0xFFFFFF);
            listener.onMessage(endpoint, endpoint.receiveBuffers.memory(), endpoint.receiveBuffers.offset(buffer),
                receiveCompletions.byteLength(i));
            if (!gate.isClosed() && RdmaEndpoint.CONNECTED == endpoint.state)
            {
                repostReceive(endpoint, buffer);
            }
        }
        return Math.max(0, count);
    }

    private void repostReceive(final RdmaEndpoint endpoint, final int buffer)
    {
        receiveRequest.set(receiveWrId(endpoint, buffer), endpoint.receiveBuffers.address(buffer),
            configuration.bufferBytes, endpoint.receiveBuffers.lkey());
        final int errno = endpoint.queuePair.postReceive(receiveRequest);
        if (0 != errno)
        {
            failPeer(endpoint, "re-posting a receive buffer for " + endpoint.describe() + " failed (errno " + errno +
                ")");
            return;
        }
        endpoint.consumed++;
        if (!endpoint.creditDirty)
        {
            endpoint.creditDirty = true;
            creditReturns.add(endpoint);
        }
    }

    /**
     * Tells peers that have consumed enough of our receive buffers by an RDMA write of the running count into
     * their credit word (peers we send to anyway learn it from the immediate data of our sends).
     */
    private int returnCredits()
    {
        int work = 0;
        for (int i = creditReturns.size(); i > 0; i--)
        {
            final RdmaEndpoint endpoint = creditReturns.poll();
            endpoint.creditDirty = false;
            if (RdmaEndpoint.CONNECTED != endpoint.state || endpoint.consumed - endpoint.returned < creditThreshold)
            {
                continue;
            }
            if (endpoint.outstanding >= endpoint.queuePair.sendDepth() || operations.inUse() >= maxOperations)
            {
                endpoint.creditDirty = true;
                creditReturns.add(endpoint);
                continue;
            }
            final long source = (long)endpoint.peerId * CREDIT_WORD_BYTES + 4;
            creditWords.set(ValueLayout.JAVA_INT, source, endpoint.consumed);
            final int slot = operations.acquire(OperationTable.KIND_CREDIT, endpoint.peerId, 0, -1);
            final int inline = endpoint.queuePair.maxInlineBytes() >= 4 ? SendWorkRequest.FLAG_INLINE : 0;
            sendRequest.rdma(operations.wrId(slot), SendWorkRequest.OPCODE_RDMA_WRITE, creditWords.address() + source,
                4, creditRegistration.lkey(), endpoint.peerCreditAddress, endpoint.peerCreditRkey,
                SendWorkRequest.FLAG_SIGNALED | inline, 0);
            final int errno = endpoint.queuePair.postSend(sendRequest);
            if (0 != errno)
            {
                operations.release(slot);
                failPeer(endpoint, "posting a credit update to " + endpoint.describe() + " failed (errno " + errno +
                    ")");
                continue;
            }
            endpoint.returned = endpoint.consumed;
            endpoint.outstanding++;
            work++;
        }
        return work;
    }

    int enqueueSend(final RdmaEndpoint endpoint, final MemorySegment header, final int headerLength,
        final MemorySegment payload, final long payloadOffset, final int payloadLength, final long cookie)
    {
        final PendingOperation operation = acquirePending(endpoint, OperationTable.KIND_SEND, cookie);
        if (null == operation)
        {
            return TransportStatus.BACK_PRESSURED;
        }
        MemorySegment.copy(header, ValueLayout.JAVA_BYTE, 0, operation.header, 0, headerLength);
        operation.headerLength = headerLength;
        operation.payload = payload;
        operation.payloadOffset = payloadOffset;
        operation.payloadLength = payloadLength;
        return TransportStatus.OK;
    }

    int enqueueOneSided(final RdmaEndpoint endpoint, final byte kind, final RdmaMemoryRegion region,
        final long localOffset, final long remoteAddress, final int remoteKey, final int length, final long cookie)
    {
        final PendingOperation operation = acquirePending(endpoint, kind, cookie);
        if (null == operation)
        {
            return TransportStatus.BACK_PRESSURED;
        }
        operation.region = region;
        operation.localOffset = localOffset;
        operation.remoteAddress = remoteAddress;
        operation.remoteKey = remoteKey;
        operation.length = length;
        return TransportStatus.OK;
    }

    private PendingOperation acquirePending(final RdmaEndpoint endpoint, final byte kind, final long cookie)
    {
        PendingOperation operation = freePending.poll();
        if (null == operation)
        {
            if (pendingCount >= configuration.maxPendingOperations)
            {
                return null;
            }
            operation = new PendingOperation();
            pendingCount++;
        }
        operation.kind = kind;
        operation.cookie = cookie;
        endpoint.pending.add(operation);
        if (!endpoint.pendingListed)
        {
            endpoint.pendingListed = true;
            endpointsWithPending.add(endpoint);
        }
        return operation;
    }

    /**
     * Posts what waits in the endpoints' FIFOs, in order, as far as credits and queues allow.
     */
    private int postPending()
    {
        int work = 0;
        for (int i = endpointsWithPending.size(); i > 0 && !gate.isClosed(); i--)
        {
            final RdmaEndpoint endpoint = endpointsWithPending.poll();
            endpoint.pendingListed = false;
            if (RdmaEndpoint.FAILED == endpoint.state)
            {
                failPending(endpoint, TransportStatus.PEER_FAILED, false);
                continue;
            }
            work += postPendingOf(endpoint);
            if (!endpoint.pending.isEmpty() && !endpoint.pendingListed)
            {
                endpoint.pendingListed = true;
                endpointsWithPending.add(endpoint);
            }
        }
        return work;
    }

    /**
     * Completes what waits for a failed or closing endpoint: now (inside close) or in the next progress call.
     */
    private void failPending(final RdmaEndpoint endpoint, final int status, final boolean now)
    {
        PendingOperation operation;
        while (null != (operation = endpoint.pending.poll()))
        {
            if (now)
            {
                listener.onCompletion(operation.cookie, status);
            }
            else
            {
                deferred.add(operation.cookie, status);
            }
            releasePending(operation);
        }
    }

    private void releasePending(final PendingOperation operation)
    {
        operation.clear();
        freePending.add(operation);
    }

    int postSend(final RdmaEndpoint endpoint, final MemorySegment header, final int headerLength,
        final MemorySegment payload, final long payloadOffset, final int payloadLength, final long cookie)
    {
        if (operations.inUse() >= maxOperations)
        {
            return TransportStatus.BACK_PRESSURED;
        }
        final int length = headerLength + payloadLength;
        final boolean inline = length <= Math.min(configuration.inlineLimitBytes,
            endpoint.queuePair.maxInlineBytes());
        final int buffer = inline ? -1 : sendBuffers.acquire();
        if (!inline && buffer < 0)
        {
            return TransportStatus.BACK_PRESSURED;
        }
        final MemorySegment target = inline ? inlineScratch : sendBuffers.memory();
        final long offset = inline ? 0 : sendBuffers.offset(buffer);
        MemorySegment.copy(header, 0, target, offset, headerLength);
        MemorySegment.copy(payload, payloadOffset, target, offset + headerLength, payloadLength);
        final int slot = operations.acquire(OperationTable.KIND_SEND, endpoint.peerId, cookie, buffer);
        sendRequest.send(operations.wrId(slot), target.address() + offset, length, inline ? 0 : sendBuffers.lkey(),
            SendWorkRequest.FLAG_SIGNALED | (inline ? SendWorkRequest.FLAG_INLINE : 0), endpoint.consumed);
        final int errno = endpoint.queuePair.postSend(sendRequest);
        if (0 != errno)
        {
            operations.release(slot);
            if (buffer >= 0)
            {
                sendBuffers.release(buffer);
            }
            return postFailed(endpoint, errno);
        }
        endpoint.returned = endpoint.consumed;
        endpoint.sent++;
        endpoint.outstanding++;
        return TransportStatus.OK;
    }

    int postOneSided(final RdmaEndpoint endpoint, final byte kind, final RdmaMemoryRegion local,
        final long localOffset, final long remoteAddress, final int remoteKey, final int length, final long cookie)
    {
        if (operations.inUse() >= maxOperations)
        {
            return TransportStatus.BACK_PRESSURED;
        }
        final int slot = operations.acquire(kind, endpoint.peerId, cookie, -1);
        sendRequest.rdma(operations.wrId(slot), OperationTable.KIND_WRITE == kind ? SendWorkRequest.OPCODE_RDMA_WRITE :
            SendWorkRequest.OPCODE_RDMA_READ, local.address() + localOffset, length, local.registration.lkey(),
            remoteAddress, remoteKey, SendWorkRequest.FLAG_SIGNALED, 0);
        final int errno = endpoint.queuePair.postSend(sendRequest);
        if (0 != errno)
        {
            operations.release(slot);
            return postFailed(endpoint, errno);
        }
        endpoint.outstanding++;
        return TransportStatus.OK;
    }

    private int postFailed(final RdmaEndpoint endpoint, final int errno)
    {
        if (12 == errno)
        {
            return TransportStatus.BACK_PRESSURED; // ENOMEM: the send queue is full
        }
        failPeer(endpoint, "posting to " + endpoint.describe() + " failed (errno " + errno + "): its queue pair is " +
            "in the error state");
        return TransportStatus.PEER_FAILED;
    }

    /**
     * Creates the queue pair on the endpoint's id and posts its receive buffers.
     */
    void createQueuePair(final RdmaEndpoint endpoint)
    {
        final String device = endpoint.id.context().deviceName();
        final String ours = pd.context().deviceName();
        if (!ours.equals(device))
        {
            throw new VerbsException("the route to " + endpoint.describe() + " leaves through " + device + " but " +
                "this transport uses " + ours + ": set " + RdmaConfiguration.ADDRESS_PROP_NAME + " to an address " +
                "of the device that reaches the peer", 0);
        }
        if (null == endpoint.receiveBuffers)
        {
            endpoint.receiveBuffers = new BufferSlots(arena, pd, configuration.receiveDepth, configuration.bufferBytes);
        }
        endpoint.attempt++;
        endpoint.outstanding = 0;
        endpoint.queuePair = endpoint.id.createQueuePair(pd, sendCq, receiveCq, configuration.sendDepth,
            configuration.receiveDepth, configuration.inlineLimitBytes);
        for (int buffer = 0; buffer < configuration.receiveDepth; buffer++)
        {
            receiveRequest.set(receiveWrId(endpoint, buffer), endpoint.receiveBuffers.address(buffer),
                configuration.bufferBytes, endpoint.receiveBuffers.lkey());
            final int errno = endpoint.queuePair.postReceive(receiveRequest);
            if (0 != errno)
            {
                throw VerbsException.of("ibv_post_recv", errno, "");
            }
        }
    }

    void onConnected(final RdmaEndpoint endpoint)
    {
        LOGGER.log(System.Logger.Level.DEBUG, () -> "rank " + context.rank() + " connected to " +
            endpoint.describe() + " (queue pair " + endpoint.queuePair.number() + ")");
    }

    private static long receiveWrId(final RdmaEndpoint endpoint, final int buffer)
    {
        return (long)endpoint.peerId << 40 | (long)(endpoint.attempt & 0xFFFF) << 24 | buffer;
    }

    /**
     * Declares a peer failed, once: moves its queue pair to the error state (what is in flight completes with
     * flush errors, reported as PEER_FAILED) and reports it to the listener in the next progress call.
     */
    void failPeer(final RdmaEndpoint endpoint, final String reason)
    {
        if (RdmaEndpoint.FAILED == endpoint.state || gate.isClosed())
        {
            return;
        }
        LOGGER.log(System.Logger.Level.DEBUG, () -> "rank " + context.rank() + ": " + reason);
        connector.forget(endpoint);
        endpoint.state = RdmaEndpoint.FAILED;
        endpoint.failure = reason;
        if (null != endpoint.queuePair)
        {
            endpoint.id.disconnect();
        }
        else if (null != endpoint.id)
        {
            endpoint.id.close();
            endpoint.id = null;
        }
        failPending(endpoint, TransportStatus.PEER_FAILED, false);
        unreportedFailures.add(endpoint);
    }

    private int reportFailures()
    {
        int reported = 0;
        RdmaEndpoint endpoint;
        while (!gate.isClosed() && null != (endpoint = unreportedFailures.poll()))
        {
            listener.onPeerFailure(endpoint, endpoint.failure);
            reported++;
        }
        return reported;
    }

    void completeLater(final long cookie, final int status)
    {
        deferred.add(cookie, status);
    }

    @Override
    public void close()
    {
        if (!gate.close())
        {
            return;
        }
        drain();
        for (final RdmaEndpoint endpoint : endpoints)
        {
            if (null != endpoint && null != endpoint.queuePair && RdmaEndpoint.FAILED != endpoint.state)
            {
                endpoint.id.disconnect();
            }
        }
        for (final RdmaEndpoint endpoint : endpoints)
        {
            if (null != endpoint && null != endpoint.id)
            {
                closeQuietly(endpoint.id);
                endpoint.id = null;
                endpoint.queuePair = null;
            }
        }
        for (int slot = 0; slot < operations.used(); slot++)
        {
            if (0 != operations.kind(slot))
            {
                final byte kind = operations.kind(slot);
                final long cookie = operations.cookie(slot);
                operations.release(slot);
                if (OperationTable.KIND_CREDIT != kind)
                {
                    listener.onCompletion(cookie, TransportStatus.CANCELLED);
                }
            }
        }
        for (final RdmaEndpoint endpoint : endpoints)
        {
            if (null != endpoint)
            {
                failPending(endpoint, TransportStatus.CANCELLED, true);
            }
        }
        deferred.deliver(listener, TransportStatus.CANCELLED);
        unreportedFailures.clear();
        for (final RdmaEndpoint endpoint : endpoints)
        {
            if (null != endpoint && null != endpoint.receiveBuffers)
            {
                closeQuietly(endpoint.receiveBuffers);
            }
        }
        for (final RdmaMemoryRegion region : regions)
        {
            closeQuietly(region.registration);
        }
        regions.clear();
        releaseResources();
        arena.close();
    }

    /**
     * Lets work already posted on live connections complete, for up to
     * {@link RdmaConfiguration#DRAIN_PROP_NAME}: a rank that sends its last message and closes (as a TCP socket
     * delivers what was written before close) must not have the device flush that message when the queue pair
     * is torn down. Delivers those completions.
     */
    private void drain()
    {
        final long deadline = System.nanoTime() + configuration.drainMs * 1_000_000L;
        draining = true;
        try
        {
            while (hasLiveWork() && System.nanoTime() - deadline < 0)
            {
                if (0 == pollSendCompletions() + postPendingWhileDraining())
                {
                    Thread.yield();
                }
            }
        }
        catch (final RuntimeException ex)
        {
            LOGGER.log(System.Logger.Level.WARNING, "rank " + context.rank() + ": draining at close failed: " + ex);
        }
        finally
        {
            draining = false;
        }
    }

    private int postPendingWhileDraining()
    {
        int work = 0;
        for (final RdmaEndpoint endpoint : endpoints)
        {
            work += null == endpoint ? 0 : postPendingOf(endpoint);
        }
        return work;
    }

    /**
     * Posts the endpoint's waiting operations in order until one cannot go yet; completes those that fail.
     */
    private int postPendingOf(final RdmaEndpoint endpoint)
    {
        int work = 0;
        while (RdmaEndpoint.CONNECTED == endpoint.state && !endpoint.pending.isEmpty() &&
            (draining || !gate.isClosed()))
        {
            final PendingOperation operation = endpoint.pending.peek();
            final int status = OperationTable.KIND_SEND == operation.kind ?
                endpoint.tryPostSend(operation.headerSegment, operation.headerLength,
                operation.payload, operation.payloadOffset, operation.payloadLength, operation.cookie) :
                endpoint.tryPostOneSided(operation.kind, operation.region, operation.localOffset,
                operation.remoteAddress, operation.remoteKey, operation.length, operation.cookie);
            if (TransportStatus.BACK_PRESSURED == status)
            {
                break;
            }
            endpoint.pending.poll();
            final long cookie = operation.cookie;
            releasePending(operation);
            work++;
            if (TransportStatus.OK != status)
            {
                listener.onCompletion(cookie, status);
            }
        }
        return work;
    }

    private boolean hasLiveWork()
    {
        for (final RdmaEndpoint endpoint : endpoints)
        {
            if (null != endpoint && (endpoint.outstanding > 0 || !endpoint.pending.isEmpty()) &&
                RdmaEndpoint.CONNECTED == endpoint.state)
            {
                return true;
            }
        }
        return false;
    }

    private void releaseResources()
    {
        // reverse order of creation: buffers, credit words, completion queues, protection domain, then the
        // connector (listener id and event channel)
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            closeQuietly(resources.get(i));
        }
        resources.clear();
    }

    private void closeQuietly(final AutoCloseable resource)
    {
        try
        {
            resource.close();
        }
        catch (final Exception ex)
        {
            LOGGER.log(System.Logger.Level.WARNING, "rank " + context.rank() + ": closing " + resource + " failed: " +
                ex.getMessage());
        }
    }

    @Override
    public String toString()
    {
        return "RdmaTransport{rank=" + context.rank() + ", address=" + configuration.address.getHostAddress() +
            (gate.isClosed() ? ", closed" : "") + "}";
    }

    // ---------------------------------------------------------------- for the endpoint and the connector

    boolean enterPost()
    {
        return gate.enter();
    }

    void exitPost()
    {
        gate.exit();
    }

    boolean isClosed()
    {
        return gate.isClosed();
    }

    RdmaConnector connector()
    {
        return connector;
    }

    RdmaEndpoint endpoint(final int peerId)
    {
        RdmaEndpoint endpoint = endpoints[peerId];
        if (null == endpoint)
        {
            endpoint = new RdmaEndpoint(this, peerId);
            endpoints[peerId] = endpoint;
        }
        return endpoint;
    }

    int rank()
    {
        return context.rank();
    }

    int jobSize()
    {
        return context.jobSize();
    }

    long jobSecret()
    {
        return context.jobSecret();
    }

    int bufferBytes()
    {
        return configuration.bufferBytes;
    }

    int receiveDepth()
    {
        return configuration.receiveDepth;
    }

    int maxReadsAtOnce()
    {
        return maxReadsAtOnce;
    }

    long creditWordAddress(final int peerId)
    {
        return creditWords.address() + (long)peerId * CREDIT_WORD_BYTES;
    }

    int creditWordRkey()
    {
        return creditRegistration.rkey();
    }

    /**
     * @return the running count of our messages the peer consumed, as it last wrote it (volatile read: the
     *         device writes this memory).
     */
    int creditWord(final int peerId)
    {
        return (int)INT.getVolatile(creditWords, (long)peerId * CREDIT_WORD_BYTES);
    }

    private void enterOrThrow(final String what)
    {
        if (!gate.enter())
        {
            throw new TransportException("rank " + context.rank() + " cannot " + what + ": its RDMA transport is " +
                "closed");
        }
    }
}
