package io.javelin.messaging;

import io.javelin.messaging.bootstrap.Bootstrap;
import io.javelin.messaging.wire.AbortDecoder;
import io.javelin.messaging.wire.ClearToSendDecoder;
import io.javelin.messaging.wire.CompletionCode;
import io.javelin.messaging.wire.CreditDecoder;
import io.javelin.messaging.wire.EagerDecoder;
import io.javelin.messaging.wire.FinishDecoder;
import io.javelin.messaging.wire.HelloDecoder;
import io.javelin.messaging.wire.MessageHeaderDecoder;
import io.javelin.messaging.wire.RendezvousStartDecoder;
import io.javelin.transport.Endpoint;
import io.javelin.transport.KernelIdentity;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.Transport;
import io.javelin.transport.TransportCapabilities;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportListener;
import io.javelin.transport.TransportProvider;
import io.javelin.transport.TransportStatus;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;

/**
 * The protocol engine of one rank: tag matching, the eager and rendezvous protocols, credit-based flow
 * control and progress, over whichever transport was selected.
 *
 * <p>Data path: {@link #postSend} picks eager (payload up to the eager limit: header + payload in one
 * two-sided send, gathered by the transport straight from the user's memory) or rendezvous (RTS; the
 * receiver reads the payload straight from the sender's registered memory and answers FIN, or, where the
 * transport cannot read, answers CTS and the sender writes). Arrivals are matched against posted receives
 * or queued as unexpected ({@link MatchQueues}).
 *
 * <p>Flow control: a sender may have {@code javelin.eager.credits} eager messages unconsumed at a
 * receiver; the receiver returns credits when it matches them, piggybacked on any frame it sends back or
 * in a Credit frame. A sender out of credits sends its next messages by rendezvous, whose RTS costs the
 * receiver a few bytes until matched: unexpected payload memory stays bounded, and no send ever waits for
 * credits (which could deadlock a legal program that receives its messages out of order).
 *
 * <p>Threading: not thread-safe. One thread (the rank's) posts, waits and calls {@link #progress()}.
 */
public final class MessagingEngine implements TransportListener, AutoCloseable
{
    /** Matches any source. */
    public static final int ANY_SOURCE = -1;
    /** Matches any tag. */
    public static final int ANY_TAG = -1;
    /** Version of the wire protocol, checked in Hello. */
    public static final int PROTOCOL_VERSION = 2;

    /**
     * Polls of arrivals alone between two whole progress calls of a spinning wait ({@link #awaitArrival}): a few
     * nanoseconds each over Aeron IPC, so the transport's other duties wait at most some hundred nanoseconds.
     */
    static final int ARRIVAL_POLLS = 64;
    static final int COOKIE_IGNORE = 0;
    static final int COOKIE_EAGER = 1;
    static final int COOKIE_READ = 2;
    static final int COOKIE_WRITE = 3;

    private final int rank;
    private final int size;
    private final Transport transport;
    private final String transportName;
    private final String selectionReason;
    private final TransportCapabilities capabilities;
    private final long eagerLimit;
    private final int credits;
    private final int creditThreshold;
    private final Peer[] peers;
    private final MatchQueues queues = new MatchQueues();
    private final RequestPool requestPool = new RequestPool();
    private final UnexpectedMessagePool unexpectedPool;
    private final Long2ObjectHashMap<MessageRequest> active = new Long2ObjectHashMap<>();
    private final RegistrationCache registrationCache;
    private final StagingPool stagingPool;
    private final RendezvousProtocol rendezvous;
    private final WireCodec codec = new WireCodec();
    private final IdleStrategy idleStrategy;
    /** Set by {@link #wireUp} when the job has other ranks: where this rank's thread runs. */
    private CpuBinding cpuBinding = CpuBinding.unbound("a job of one rank");
    private final Arena arena = Arena.ofShared();
    private final UnsafeBuffer decodeBuffer = new UnsafeBuffer(0, 0);
    private final MemorySegment heapFrameCopy;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final HelloDecoder helloDecoder = new HelloDecoder();
    private final EagerDecoder eagerDecoder = new EagerDecoder();
    private final RendezvousStartDecoder rtsDecoder = new RendezvousStartDecoder();
    private final ClearToSendDecoder ctsDecoder = new ClearToSendDecoder();
    private final FinishDecoder finDecoder = new FinishDecoder();
    private final CreditDecoder creditDecoder = new CreditDecoder();
    private final AbortDecoder abortDecoder = new AbortDecoder();
    private long nextId = 1;
    private int pendingPeers;
    private boolean closed;
    private int probeSource;
    private int probeTag;
    private long probeLength;

