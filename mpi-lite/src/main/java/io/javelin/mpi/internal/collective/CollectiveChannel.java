package io.javelin.mpi.internal.collective;

import io.javelin.messaging.CompletionError;
import io.javelin.messaging.MessageRequest;
import io.javelin.messaging.MessagingEngine;
import io.javelin.messaging.ReceiveRequest;
import io.javelin.messaging.SendRequest;
import io.javelin.mpi.ElementType;
import io.javelin.mpi.ErrorClass;
import io.javelin.mpi.JavelinException;
import io.javelin.mpi.internal.Errors;

import java.lang.foreign.MemorySegment;

/**
 * The collective traffic of one communicator: point-to-point on its collective context (which user
 * messages never match), in communicator ranks, plus scratch memory and reductions.
 *
 * <p>Tags: the channel numbers the communicator's collectives ({@link #begin}; every rank calls them in the
 * same order) and tags each message with that number and the algorithm's phase ({@link CollectiveTags}), so a
 * message of a failed collective never matches a later one's receive.
 *
 * <p>Ranks whose calls do not match are reported, never left hanging:
 * <ul>
 *   <li>Lengths: every receive of a collective expects an exact length. A message of another length means
 *       that ranks passed different counts; the channel then records the error, lets the algorithm run to
 *       its end and {@link #end()} throws it, naming the collective: TRUNCATE for a longer message,
 *       INVALID_ARGUMENT for a shorter one. Before it throws, it sends every other rank POISON (below): ranks
 *       whose algorithm needs more messages from this one would otherwise wait for ever.</li>
 *   <li>Algorithms and steps: counts on either side of a switch point (say one rank below
 *       {@code javelin.coll.allreduce.large.min.bytes}, another above), or lengths that give another number of
 *       segments, make ranks wait for messages that never come. A wait polls in slices of {@value #CHECK_POLLS}
 *       polls and, between slices, runs the {@link MismatchDetector}: an unexpected message of this
 *       collective (or a later one) from a rank this one still waits for, a message of this collective in a
 *       phase that this rank's {@link #algorithm} does not have, or POISON from any rank ends the collective
 *       with INVALID_ARGUMENT on this rank; it then sends POISON to every other rank, so that every stuck rank
 *       reports too, and withdraws its posted receives. The normal path pays nothing for this: no extra
 *       message, probe or allocation while waits are short.</li>
 * </ul>
 * Either way the communicator works on: a later collective matches none of the failed one's messages (its
 * strays are dropped when found; a rendezvous send of the failed collective that no rank received stays
 * pending until then). Failures that stop communication (a dead peer, a transport error) are thrown at once,
 * after the collective's receives still posted have been withdrawn.
 *
 * <p>Usage: {@link #begin}, the algorithm, {@link #end}. Not thread-safe: the rank's thread.
 */
public final class CollectiveChannel
{
    /** Polls of a wait between two mismatch checks. */
    static final int CHECK_POLLS = 256;

    private final MessagingEngine engine;
    private final int context;
    private final int[] worldRanks;
    private final int rank;
    private final CollectiveResources resources;
    private final MismatchDetector detector;
    private final BlockLayout layout;
    private String operation = "collective";
    private JavelinException deferred;
    private int sequence;
    private String algorithm;
    private int phases;
    private PipelinedExchange.ExchangeSlots exchangeSlots = new PipelinedExchange.ExchangeSlots(1);

    /**
     * @param engine     the rank's engine.
     * @param context    the communicator's collective matching context.
     * @param worldRanks world rank of each communicator rank.
     * @param rank       this rank in the communicator.
     * @param resources  the rank's scratch memory, kernels and switch points.
     */
    public CollectiveChannel(final MessagingEngine engine, final int context, final int[] worldRanks, final int rank,
        final CollectiveResources resources)
    {
        this.engine = engine;
        this.context = context;
        this.worldRanks = worldRanks;
        this.rank = rank;
        this.resources = resources;
        this.detector = new MismatchDetector(engine, context, worldRanks, rank);
        this.layout = new BlockLayout(worldRanks.length);
    }

    /**
     * @return the longest segment a pipelined exchange is cut into ({@link PipelinedExchange}): no limit where
     *         rendezvous transfers to one peer overlap one another ({@code TransportCapabilities.rendezvousOverlaps});
     *         else the eager limit, since each segment above it would be a rendezvous of its own that only waits
     *         for the last.
     */
    long uncutAbove()
    {
        return engine.capabilities().rendezvousOverlaps() ? Long.MAX_VALUE : engine.eagerLimit();
    }

    /**
     * @return bytes from which allreduce runs Rabenseifner's algorithm, for this channel's transport
     *         ({@link CollectiveConfiguration#allreduceLargeMinBytes}).
     */
    long allreduceLargeMinBytes()
    {
        return configuration().allreduceLargeMinBytes(engine.capabilities().rendezvousOverlaps());
    }

