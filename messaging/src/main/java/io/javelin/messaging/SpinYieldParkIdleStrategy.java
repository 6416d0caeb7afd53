package io.javelin.messaging;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits by time, not by count: spins for a while, then yields the CPU, then parks with a growing pause.
 *
 * <p>A count of polls is a poor budget: one poll of a TCP socket is a system call (~0.5 us) while one poll of
 * an Aeron IPC log is a few nanoseconds, so the same count means 100 ms on one transport and 5 ms on the other.
 * A time budget means the same on every transport. Spinning catches a reply without the ~30 us it costs to wake
 * a thread that slept in the kernel; yielding next lets a peer (or the JIT and GC threads) that shares this CPU
 * run at once while costing a dedicated CPU only a short system call per poll; parking last stops a rank that
 * waits for long (load imbalance) from burning a CPU. Not thread-safe: one per rank.
 */
public final class SpinYieldParkIdleStrategy implements IdleStrategy
{
    private static final int CLOCK_CHECK_MASK = 15;
    private static final long MIN_PARK_NS = 1_000;

    private final long spinNs;
    private final long yieldNs;
    private final long maxParkNs;
    private long idleSinceNs;
    private long parkNs;
    private long polls;
    private boolean yielding;

    /**
     * @param spinNs    how long a waiting rank spins before it yields, nanoseconds.
     * @param yieldNs   how long it then yields before it parks, nanoseconds.
     * @param maxParkNs the longest single park, nanoseconds.
     */
    public SpinYieldParkIdleStrategy(final long spinNs, final long yieldNs, final long maxParkNs)
    {
        if (spinNs < 0 || yieldNs < 0 || maxParkNs < MIN_PARK_NS)
        {
            throw new IllegalArgumentException("spin " + spinNs + " ns and yield " + yieldNs +
                " ns must not be negative, longest park " + maxParkNs + " ns at least " + MIN_PARK_NS);
        }
        this.spinNs = spinNs;
        this.yieldNs = yieldNs;
        this.maxParkNs = maxParkNs;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        if (0 == polls++)
        {
            idleSinceNs = System.nanoTime();
        }
        else if (parkNs > 0)
        {
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(parkNs << 1, maxParkNs);
            return;
        }
        else if (0 == (polls & CLOCK_CHECK_MASK))
        {
            final long waitedNs = System.nanoTime() - idleSinceNs;
            if (waitedNs >= spinNs + yieldNs)
            {
                parkNs = MIN_PARK_NS;
                LockSupport.parkNanos(parkNs);
                return;
            }
            yielding = waitedNs >= spinNs;
        }
        if (yielding)
        {
            Thread.yield();
        }
        else
        {
            Thread.onSpinWait();
        }
    }

    @Override
    public void reset()
    {
        polls = 0;
        parkNs = 0;
        yielding = false;
    }

    /**
     * @return true while a wait is in its spin phase (nor yielding nor parking yet), and never when the spin
     *         time is zero (ranks outnumber cores): the waiting rank may then poll in a tight loop.
     */
    boolean spinning()
    {
        return spinNs > 0 && !yielding && 0 == parkNs;
    }

    /**
     * @return what the next idle call does: "spin", "yield" or "park" (for tests and diagnostics).
     */
    String phase()
    {
        return parkNs > 0 ? "park" : yielding ? "yield" : "spin";
    }

    @Override
    public String alias()
    {
        return "spin-yield-park";
    }
}