    private MessagingEngine(final Bootstrap bootstrap, final Map<String, String> initialSettings)
    {
        rank = bootstrap.rank();
        size = bootstrap.size();
        Map<String, String> settings = initialSettings;
        final TransportSelector.Selection selection = TransportSelector.select(
            settings.getOrDefault(Configuration.TRANSPORT_PROP_NAME, Configuration.TRANSPORT_DEFAULT), size,
            settings.containsKey("javelin.local.fabric"));
        final TransportProvider provider = selection.provider();
        if ("local".equals(provider.name()) && !settings.containsKey("javelin.local.fabric"))
        {
            final Map<String, String> withFabric = new java.util.HashMap<>(settings);
            withFabric.put("javelin.local.fabric", "job-" + java.util.UUID.randomUUID());
            settings = withFabric;
        }
        transportName = provider.name();
        selectionReason = selection.reason();
        transport = provider.create(new TransportContext(rank, size, bootstrap.jobSecret(), this, settings));
        try
        {
            capabilities = transport.capabilities();
            final String eagerOverride = settings.getOrDefault(Configuration.EAGER_LIMIT_PROP_NAME, "");
            final long limit = eagerOverride.isBlank() ? capabilities.eagerLimitBytes() :
                io.javelin.transport.Sizes.parseBytes(Configuration.EAGER_LIMIT_PROP_NAME, eagerOverride);
            final boolean canRendezvous = capabilities.rmaRead() || capabilities.rmaWrite();
            final long maxEager = capabilities.maxMessageBytes() - WireCodec.MAX_FRAME_BYTES;
            eagerLimit = canRendezvous ? Math.min(limit, maxEager) : maxEager;
            credits = Integer.parseInt(settings.getOrDefault(Configuration.EAGER_CREDITS_PROP_NAME,
                Integer.toString(Configuration.EAGER_CREDITS_DEFAULT)));
            if (credits < 1)
            {
                throw new IllegalArgumentException(Configuration.EAGER_CREDITS_PROP_NAME + "=" + credits +
                    " must be at least 1");
            }
            creditThreshold = Math.max(1, credits / 4);
            unexpectedPool = new UnexpectedMessagePool((long)credits * (size - 1));
            registrationCache = new RegistrationCache(transport,
                Integer.parseInt(settings.getOrDefault(Configuration.REGCACHE_MAX_ENTRIES_PROP_NAME,
                Integer.toString(Configuration.REGCACHE_MAX_ENTRIES_DEFAULT))),
                sizeSetting(settings, Configuration.REGCACHE_MAX_BYTES_PROP_NAME,
                Configuration.REGCACHE_MAX_BYTES_DEFAULT));
            stagingPool = new StagingPool(registrationCache, sizeSetting(settings,
                Configuration.STAGING_MAX_IDLE_BYTES_PROP_NAME, Configuration.STAGING_MAX_IDLE_BYTES_DEFAULT));
            rendezvous = new RendezvousProtocol(this, registrationCache, stagingPool, codec,
                RendezvousProtocol.useRead(capabilities, settings.getOrDefault(Configuration.RENDEZVOUS_PROP_NAME,
                "auto")));
            idleStrategy = IdleStrategies.forRank(settings, bootstrap.localSize());
            heapFrameCopy = arena.allocate(capabilities.maxHeaderBytes() + eagerLimit + 64, 64);
            peers = wireUp(bootstrap, settings);
        }
        catch (final RuntimeException ex)
        {
            transport.close();
            arena.close();
            codec.close();
            throw ex;
        }
    }

    /**
     * Selects and creates the transport, publishes this rank's address, fences, and declares every peer.
     *
     * @param bootstrap the job's key-value exchange; used only during this call.
     * @param settings  resolved configuration ({@link Configuration#values}).
     * @return a running engine.
     */
    public static MessagingEngine start(final Bootstrap bootstrap, final Map<String, String> settings)
    {
        return new MessagingEngine(bootstrap, settings);
    }