    /**
     * Starts a collective: the next sequence number, scratch memory is free again (and slices are remembered
     * from the first on), no error is recorded.
     *
     * @param name the collective, for error messages ("allreduce").
     */
    public void begin(final String name)
    {
        if (detector.tracking())
        {
            // the previous collective stopped by an exception from outside the channel
            detector.abandon();
        }
        operation = name;
        deferred = null;
        algorithm = name;
        phases = 0;
        sequence++;
        resources.scratch().reset();
        resources.slices().reset();
    }

    /**
     * Ends a collective.
     *
     * @throws JavelinException the first length mismatch seen since {@link #begin}, after POISON went to
     *                          every other rank.
     */
    public void end()
    {
        detector.forget();
        final JavelinException error = deferred;
        deferred = null;
        if (null != error)
        {
            detector.poison(sequence);
            throw error;
        }
    }

    /**
     * Declares the algorithm this rank runs and the phases of its messages: a message of this collective in
     * another phase then proves that ranks chose different algorithms. Optional (without it that check is
     * off); a collective that runs another one inside declares both (the sets are joined).
     *
     * @param name   the algorithm, for error messages ("ring").
     * @param phases its phases, as {@link CollectiveTags#bit} ORed together.
     */
    void algorithm(final String name, final int phases)
    {
        this.algorithm = name;
        this.phases |= phases;
    }

    int rank()
    {
        return rank;
    }

    int size()
    {
        return worldRanks.length;
    }

    CollectiveConfiguration configuration()
    {
        return resources.configuration();
    }

    /**
     * @return the channel's layout of one block per rank, for an algorithm that lays out its own blocks (it
     *         sets the layout, which stays valid until the next {@link #begin}).
     */
    BlockLayout layout()
    {
        return layout;
    }

    /**
     * @param bytes size.
     * @return native scratch memory valid until the next {@link #begin}.
     */
    MemorySegment scratch(final long bytes)
    {
        return resources.scratch().take(bytes);
    }

    /**
     * @param buffer a buffer of the collective (a user's, scratch memory).
     * @param offset first byte.
     * @param length bytes.
     * @return that part of the buffer: the buffer itself if it covers it, else a slice, the same object as in
     *         the last collective that asked for it at the same point ({@link SliceCache}).
     */
    MemorySegment slice(final MemorySegment buffer, final long offset, final long length)
    {
        return resources.slices().slice(buffer, offset, length);
    }

    /**
     * @param buffer a buffer of blocks.
     * @param layout where the blocks lie.
     * @param block  a block (rank).
     * @return that block's memory, as {@link #slice}.
     */
    MemorySegment block(final MemorySegment buffer, final BlockLayout layout, final int block)
    {
        return slice(buffer, layout.offset(block), layout.length(block));
    }

    /**
     * {@code inout = inout op in}, element-wise.
     */
    void reduce(final ReductionOp op, final ElementType type, final MemorySegment inout, final MemorySegment in)
    {
        resources.reducer().reduce(op, type, inout, in);
    }

    /**
     * {@code out = a op b}, element-wise (out may be a or b).
     */
    void reduce(final ReductionOp op, final ElementType type, final MemorySegment out, final MemorySegment a,
        final MemorySegment b)
    {
        resources.reducer().reduce(op, type, out, a, b);
    }

    /**
     * @param phase the message's phase ({@link CollectiveTags}); the channel adds the sequence number.
     */
    SendRequest postSend(final int destination, final int phase, final MemorySegment payload)
    {
        return engine.postSend(context, worldRanks[destination], CollectiveTags.tag(sequence, phase), payload);
    }

    /**
     * Sends at once where no request is needed ({@link MessagingEngine#trySend}: an eager message over a
     * transport that copies it), else posts the send as {@link #postSend}.
     *
     * @return the request, or null if the message is sent already; {@link #awaitSend} and {@link #release} take
     *         either.
     */
    SendRequest sendOrPost(final int destination, final int phase, final MemorySegment payload)
    {
        final int worldRank = worldRanks[destination];
        final int tag = CollectiveTags.tag(sequence, phase);
        return engine.trySend(context, worldRank, tag, payload) ? null : engine.postSend(context, worldRank, tag,
            payload);
    }

    /**
     * Posts a receive that expects exactly {@code target.byteSize()} bytes. The channel tracks it until it is
     * released, or until the collective ends or fails (when it is withdrawn if still unmatched).
     *
     * @param phase the message's phase ({@link CollectiveTags}); the channel adds the sequence number.
     */
    ReceiveRequest postReceive(final int source, final int phase, final MemorySegment target)
    {
        final ReceiveRequest receive = engine.postReceive(context, worldRanks[source],
            CollectiveTags.tag(sequence, phase), target);
        detector.track(receive, source, phase);
        return receive;
    }

