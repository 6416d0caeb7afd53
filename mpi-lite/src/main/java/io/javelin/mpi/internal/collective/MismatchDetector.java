package io.javelin.mpi.internal.collective;

import io.javelin.messaging.MessagingEngine;
import io.javelin.messaging.ReceiveRequest;
import io.javelin.mpi.JavelinException;
import io.javelin.mpi.internal.Errors;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Finds the ranks of one communicator stuck in a collective because their calls do not match (counts on
 * either side of an algorithm switch point, a different number of pipelined segments, other roots or
 * settings): such ranks wait for messages that will never come. Runs only when a wait has lasted a while
 * ({@link CollectiveChannel}), never on the fast path.
 *
 * <p>Why the check is sound: within one collective a rank X sends this rank its messages in the order this
 * rank posts the matching receives, and messages from one sender never overtake each other. So while a
 * receive from X is still posted (no message matched it), X has sent nothing after it either: an unexpected
 * message from X of this collective, or of a later one, proves that X runs another algorithm or has
 * finished without sending what this rank waits for. An unexpected message of an earlier collective is a
 * stray of a collective that failed: it is received into nothing (0 bytes, so that the sender's request
 * completes) and ignored.
 *
 * <p>On a mismatch this rank sends every other rank a 0-byte POISON message tagged with the collective's
 * sequence number (ranks waiting for this one, possibly for ever, find it at their next check), withdraws
 * the receives it still has posted in the collective (so that nothing writes into the user's buffers after
 * it has returned; a rendezvous transfer already under way is waited for), and reports. Sends of the failed
 * collective that went by rendezvous and that no rank receives stay pending; their partners drop them
 * later, as strays.
 *
 * <p>Tracking posted receives reuses arrays: nothing is allocated once they have grown to the largest
 * collective. Not thread-safe: the rank's thread.
 */
final class MismatchDetector
{
    /** How every mismatch message ends: the fix. */
    static final String FIX = "every rank must pass matching counts (and the same root and algorithm settings)";

    private static final int INITIAL_CAPACITY = 16;

    private final MessagingEngine engine;
    private final int context;
    private final int[] worldRanks;
    private final int rank;
    private ReceiveRequest[] receives = new ReceiveRequest[INITIAL_CAPACITY];
    private int[] receiveSources = new int[INITIAL_CAPACITY];
    private int[] receivePhases = new int[INITIAL_CAPACITY];
    private int count;

    MismatchDetector(final MessagingEngine engine, final int context, final int[] worldRanks, final int rank)
    {
        this.engine = engine;
        this.context = context;
        this.worldRanks = worldRanks;
        this.rank = rank;
    }

    /**
     * Remembers a receive of the current collective until {@link #untrack}, {@link #forget} or
     * {@link #abandon}.
     *
     * @param source communicator rank it receives from.
     * @param phase  its phase ({@link CollectiveTags}).
     */
    void track(final ReceiveRequest receive, final int source, final int phase)
    {
        if (count == receives.length)
        {
            receives = Arrays.copyOf(receives, 2 * count);
            receiveSources = Arrays.copyOf(receiveSources, 2 * count);
            receivePhases = Arrays.copyOf(receivePhases, 2 * count);
        }
        receives[count] = receive;
        receiveSources[count] = source;
        receivePhases[count] = phase;
        count++;
    }

    /**
     * Forgets a completed receive before it goes back to the engine for reuse. The receive to forget is
     * nearly always the last one tracked: the search runs from the end.
     */
    void untrack(final ReceiveRequest receive)
    {
        for (int i = count - 1; i >= 0; i--)
        {
            if (receives[i] == receive)
            {
                count--;
                receives[i] = receives[count];
                receiveSources[i] = receiveSources[count];
                receivePhases[i] = receivePhases[count];
                receives[count] = null;
                return;
            }
        }
    }

    /**
     * Forgets every tracked receive (the collective has completed them all).
     */
    void forget()
    {
        for (int i = 0; i < count; i++)
        {
            receives[i] = null;
        }
        count = 0;
    }

    /**
     * @return true if receives of the current collective are tracked.
     */
    boolean tracking()
    {
        return count > 0;
    }

    /**
     * Withdraws every tracked receive that no message has matched, waits for those that were matched (a
     * rendezvous transfer may be writing into the user's buffer), and forgets them all.
     */
    void abandon()
    {
        for (int i = 0; i < count; i++)
        {
            final ReceiveRequest receive = receives[i];
            if (!engine.cancel(receive))
            {
                engine.await(receive);
            }
            receives[i] = null;
        }
        count = 0;
    }