    private Peer[] wireUp(final Bootstrap bootstrap, final Map<String, String> settings)
    {
        final Peer[] result = new Peer[size];
        if (size == 1)
        {
            return result;
        }
        final byte[] kernel = KernelIdentity.current().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        bootstrap.put("javelin.transport." + rank, transportName.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        bootstrap.put("javelin.address." + rank, transport.localAddress());
        bootstrap.put("javelin.kernel." + rank, kernel);
        bootstrap.fence();
        bindThread(bootstrap, kernel, Configuration.BIND.get(settings));
        for (int peer = 0; peer < size; peer++)
        {
            if (peer == rank)
            {
                continue;
            }
            final String peerTransport = new String(bootstrap.get("javelin.transport." + peer),
                java.nio.charset.StandardCharsets.UTF_8);
            if (!peerTransport.equals(transportName))
            {
                throw new IllegalStateException("rank " + rank + " chose transport " + transportName + " but rank " +
                    peer + " chose " + peerTransport + ": give every rank the same --transport");
            }
            final Endpoint endpoint = transport.connect(peer, bootstrap.get("javelin.address." + peer));
            result[peer] = new Peer(peer, endpoint, credits);
        }
        return result;
    }

    /**
     * Binds this rank's thread to a CPU of its own ({@link CpuBinding}, {@link Configuration#BIND}), counting as
     * local the ranks that run under the same kernel: they share its CPUs, whatever their namespaces.
     */
    private void bindThread(final Bootstrap bootstrap, final byte[] kernel, final String policy)
    {
        if ("local".equals(bootstrap.kind()))
        {
            cpuBinding = CpuBinding.bindCurrentThread(policy, -1, size);
            return;
        }
        int localRank = 0;
        int localSize = 0;
        for (int peer = 0; peer < size; peer++)
        {
            if (peer == rank || java.util.Arrays.equals(kernel, bootstrap.get("javelin.kernel." + peer)))
            {
                localRank += peer < rank ? 1 : 0;
                localSize++;
            }
        }
        cpuBinding = CpuBinding.bindCurrentThread(policy, localRank, localSize);
    }

    /**
     * @return where this rank's thread runs: a CPU of its own, or unbound and why.
     */
    public CpuBinding cpuBinding()
    {
        return cpuBinding;
    }

    /**
     * @return this rank in the world.
     */
    public int rank()
    {
        return rank;
    }

    /**
     * @return ranks in the world.
     */
    public int size()
    {
        return size;
    }

    /**
     * @return the selected transport's name.
     */
    public String transportName()
    {
        return transportName;
    }

    /**
     * @return why this transport was selected, for {@code javelin info} and logs.
     */
    public String selectionReason()
    {
        return selectionReason;
    }

    /**
     * @return payload bytes up to which messages go eagerly.
     */
    public long eagerLimit()
    {
        return eagerLimit;
    }

    /**
     * @return the registration cache (for counters and for pinning allocated memory).
     */
    public RegistrationCache registrationCache()
    {
        return registrationCache;
    }

    /**
     * @return the transport's capabilities.
     */
    public TransportCapabilities capabilities()
    {
        return capabilities;
    }

    /**
     * Allocates native memory registered with the transport for the engine's lifetime: zero-copy.
     *
     * @param bytes size.
     * @return page-aligned memory.
     */
    public MemorySegment allocate(final long bytes)
    {
        final MemorySegment segment = arena.allocate(Math.max(1, bytes), 4096).asSlice(0, bytes);
        if (bytes > 0)
        {
            registrationCache.pin(segment, MemoryRegion.ALL_ACCESS);
        }
        return segment;
    }

    /**
     * Posts a send. The payload must not change until the request completes.
     *
     * @param context     communicator context.
     * @param destination world rank (validated by the caller).
     * @param tag         non-negative tag.
     * @param payload     heap or native memory, exactly the message.
     * @return the request.
     */
    public SendRequest postSend(final int context, final int destination, final int tag, final MemorySegment payload)
    {
        final long length = payload.byteSize();
        final SendRequest send = requestPool.send(nextId++, context, destination, tag, payload, length > eagerLimit);
        if (destination == rank)
        {
            sendToSelf(send);
            return send;
        }
        final Peer peer = peers[destination];
        if (null != peer.failure)
        {
            send.fail(CompletionError.PEER_FAILED, "rank " + destination + " failed: " + peer.failure);
            return send;
        }
        if (send.rendezvous && !rendezvous.prepareSend(send))
        {
            return send;
        }
        if (peer.dataQueue.isEmpty() && flushControl(peer) && postData(peer, send))
        {
            return send;
        }
        peer.dataQueue.addLast(send);
        markPending(peer);
        return send;
    }

    /**
     * Sends a message at once without a request where none is needed: an eager message to another rank whose
     * transport copies the payload before its send returns ({@link Endpoint#sendCopiesPayload()}, Aeron IPC),
     * with a credit in hand and nothing queued for that rank ahead of it. A blocking send tries this first and
     * saves taking, completing and handing back a request on its way to the peer.
     *
     * @param context     communicator context.
     * @param destination world rank (validated by the caller).
     * @param tag         non-negative tag.
     * @param payload     heap or native memory, exactly the message; free for reuse once this returns true.
     * @return true if the message is sent; false if nothing happened: post it with {@link #postSend}.
     */
    public boolean trySend(final int context, final int destination, final int tag, final MemorySegment payload)
    {
        if (destination == rank || payload.byteSize() > eagerLimit)
        {
            return false;
        }
        final Peer peer = peers[destination];
        if (!peer.sendCopiesPayload || !peer.helloSent || peer.sendCredits <= 0 || null != peer.failure ||
            !peer.dataQueue.isEmpty() || !peer.controlQueue.isEmpty())
        {
            return false;
        }
        // a refusal other than back-pressure leaves the peer broken: postSend then fails its request with it
        return TransportStatus.OK == postEager(peer, context, tag, payload, Endpoint.NO_COMPLETION);
    }

    /**
     * Posts a receive.
     *
     * @param context communicator context.
     * @param source  world rank or {@link #ANY_SOURCE}.
     * @param tag     tag or {@link #ANY_TAG}.
     * @param target  heap or native memory; a longer message is truncated (TRUNCATE).
     * @return the request.
     */
    public ReceiveRequest postReceive(final int context, final int source, final int tag, final MemorySegment target)
    {
        final ReceiveRequest receive = requestPool.receive(nextId++, context, source, tag, target);
        final UnexpectedMessage message = queues.findUnexpected(context, source, tag, true);
        if (null == message)
        {
            if (source != ANY_SOURCE && source != rank && null != peers[source].failure)
            {
                receive.fail(CompletionError.PEER_FAILED, "rank " + source + " failed: " + peers[source].failure);
                return receive;
            }
            queues.appendPosted(receive);
            return receive;
        }
        switch (message.kind)
        {
            case UnexpectedMessage.EAGER ->
            {
                final int n = (int)Math.min(message.length, target.byteSize());
                MemorySegment.copy(message.payload, 0, target, ValueLayout.JAVA_BYTE, 0, n);
                completeReceive(receive, message.source, message.tag, message.length, n);
                returnCredit(peers[message.source]);
            }
            case UnexpectedMessage.RENDEZVOUS ->
            {
                rendezvous.startReceive(receive, peers[message.source], message.source, message.tag, message.length,
                    message.address, message.remoteKey, message.senderRequestId);
            }
            default -> matchSelf(receive, message);
        }
        unexpectedPool.recycle(message);
        return receive;
    }

    /**
     * Gives a completed request back for reuse by a later post, so that posting allocates nothing. Optional:
     * a request that is never released is garbage collected as usual. After this call the caller must not
     * use the request (nor any {@code Request} wrapping it) again: a later post hands it out anew.
     *
     * @param request a completed request of this engine, released once.
     * @throws IllegalStateException if the request has not completed or was released already.
     */
    public void release(final MessageRequest request)
    {
        requestPool.release(request);
    }

    /**
     * Looks for a matching message that has arrived, without receiving it.
     *
     * @return true if one was found; then {@link #probeSource()}, {@link #probeTag()} and
     *         {@link #probeLength()} describe it.
     */
    public boolean probe(final int context, final int source, final int tag)
    {
        final UnexpectedMessage message = queues.findUnexpected(context, source, tag, false);
        if (null == message)
        {
            return false;
        }
        probeSource = message.source;
        probeTag = message.tag;
        probeLength = message.length;
        return true;
    }

    /**
     * @return world rank of the last successful probe's message.
     */
    public int probeSource()
    {
        return probeSource;
    }

    /**
     * @return tag of the last successful probe's message.
     */
    public int probeTag()
    {
        return probeTag;
    }

    /**
     * @return byte length of the last successful probe's message.
     */
    public long probeLength()
    {
        return probeLength;
    }

    /**
     * Makes progress: drives the transport, then sends what waited for credits or transport space.
     *
     * @return work done, 0 when idle.
     */
    public int progress()
    {
        int work = transport.progress();
        if (pendingPeers > 0)
        {
            work += flushPendingPeers();
        }
        return work;
    }

    /**
     * Makes progress until the request completes, spinning first, then yielding, then parking.
     *
     * @param request a request of this engine.
     */
    public void await(final MessageRequest request)
    {
        final IdleStrategy idle = idleStrategy;
        while (!request.complete && !awaitArrival(request))
        {
            idle.idle(progress());
        }
        idle.reset();
    }

    /**
     * Makes progress until the request completes or {@code polls} polls have gone by, idling between polls as
     * {@link #await(MessageRequest)} does. The idle strategy is reset only when the request completes, so that
     * a caller that waits in slices (running a check between them) still backs off from spinning to yielding
     * to parking as a single wait would.
     *
     * @param request a request of this engine.
     * @param polls   most polls in this slice.
     * @return true if the request has completed, false if the slice ran out first.
     */
    public boolean await(final MessageRequest request, final int polls)
    {
        final IdleStrategy idle = idleStrategy;
        for (int remaining = polls; !request.complete && !awaitArrival(request); remaining--)
        {
            if (remaining <= 0)
            {
                return false;
            }
            idle.idle(progress());
        }
        idle.reset();
        return true;
    }

    /**
     * The tight loop of a spinning wait: while the idle strategy spins, polls the transport's arrivals alone
     * ({@link Transport#pollArrivals()}, where the transport has such a poll), up to {@link #ARRIVAL_POLLS}
     * times, and stops at the first message. Between two polls of a whole
     * progress call (every connection, completions, the driver's clock) a message that lands waits for the
     * rest of that call; here it is seen at once (8-byte one-way over Aeron IPC: P50 0.14 to 0.11 us). The
     * caller then makes a whole progress call as before, which also sends what the message set off.
     *
     * @return true if the request has completed.
     */
    private boolean awaitArrival(final MessageRequest request)
    {
        if (!spinning())
        {
            return false;
        }
        for (int i = 0; i < ARRIVAL_POLLS; i++)
        {
            final int arrived = transport.pollArrivals();
            if (0 != arrived)
            {
                return arrived > 0 && request.complete; // or the transport has no such poll
            }
        }
        return false;
    }

    /**
     * @return true while the idle strategy spins (not when it yields or parks: a rank that shares its core must
     *         not spin in a tight loop).
     */
    private boolean spinning()
    {
        return idleStrategy instanceof SpinYieldParkIdleStrategy strategy ? strategy.spinning() :
            idleStrategy instanceof BusySpinIdleStrategy;
    }

    /**
     * Withdraws a receive that no message has matched yet: it leaves the posted queue and completes with
     * {@link CompletionError#CANCELLED}, so no later message can write into its buffer. A receive that a
     * message has matched already (a rendezvous transfer may still be under way) cannot be withdrawn: it
     * completes as usual.
     *
     * @param receive a receive of this engine.
     * @return true if it was withdrawn, false if it had been matched (or had completed) already.
     */
    public boolean cancel(final ReceiveRequest receive)
    {
        if (receive.complete || !queues.removePosted(receive))
        {
            return false;
        }
        receive.fail(CompletionError.CANCELLED, "receive cancelled before any message matched it");
        return true;
    }

    /**
     * @param receive a receive of this engine.
     * @return true while it waits in the posted queue, that is no message has matched it yet.
     */
    public boolean isPosted(final ReceiveRequest receive)
    {
        return !receive.complete && queues.containsPosted(receive);
    }

    /**
     * Idles once between polls of several requests (as {@link #await(MessageRequest)} does).
     *
     * @param workCount work done by the last poll.
     */
    public void idle(final int workCount)
    {
        idleStrategy.idle(workCount);
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            transport.close();
        }
        finally
        {
            registrationCache.close();
            stagingPool.close();
            codec.close();
            arena.close();
        }
    }