    void awaitSend(final SendRequest send)
    {
        if (null == send)
        {
            return; // sent at once (see sendOrPost)
        }
        await(send);
        if (send.error() != CompletionError.NONE)
        {
            throw failure(send);
        }
    }

    void awaitReceive(final ReceiveRequest receive)
    {
        await(receive);
        final CompletionError error = receive.error();
        final long expected = receive.buffer().byteSize();
        if (error == CompletionError.TRUNCATE)
        {
            defer(new JavelinException(ErrorClass.TRUNCATE, operation + ": rank " + source(receive) + " sent a " +
                "message longer than the " + expected + " bytes this rank expected: " + MismatchDetector.FIX));
        }
        else if (error != CompletionError.NONE)
        {
            throw failure(receive);
        }
        else if (receive.statusBytes() != expected)
        {
            defer(Errors.invalid(operation + ": rank " + source(receive) + " sent " + receive.statusBytes() +
                " bytes where this rank expected " + expected + ": " + MismatchDetector.FIX));
        }
    }

    /**
     * Hands a completed receive back to the engine for reuse (no longer tracked); the caller drops it.
     */
    void release(final ReceiveRequest receive)
    {
        detector.untrack(receive);
        engine.release(receive);
    }

    /**
     * Hands a completed send back to the engine for reuse (nothing for null: a send that went at once); the
     * caller drops it.
     */
    void release(final SendRequest send)
    {
        if (null != send)
        {
            engine.release(send);
        }
    }

    /**
     * @param segments messages each way of the exchange.
     * @return the channel's request arrays for one {@link PipelinedExchange}, at least that long.
     */
    PipelinedExchange.ExchangeSlots exchangeSlots(final int segments)
    {
        if (exchangeSlots.capacity() < segments)
        {
            exchangeSlots = new PipelinedExchange.ExchangeSlots(segments);
        }
        return exchangeSlots;
    }

    /**
     * @param count sends that an algorithm has in flight at once (a root's sends to its children).
     * @return the channel's array for them (the sends of its {@link #exchangeSlots}), at least that long, reused
     *         by every collective so that a warm one allocates none; one user at a time (it does not nest with
     *         {@link #exchangeSlots}'s users either).
     *         Entries are stale until set; users clear them as their requests go back to the engine.
     */
    SendRequest[] sendSlots(final int count)
    {
        return exchangeSlots(count).sends;
    }

    /**
     * @param count receives that an algorithm has posted at once (a root's receives from every rank).
     * @return the channel's array for them, at least that long; as {@link #sendSlots}.
     */
    ReceiveRequest[] receiveSlots(final int count)
    {
        return exchangeSlots(count).receives;
    }

    // The blocking helpers below hand their requests back to the engine for reuse once read (none of them is
    // visible outside this call); on failure they leave them to the garbage collector.

    /**
     * Waits for a send and hands it back to the engine for reuse; the caller drops it.
     */
    void complete(final SendRequest send)
    {
        awaitSend(send);
        release(send);
    }

    /**
     * Waits for a receive and hands it back to the engine for reuse; the caller drops it.
     */
    void complete(final ReceiveRequest receive)
    {
        awaitReceive(receive);
        release(receive);
    }

    void send(final int destination, final int phase, final MemorySegment payload)
    {
        complete(sendOrPost(destination, phase, payload));
    }

    void receive(final int source, final int phase, final MemorySegment target)
    {
        complete(postReceive(source, phase, target));
    }

    /**
     * Sends to one rank while receiving from another (or the same), deadlock-free.
     */
    void exchange(final int destination, final MemorySegment out, final int source, final MemorySegment in,
        final int phase)
    {
        final ReceiveRequest receive = postReceive(source, phase, in);
        final SendRequest send = sendOrPost(destination, phase, out);
        awaitReceive(receive);
        awaitSend(send);
        release(receive);
        release(send);
    }

    /**
     * Waits in slices of {@link #CHECK_POLLS} polls, checking for mismatched calls between slices.
     */
    private void await(final MessageRequest request)
    {
        while (!request.isComplete() && !engine.await(request, CHECK_POLLS))
        {
            final JavelinException mismatch = detector.check(operation, sequence, algorithm, phases);
            if (null != mismatch)
            {
                throw mismatch;
            }
        }
    }

    private void defer(final JavelinException error)
    {
        if (null == deferred)
        {
            deferred = error;
        }
    }

    /**
     * The error of a request that failed (a dead peer, the transport): the collective stops here, its
     * receives still posted are withdrawn.
     */
    private JavelinException failure(final MessageRequest request)
    {
        detector.abandon();
        final JavelinException cause = Errors.toException(request.error(), request.errorMessage());
        return new JavelinException(cause.errorClass(), operation + ": " + request.errorMessage(), cause);
    }

    private int source(final ReceiveRequest receive)
    {
        return detector.communicatorRank(receive.statusSource());
    }
}