    /**
     * Looks for a sign that the ranks' calls of the current collective do not match.
     *
     * @param operation the collective, for the message.
     * @param sequence  the collective's sequence number.
     * @param algorithm the algorithm this rank runs, for the message.
     * @param phases    the phases of that algorithm ({@link CollectiveTags#bit}), 0 if undeclared.
     * @return null if none was found; else the error to throw, after every other rank has been sent POISON
     *         (unless this rank learnt of the mismatch from a POISON itself) and the receives abandoned.
     */
    JavelinException check(final String operation, final int sequence, final String algorithm, final int phases)
    {
        // strays of earlier collectives from any rank, as far as they head the unexpected messages
        probeCurrent(MessagingEngine.ANY_SOURCE, sequence);
        final int poisonTag = CollectiveTags.tag(sequence, CollectiveTags.POISON);
        if (engine.probe(context, MessagingEngine.ANY_SOURCE, poisonTag))
        {
            final int reporter = engine.probeSource();
            drop(reporter, poisonTag);
            abandon();
            return Errors.invalid(operation + ": rank " + communicatorRank(reporter) + " found that the ranks'" +
                " calls of this collective do not match and stopped it: " + FIX);
        }
        for (int i = 0; i < count; i++)
        {
            final ReceiveRequest receive = receives[i];
            if (engine.isPosted(receive) && probeCurrent(worldRanks[receiveSources[i]], sequence))
            {
                return stop(sequence, describe(operation, sequence, receiveSources[i], receivePhases[i]));
            }
        }
        if (0 != phases)
        {
            for (int phase = 1; phase <= CollectiveTags.LAST_PHASE; phase++)
            {
                if ((phases & CollectiveTags.bit(phase)) == 0 &&
                    engine.probe(context, MessagingEngine.ANY_SOURCE, CollectiveTags.tag(sequence, phase)))
                {
                    return stop(sequence, operation + ": rank " + communicatorRank(engine.probeSource()) +
                        " sent a message of phase \"" + CollectiveTags.name(phase) + "\" (" + engine.probeLength() +
                        " bytes), which the algorithm this rank runs (" + algorithm + ") does not have, so the" +
                        " ranks chose different algorithms: " + FIX);
                }
            }
        }
        return null;
    }

    private JavelinException stop(final int sequence, final String message)
    {
        poison(sequence);
        abandon();
        return Errors.invalid(message);
    }

    /**
     * Tells every other rank that the current collective failed: a 0-byte POISON message each, not waited
     * for (it goes eagerly; its request is left to the garbage collector).
     */
    void poison(final int sequence)
    {
        final int tag = CollectiveTags.tag(sequence, CollectiveTags.POISON);
        for (int r = 0; r < worldRanks.length; r++)
        {
            if (r != rank)
            {
                engine.postSend(context, worldRanks[r], tag, MemorySegment.NULL);
            }
        }
    }

    /**
     * Drops strays of earlier collectives from the source as long as they come first.
     *
     * @param source world rank or ANY_SOURCE.
     * @return true if a message of the current or a later collective is left; the engine's probe fields
     *         describe it.
     */
    private boolean probeCurrent(final int source, final int sequence)
    {
        while (engine.probe(context, source, MessagingEngine.ANY_TAG))
        {
            final int tag = engine.probeTag();
            if (CollectiveTags.compareSequence(tag, sequence) >= 0)
            {
                return true;
            }
            drop(engine.probeSource(), tag);
        }
        return false;
    }

    /**
     * Receives an unexpected message into nothing: an eager one is consumed at once (and its credit
     * returned), a rendezvous one is answered at once with FIN, so the sender's request completes.
     */
    private void drop(final int source, final int tag)
    {
        final ReceiveRequest drop = engine.postReceive(context, source, tag, MemorySegment.NULL);
        if (drop.isComplete())
        {
            engine.release(drop);
        }
    }

    private String describe(final String operation, final int sequence, final int source, final int phase)
    {
        final int tag = engine.probeTag();
        final String waited = "\"" + CollectiveTags.name(phase) + "\"";
        if (CollectiveTags.compareSequence(tag, sequence) > 0)
        {
            return operation + ": rank " + source + " has finished this collective (it sent a message of a later" +
                " one) without sending the message of phase " + waited + " this rank waits for: " + FIX;
        }
        return operation + ": rank " + source + " sent a message of phase \"" +
            CollectiveTags.name(CollectiveTags.phase(tag)) + "\" (" + engine.probeLength() + " bytes) while this" +
            " rank waits for one of phase " + waited + " from it, so the ranks run different algorithms or numbers" +
            " of steps: " + FIX;
    }

    /**
     * @return the communicator rank of a world rank (the world rank itself if it is not a member).
     */
    int communicatorRank(final int world)
    {
        for (int r = 0; r < worldRanks.length; r++)
        {
            if (worldRanks[r] == world)
            {
                return r;
            }
        }
        return world;
    }
}