    // ---------------------------------------------------------------- sending

    private boolean postData(final Peer peer, final SendRequest send)
    {
        if (!peer.helloSent && !sendHello(peer))
        {
            return false;
        }
        if (!send.rendezvous && peer.sendCredits <= 0)
        {
            send.rendezvous = true;
            if (!rendezvous.prepareSend(send))
            {
                return true;
            }
        }
        final int status = send.rendezvous ? postRendezvousStart(peer, send) : postEager(peer, send.context, send.tag,
            send.buffer, peer.sendCopiesPayload ? Endpoint.NO_COMPLETION : cookie(send.id, COOKIE_EAGER));
        if (status == TransportStatus.BACK_PRESSURED)
        {
            return false;
        }
        if (status < 0)
        {
            send.fail(CompletionError.TRANSPORT, "send to rank " + peer.rank + " failed: " +
                TransportStatus.name(status));
            rendezvous.releaseSendLease(send);
            return true;
        }
        if (!send.rendezvous && peer.sendCopiesPayload)
        {
            send.succeed(send.peer, send.tag, send.buffer.byteSize()); // the payload is in the transport already
            return true;
        }
        active.put(send.id, send);
        return true;
    }

    /**
     * Encodes the rendezvous start of a send (its lease taken) and posts it to the peer; unless the transport
     * pushed back, the peer's send sequence moves on and the credits owed to it go along.
     *
     * @return the transport's status.
     */
    private int postRendezvousStart(final Peer peer, final SendRequest send)
    {
        final int returned = peer.creditsToReturn;
        final int frameLength = codec.rendezvousStart(send.context, rank, send.tag, peer.nextSendSequence, returned,
            send.buffer.byteSize(), send.lease.remoteAddress(), send.lease.region().remoteKey(), send.id);
        final int status = peer.endpoint.send(codec.frame(), frameLength, MemorySegment.NULL, 0, 0,
            controlCookie(peer));
        if (status != TransportStatus.BACK_PRESSURED)
        {
            peer.creditsToReturn -= returned;
            peer.nextSendSequence++;
        }
        return status;
    }

