package io.javelin.transport.local;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ranks of peers that closed, announced by those peers from their own threads and taken by the owner.
 *
 * <p>A peer announces after its last message entered the owner's inbox. The owner reads
 * {@link #announced()} before draining its inbox; once the inbox is empty, the messages of every peer
 * counted then have been delivered, and exactly that many ranks can be taken: peers announced later
 * wait for the next drain, so no failure overtakes its peer's messages.
 */
final class ClosedPeerNotices
{
    private final ConcurrentLinkedQueue<Integer> ranks = new ConcurrentLinkedQueue<>();
    /** Incremented after each add, so a count read covers ranks already in the queue. */
    private final AtomicInteger announced = new AtomicInteger();
    /** Ranks taken; owner thread only. */
    private int taken;

    /**
     * Any thread: a peer of this rank closed.
     *
     * @param rank the peer's rank.
     */
    void announce(final int rank)
    {
        ranks.add(rank);
        announced.incrementAndGet();
    }

    /**
     * Owner thread.
     *
     * @return ranks announced and not yet taken.
     */
    int announced()
    {
        return announced.get() - taken;
    }

    /**
     * Owner thread: takes the oldest rank; call at most {@link #announced()} times.
     *
     * @return the rank.
     */
    int take()
    {
        taken++;
        return ranks.remove();
    }
}
