package io.javelin.messaging.bootstrap;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory key-value exchange shared by the ranks of one JVM ({@code Javelin.runLocal}): it creates
 * one {@link LocalBootstrap} per rank, and its fence is a reusable barrier with a time limit.
 *
 * <p>Thread-safe. A rank that fails must call {@link #abort(int, int, String)} (or close its bootstrap):
 * every rank waiting in, or later entering, a fence then gets a {@link BootstrapException} instead of
 * waiting for the time limit.
 */
public final class LocalExchange
{
    private final int size;
    private final long timeoutMs;
    private final long jobSecret = new SecureRandom().nextLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition fenceCompleted = lock.newCondition();
    private final BitSet created = new BitSet();
    private final BitSet arrived = new BitSet();
    private final BitSet left = new BitSet();
    private final Map<String, byte[]> pending = new HashMap<>();
    private final Map<String, byte[]> fenced = new HashMap<>();
    private long fenceGeneration;
    private String abortReason;

    /**
     * @param size ranks in the job; waits are limited by {@link BootstrapConfiguration#timeoutMs()}.
     */
    public LocalExchange(final int size)
    {
        this(size, BootstrapConfiguration.timeoutMs());
    }

    /**
     * @param size      ranks in the job.
     * @param timeoutMs time limit of every fence, in milliseconds.
     */
    public LocalExchange(final int size, final long timeoutMs)
    {
        if (size < 1 || timeoutMs <= 0)
        {
            throw new IllegalArgumentException("size " + size + " and timeout " + timeoutMs + " ms must be positive");
        }
        this.size = size;
        this.timeoutMs = timeoutMs;
    }

    /**
     * @return ranks in the job.
     */
    public int size()
    {
        return size;
    }

    /**
     * Creates the bootstrap of one rank; each rank's once.
     *
     * @param rank the rank, 0 .. size - 1.
     * @return its bootstrap, to be used from that rank's thread.
     */
    public LocalBootstrap bootstrap(final int rank)
    {
        if (rank < 0 || rank >= size)
        {
            throw new IllegalArgumentException("rank " + rank + " outside job of size " + size);
        }
        lock.lock();
        try
        {
            if (created.get(rank))
            {
                throw new IllegalStateException("the bootstrap of rank " + rank + " was already created");
            }
            created.set(rank);
        }
        finally
        {
            lock.unlock();
        }
        return new LocalBootstrap(this, rank);
    }

    /**
     * Aborts the job: every current and future fence throws. Idempotent (the first reason is kept).
     *
     * @param rank     the rank that failed.
     * @param exitCode the exit code it reports.
     * @param reason   what happened.
     */
    public void abort(final int rank, final int exitCode, final String reason)
    {
        lock.lock();
        try
        {
            if (null == abortReason)
            {
                abortReason = "job aborted by rank " + rank + " (exit code " + exitCode + "): " + reason;
            }
            fenceCompleted.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @return why the job was aborted, or null.
     */
    public String abortReason()
    {
        lock.lock();
        try
        {
            return abortReason;
        }
        finally
        {
            lock.unlock();
        }
    }

    long jobSecret()
    {
        return jobSecret;
    }

    void put(final String key, final byte[] value)
    {
        lock.lock();
        try
        {
            pending.put(key, value.clone());
        }
        finally
        {
            lock.unlock();
        }
    }

    byte[] get(final int rank, final String key)
    {
        lock.lock();
        try
        {
            final byte[] value = fenced.get(key);
            if (null == value)
            {
                throw new BootstrapException("no rank published bootstrap key '" + key + "' before the last fence " +
                    "(asked by rank " + rank + "): check the key and that its owner put it before calling fence");
            }
            return value.clone();
        }
        finally
        {
            lock.unlock();
        }
    }

    void fence(final int rank)
    {
        lock.lock();
        try
        {
            checkCanComplete(rank);
            arrived.set(rank);
            if (arrived.cardinality() == size)
            {
                fenced.putAll(pending);
                pending.clear();
                arrived.clear();
                fenceGeneration++;
                fenceCompleted.signalAll();
                return;
            }

            final long generation = fenceGeneration;
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (generation == fenceGeneration)
            {
                final long remainingNs = deadlineNs - System.nanoTime();
                if (remainingNs <= 0)
                {
                    final List<Integer> missing = missingRanks();
                    arrived.clear(rank);
                    throw new BootstrapException(BootstrapConfiguration.notArrivedMessage("fence", missing, timeoutMs) +
                        " (rank " + rank + " of a local job)");
                }
                try
                {
                    checkCanComplete(rank);
                    fenceCompleted.awaitNanos(remainingNs);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    throw new BootstrapException("fence: rank " + rank + " was interrupted while waiting", ex);
                }
                catch (final BootstrapException ex)
                {
                    arrived.clear(rank);
                    throw ex;
                }
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    void leave(final int rank)
    {
        lock.lock();
        try
        {
            left.set(rank);
            arrived.clear(rank);
            fenceCompleted.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    private void checkCanComplete(final int rank)
    {
        if (null != abortReason)
        {
            throw new BootstrapException("fence: " + abortReason);
        }
        final BitSet gone = (BitSet)left.clone();
        gone.andNot(arrived);
        if (!gone.isEmpty())
        {
            throw new BootstrapException("fence: " + BootstrapConfiguration.describeRanks(toList(gone)) +
                " left the job (closed its bootstrap) before arriving; asked by rank " + rank);
        }
    }

    private List<Integer> missingRanks()
    {
        final BitSet missing = new BitSet(size);
        missing.set(0, size);
        missing.andNot(arrived);
        return toList(missing);
    }

    private static List<Integer> toList(final BitSet ranks)
    {
        final List<Integer> list = new ArrayList<>(ranks.cardinality());
        ranks.stream().forEach(list::add);
        return list;
    }
}