    /**
     * Encodes an eager message and posts it to the peer; unless the transport pushed back, the peer's send
     * sequence and credit move on and the credits owed to it go along.
     *
     * @return the transport's status.
     */
    private int postEager(final Peer peer, final int context, final int tag, final MemorySegment payload,
        final long cookie)
    {
        final int returned = peer.creditsToReturn;
        final int frameLength = codec.eager(context, tag, peer.nextSendSequence, returned);
        final int status = peer.endpoint.send(codec.frame(), frameLength, payload, 0, payload.byteSize(), cookie);
        if (status != TransportStatus.BACK_PRESSURED)
        {
            peer.creditsToReturn -= returned;
            peer.nextSendSequence++;
            peer.sendCredits--;
        }
        return status;
    }

    /**
     * @return the cookie of a control frame (no payload; nothing waits for its completion).
     */
    private static long controlCookie(final Peer peer)
    {
        return peer.sendCopiesPayload ? Endpoint.NO_COMPLETION : COOKIE_IGNORE;
    }

    private boolean sendHello(final Peer peer)
    {
        peer.helloSent = true;
        sendControl(peer, codec.hello(rank, size, PROTOCOL_VERSION));
        return peer.controlQueue.isEmpty();
    }

    /**
     * Posts the control frame just encoded in the codec; queues a copy if the transport is full.
     *
     * @return true if posted now.
     */
    boolean sendControl(final Peer peer, final int frameLength)
    {
        if (peer.controlQueue.isEmpty())
        {
            final int status = peer.endpoint.send(codec.frame(), frameLength, MemorySegment.NULL, 0, 0,
                controlCookie(peer));
            if (status != TransportStatus.BACK_PRESSURED)
            {
                return status >= 0;
            }
        }
        final byte[] copy = new byte[frameLength];
        MemorySegment.copy(codec.frame(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0, copy, 0, frameLength);
        peer.controlQueue.addLast(copy);
        markPending(peer);
        return false;
    }

    /**
     * @return credits owed to the peer, now counted as returned (to be carried by the frame being encoded).
     */
    int takeCredits(final Peer peer)
    {
        final int owed = peer.creditsToReturn;
        peer.creditsToReturn = 0;
        return owed;
    }

    private boolean flushControl(final Peer peer)
    {
        while (!peer.controlQueue.isEmpty())
        {
            final byte[] frame = peer.controlQueue.peekFirst();
            MemorySegment.copy(frame, 0, codec.frame(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0, frame.length);
            final int status = peer.endpoint.send(codec.frame(), frame.length, MemorySegment.NULL, 0, 0,
                COOKIE_IGNORE);
            if (status == TransportStatus.BACK_PRESSURED)
            {
                return false;
            }
            peer.controlQueue.pollFirst();
        }
        return true;
    }

    private int flushPendingPeers()
    {
        int work = 0;
        for (final Peer peer : peers)
        {
            if (null == peer || !peer.pending)
            {
                continue;
            }
            while (!peer.rmaQueue.isEmpty() && null == peer.failure &&
                rendezvous.postRma(peer, peer.rmaQueue.peekFirst()))
            {
                peer.rmaQueue.pollFirst();
                work++;
            }
            if (flushControl(peer))
            {
                while (!peer.dataQueue.isEmpty() && null == peer.failure)
                {
                    if (!postData(peer, peer.dataQueue.peekFirst()))
                    {
                        break;
                    }
                    peer.dataQueue.pollFirst();
                    work++;
                }
            }
            if (!peer.hasQueuedWork())
            {
                peer.pending = false;
                pendingPeers--;
            }
        }
        return work;
    }

    void queueRma(final Peer peer, final MessageRequest request)
    {
        peer.rmaQueue.addLast(request);
        markPending(peer);
    }

    private void markPending(final Peer peer)
    {
        if (!peer.pending)
        {
            peer.pending = true;
            pendingPeers++;
        }
    }

    private void returnCredit(final Peer peer)
    {
        if (++peer.creditsToReturn >= creditThreshold)
        {
            sendControl(peer, codec.credit(takeCredits(peer)));
        }
    }

    private void sendToSelf(final SendRequest send)
    {
        final long length = send.buffer.byteSize();
        final ReceiveRequest receive = queues.takePosted(send.context, rank, send.tag);
        if (null != receive)
        {
            final long n = Math.min(length, receive.buffer.byteSize());
            MemorySegment.copy(send.buffer, 0, receive.buffer, 0, n);
            completeReceive(receive, rank, send.tag, length, n);
            send.succeed(rank, send.tag, length);
            return;
        }
        final UnexpectedMessage message = unexpectedPool.take();
        message.kind = UnexpectedMessage.SELF;
        message.context = send.context;
        message.source = rank;
        message.tag = send.tag;
        message.length = length;
        if (length <= eagerLimit)
        {
            MemorySegment.copy(send.buffer, ValueLayout.JAVA_BYTE, 0,
                UnexpectedMessagePool.payloadOf(message, (int)length), 0, (int)length);
            send.succeed(rank, send.tag, length);
        }
        else
        {
            message.selfSend = send;
        }
        queues.appendUnexpected(message);
    }

    private void matchSelf(final ReceiveRequest receive, final UnexpectedMessage message)
    {
        final long n = Math.min(message.length, receive.buffer.byteSize());
        if (null != message.selfSend)
        {
            MemorySegment.copy(message.selfSend.buffer, 0, receive.buffer, 0, n);
            message.selfSend.succeed(rank, message.tag, message.length);
        }
        else
        {
            MemorySegment.copy(message.payload, 0, receive.buffer, ValueLayout.JAVA_BYTE, 0, (int)n);
        }
        completeReceive(receive, rank, message.tag, message.length, n);
    }

    void completeReceive(final ReceiveRequest receive, final int source, final int tag, final long length,
        final long received)
    {
        receive.messageLength = length;
        if (received < length)
        {
            receive.statusSource = source;
            receive.statusTag = tag;
            receive.statusBytes = received;
            receive.fail(CompletionError.TRUNCATE, "message of " + length + " bytes from rank " + source + " (tag " +
                tag + ") is longer than the receive buffer of " + receive.buffer.byteSize() +
                " bytes: post a larger buffer (probe tells the length first)");
        }
        else
        {
            receive.succeed(source, tag, length);
        }
    }

    // ---------------------------------------------------------------- arrivals

    @Override
    public void onMessage(final Endpoint source, final MemorySegment buffer, final long offset, final int length)
    {
        final Peer peer = peers[source.peerId()];
        MemorySegment frame = buffer;
        long frameOffset = offset;
        if (buffer.isNative())
        {
            decodeBuffer.wrap(buffer.address() + offset, length);
        }
        else
        {
            if (length > heapFrameCopy.byteSize())
            {
                protocolError(peer, "frame of " + length + " bytes exceeds the largest expected");
                return;
            }
            MemorySegment.copy(buffer, offset, heapFrameCopy, 0, length);
            decodeBuffer.wrap(heapFrameCopy.address(), length);
            frame = heapFrameCopy;
            frameOffset = 0;
        }
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            protocolError(peer, "frame of " + length + " bytes is shorter than a message header");
            return;
        }
        headerDecoder.wrap(decodeBuffer, 0);
        final int blockLength = headerDecoder.blockLength();
        final int bodyOffset = MessageHeaderDecoder.ENCODED_LENGTH;
        if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID || bodyOffset + blockLength > length)
        {
            protocolError(peer, "frame with schema " + headerDecoder.schemaId() + " and block length " + blockLength +
                " in " + length + " bytes is not a Javelin message");
            return;
        }
        final int version = headerDecoder.version();
        final int templateId = headerDecoder.templateId();
        if (blockLength < minimumBlockLength(templateId))
        {
            protocolError(peer, "message type " + templateId + " with a block of " + blockLength + " bytes, shorter " +
                "than its fields");
            return;
        }
        switch (templateId)
        {
            case EagerDecoder.TEMPLATE_ID ->
            {
                eagerDecoder.wrap(decodeBuffer, bodyOffset, blockLength, version);
                onEager(peer, frame, frameOffset + bodyOffset + blockLength, length - bodyOffset - blockLength);
            }
            case RendezvousStartDecoder.TEMPLATE_ID ->
            {
                rtsDecoder.wrap(decodeBuffer, bodyOffset, blockLength, version);
                onRendezvousStart(peer);
            }
            case ClearToSendDecoder.TEMPLATE_ID ->
            {
                ctsDecoder.wrap(decodeBuffer, bodyOffset, blockLength, version);
                addCredits(peer, ctsDecoder.credits());
                rendezvous.onClearToSend(peer, ctsDecoder.sendRequestId(), ctsDecoder.receiveRequestId(),
                    ctsDecoder.address(), ctsDecoder.remoteKey(), ctsDecoder.length());
            }
            case FinishDecoder.TEMPLATE_ID ->
            {
                finDecoder.wrap(decodeBuffer, bodyOffset, blockLength, version);
                addCredits(peer, finDecoder.credits());
                final CompletionCode code = finDecoder.code();
                if (code == CompletionCode.NULL_VAL)
                {
                    protocolError(peer, "FIN with unknown completion code");
                    return;
                }
                rendezvous.onFinish(peer, finDecoder.requestId(), code);
            }
            case CreditDecoder.TEMPLATE_ID ->
            {
                creditDecoder.wrap(decodeBuffer, bodyOffset, blockLength, version);
                addCredits(peer, creditDecoder.credits());
            }
            case HelloDecoder.TEMPLATE_ID ->
            {
                helloDecoder.wrap(decodeBuffer, bodyOffset, blockLength, version);
                if (helloDecoder.protocolVersion() != PROTOCOL_VERSION || helloDecoder.jobSize() != size ||
                    helloDecoder.rank() != peer.rank)
                {
                    protocolError(peer, "Hello from rank " + helloDecoder.rank() + " speaks protocol " +
                        helloDecoder.protocolVersion() + " in a job of " + helloDecoder.jobSize() + " ranks; this" +
                        " rank expects protocol " + PROTOCOL_VERSION + ", " + size + " ranks: use the same Javelin" +
                        " version on every rank");
                }
            }
            case AbortDecoder.TEMPLATE_ID ->
            {
                abortDecoder.wrap(decodeBuffer, bodyOffset, blockLength, version);
                failPeer(peer, "rank " + abortDecoder.rank() + " aborted the job (code " +
                    abortDecoder.errorCode() + ")");
            }
            default -> protocolError(peer, "unknown message type " + templateId);
        }
    }

