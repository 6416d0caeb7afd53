package io.javelin.messaging.bootstrap;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state the {@link BootstrapServer} shares between its connections: who joined, the pairs put since the
 * last fence, who waits in the current fence, who left, and whether the job aborted.
 *
 * <p>Thread-safe: state changes under one lock; replies are sent after the lock is released, so that a
 * slow rank cannot stall the others. Each FENCE gets exactly one reply: FENCE_DONE when every rank has
 * arrived, or FENCE_FAILED when the time limit of any waiting rank expires, a rank leaves before arriving
 * or the job aborts.
 */
final class BootstrapExchange
{
    private final int size;
    private final ScheduledExecutorService timer;
    private final BootstrapServer.Listener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final BootstrapConnection[] connections;
    private final String[] leaveReasons;
    private final BitSet arrived = new BitSet();
    private final BitSet left = new BitSet();
    private final Map<String, byte[]> pending = new LinkedHashMap<>();
    private long fenceGeneration;
    /** The first rank that left: the root cause reported to every later fence. */
    private int firstLeft = -1;
    private String abortReason;

    BootstrapExchange(final int size, final ScheduledExecutorService timer, final BootstrapServer.Listener listener)
    {
        this.size = size;
        this.timer = timer;
        this.listener = listener;
        this.connections = new BootstrapConnection[size];
        this.leaveReasons = new String[size];
    }

    /**
     * @return null when the rank may join, else why not.
     */
    String join(final int rank, final BootstrapConnection connection)
    {
        lock.lock();
        try
        {
            if (left.get(rank))
            {
                return "rank " + rank + " already left this job (" + leaveReasons[rank] + ")";
            }
            if (null != connections[rank])
            {
                return "rank " + rank + " has already joined: two processes claim the same rank";
            }
            connections[rank] = connection;
            return null;
        }
        finally
        {
            lock.unlock();
        }
    }

    void put(final String key, final byte[] value)
    {
        lock.lock();
        try
        {
            pending.remove(key);
            pending.put(key, value);
        }
        finally
        {
            lock.unlock();
        }
    }

    void arrive(final int rank, final long timeoutMs)
    {
        final List<BootstrapConnection> recipients = new ArrayList<>(size);
        final byte[] reply;
        lock.lock();
        try
        {
            final String failure = failureOfCurrentFence();
            if (null != failure)
            {
                recipients.add(connections[rank]);
                reply = BootstrapProtocol.encodeReason(BootstrapProtocol.FENCE_FAILED, failure);
            }
            else
            {
                arrived.set(rank);
                if (arrived.cardinality() < size)
                {
                    scheduleTimeout(rank, fenceGeneration, timeoutMs);
                    return;
                }
                reply = BootstrapProtocol.encodeFenceDone(pending);
                pending.clear();
                collectArrived(recipients);
                fenceGeneration++;
            }
        }
        finally
        {
            lock.unlock();
        }
        recipients.forEach((connection) -> connection.send(reply));
    }

    void leave(final int rank, final boolean clean)
    {
        final List<BootstrapConnection> recipients = new ArrayList<>(size);
        lock.lock();
        try
        {
            if (left.get(rank))
            {
                return;
            }
            left.set(rank);
            firstLeft = firstLeft < 0 ? rank : firstLeft;
            leaveReasons[rank] = clean ? "it closed its bootstrap" : "its connection closed: it exited or crashed";
            arrived.clear(rank);
            collectArrived(recipients);
        }
        finally
        {
            lock.unlock();
        }
        if (!recipients.isEmpty())
        {
            final byte[] reply = BootstrapProtocol.encodeReason(BootstrapProtocol.FENCE_FAILED,
                "fence: rank " + rank + " left the job before arriving (" + leaveReasons[rank] + ")");
            recipients.forEach((connection) -> connection.send(reply));
        }
    }

    void abort(final int rank, final int exitCode, final String reason)
    {
        final List<BootstrapConnection> recipients = new ArrayList<>(size);
        final String failure;
        lock.lock();
        try
        {
            if (null == abortReason)
            {
                abortReason = "job aborted by rank " + rank + " (exit code " + exitCode + "): " + reason;
            }
            failure = "fence: " + abortReason;
            collectArrived(recipients);
        }
        finally
        {
            lock.unlock();
        }
        final byte[] reply = BootstrapProtocol.encodeReason(BootstrapProtocol.FENCE_FAILED, failure);
        recipients.forEach((connection) -> connection.send(reply));
        listener.onAbort(rank, exitCode, reason);
    }

    private void scheduleTimeout(final int rank, final long generation, final long timeoutMs)
    {
        try
        {
            timer.schedule(() -> timeOut(rank, generation, timeoutMs), Math.max(1, timeoutMs), TimeUnit.MILLISECONDS);
        }
        catch (final RejectedExecutionException ignore)
        {
            // the server is closing: the rank sees its connection close instead
        }
    }

    /**
     * The time limit of a rank in the fence expired: the fence cannot complete any more (that rank will
     * give up), so every waiting rank is told who is missing, rather than later that the first one left.
     */
    private void timeOut(final int rank, final long generation, final long timeoutMs)
    {
        final List<BootstrapConnection> recipients = new ArrayList<>(size);
        final List<Integer> missing = new ArrayList<>();
        lock.lock();
        try
        {
            if (generation != fenceGeneration || !arrived.get(rank))
            {
                return;
            }
            for (int r = arrived.nextClearBit(0); r < size; r = arrived.nextClearBit(r + 1))
            {
                missing.add(r);
            }
            collectArrived(recipients);
            fenceGeneration++;
        }
        finally
        {
            lock.unlock();
        }
        final byte[] reply = BootstrapProtocol.encodeReason(BootstrapProtocol.FENCE_FAILED,
            BootstrapConfiguration.notArrivedMessage("fence", missing, timeoutMs));
        recipients.forEach((connection) -> connection.send(reply));
    }

    /**
     * @return why a fence entered now cannot complete, or null. Caller holds the lock.
     */
    private String failureOfCurrentFence()
    {
        if (null != abortReason)
        {
            return "fence: " + abortReason;
        }
        if (firstLeft >= 0)
        {
            return "fence: rank " + firstLeft + " left the job before arriving (" + leaveReasons[firstLeft] + ")";
        }
        return null;
    }

    /**
     * Moves every waiting rank's connection to recipients and clears the waiters. Caller holds the lock.
     */
    private void collectArrived(final List<BootstrapConnection> recipients)
    {
        for (int r = arrived.nextSetBit(0); r >= 0; r = arrived.nextSetBit(r + 1))
        {
            recipients.add(connections[r]);
        }
        arrived.clear();
    }
}