    /**
     * @return the block length that holds every field of this version of a message type (0 for an unknown type,
     *         which the caller rejects): a shorter block would make its decoder read past the frame.
     */
    private static int minimumBlockLength(final int templateId)
    {
        return switch (templateId)
        {
            case EagerDecoder.TEMPLATE_ID -> EagerDecoder.BLOCK_LENGTH;
            case RendezvousStartDecoder.TEMPLATE_ID -> RendezvousStartDecoder.BLOCK_LENGTH;
            case ClearToSendDecoder.TEMPLATE_ID -> ClearToSendDecoder.BLOCK_LENGTH;
            case FinishDecoder.TEMPLATE_ID -> FinishDecoder.BLOCK_LENGTH;
            case CreditDecoder.TEMPLATE_ID -> CreditDecoder.BLOCK_LENGTH;
            case HelloDecoder.TEMPLATE_ID -> HelloDecoder.BLOCK_LENGTH;
            case AbortDecoder.TEMPLATE_ID -> AbortDecoder.BLOCK_LENGTH;
            default -> 0;
        };
    }

    private void onEager(final Peer peer, final MemorySegment frame, final long payloadOffset,
        final int payloadLength)
    {
        final int context = eagerDecoder.context();
        final int source = peer.rank;
        final int tag = eagerDecoder.tag();
        if (!checkSequence(peer, eagerDecoder.sequence()))
        {
            protocolError(peer, "Eager frame out of sequence (" + payloadLength + " bytes of payload)");
            return;
        }
        addCredits(peer, eagerDecoder.credits());
        final ReceiveRequest receive = queues.takePosted(context, source, tag);
        if (null != receive)
        {
            final long n = Math.min(payloadLength, receive.buffer.byteSize());
            MemorySegment.copy(frame, payloadOffset, receive.buffer, 0, n);
            completeReceive(receive, source, tag, payloadLength, n);
            returnCredit(peer);
            return;
        }
        final UnexpectedMessage message = unexpectedPool.take();
        message.kind = UnexpectedMessage.EAGER;
        message.context = context;
        message.source = source;
        message.tag = tag;
        message.length = payloadLength;
        MemorySegment.copy(frame, ValueLayout.JAVA_BYTE, payloadOffset,
            UnexpectedMessagePool.payloadOf(message, payloadLength), 0, payloadLength);
        queues.appendUnexpected(message);
    }

    private void onRendezvousStart(final Peer peer)
    {
        final int context = rtsDecoder.context();
        final int source = rtsDecoder.source();
        final int tag = rtsDecoder.tag();
        final long length = rtsDecoder.length();
        if (source != peer.rank || length < 0 || !checkSequence(peer, rtsDecoder.sequence()))
        {
            protocolError(peer, "RTS inconsistent: source " + source + ", length " + length);
            return;
        }
        addCredits(peer, rtsDecoder.credits());
        final ReceiveRequest receive = queues.takePosted(context, source, tag);
        if (null != receive)
        {
            rendezvous.startReceive(receive, peer, source, tag, length, rtsDecoder.address(),
                rtsDecoder.remoteKey(), rtsDecoder.sendRequestId());
            return;
        }
        final UnexpectedMessage message = unexpectedPool.take();
        message.kind = UnexpectedMessage.RENDEZVOUS;
        message.context = context;
        message.source = source;
        message.tag = tag;
        message.length = length;
        message.address = rtsDecoder.address();
        message.remoteKey = rtsDecoder.remoteKey();
        message.senderRequestId = rtsDecoder.sendRequestId();
        queues.appendUnexpected(message);
    }

    private boolean checkSequence(final Peer peer, final int sequence)
    {
        return sequence == peer.expectedSequence++;
    }

    private void addCredits(final Peer peer, final int returned)
    {
        if (returned < 0 || returned > credits)
        {
            protocolError(peer, "credit count " + returned + " out of range");
            return;
        }
        peer.sendCredits += returned;
    }

    @Override
    public void onCompletion(final long cookie, final int status)
    {
        final int kind = (int)(cookie & 3);
        if (kind == COOKIE_IGNORE)
        {
            return;
        }
        final long id = cookie >>> 2;
        switch (kind)
        {
            case COOKIE_EAGER ->
            {
                final MessageRequest send = active.remove(id);
                if (null == send)
                {
                    return;
                }
                if (status == TransportStatus.OK)
                {
                    send.succeed(send.peer, send.tag, send.buffer.byteSize());
                }
                else
                {
                    send.fail(status == TransportStatus.PEER_FAILED ? CompletionError.PEER_FAILED :
                        status == TransportStatus.CANCELLED ? CompletionError.CANCELLED : CompletionError.TRANSPORT,
                        "send to rank " + send.peer + " failed: " + TransportStatus.name(status));
                }
            }
            case COOKIE_READ -> rendezvous.onReadComplete(active.get(id), status);
            default -> rendezvous.onWriteComplete(active.get(id), status);
        }
    }

    @Override
    public void onPeerFailure(final Endpoint endpoint, final String reason)
    {
        failPeer(peers[endpoint.peerId()], reason);
    }

    private void protocolError(final Peer peer, final String what)
    {
        failPeer(peer, "protocol error from rank " + peer.rank + ": " + what);
    }

    private void failPeer(final Peer peer, final String reason)
    {
        if (null != peer.failure || closed)
        {
            return;
        }
        peer.failure = reason;
        final String message = "rank " + peer.rank + " failed: " + reason;
        while (!peer.dataQueue.isEmpty())
        {
            peer.dataQueue.pollFirst().fail(CompletionError.PEER_FAILED, message);
        }
        peer.controlQueue.clear();
        peer.rmaQueue.clear();
        final long[] ids = active.keySet().stream().mapToLong(Long::longValue).toArray();
        for (final long id : ids)
        {
            final MessageRequest request = active.get(id);
            if (null != request && request.peer == peer.rank)
            {
                active.remove(id);
                request.fail(CompletionError.PEER_FAILED, message);
            }
        }
        for (ReceiveRequest r = queues.postedHead(); null != r; )
        {
            final ReceiveRequest next = r.next;
            if (r.source == peer.rank)
            {
                queues.removePosted(r);
                r.fail(CompletionError.PEER_FAILED, message);
            }
            r = next;
        }
    }

    // ---------------------------------------------------------------- for the protocols

    Peer peer(final int rank)
    {
        return peers[rank];
    }

    void track(final MessageRequest request)
    {
        active.put(request.id, request);
    }

    void untrack(final MessageRequest request)
    {
        active.remove(request.id);
    }

    MessageRequest tracked(final long id)
    {
        return active.get(id);
    }

    static long cookie(final long id, final int kind)
    {
        return (id << 2) | kind;
    }

    private static long sizeSetting(final Map<String, String> settings, final String key, final long defaultValue)
    {
        final String value = settings.get(key);
        return null == value || value.isBlank() ? defaultValue : io.javelin.transport.Sizes.parseBytes(key, value);
    }
}
