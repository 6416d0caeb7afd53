package io.javelin.transport;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets a transport's owner thread into its methods until the transport closes, and lets {@code close()}
 * from any thread wait until the owner is out, so close never tears down state the owner is using.
 *
 * <p>The owner publishes itself in a volatile field before reading the volatile closed flag; close sets
 * the flag before reading the field (a Dekker handshake): either the owner sees closed and leaves, or
 * close sees the owner and waits. Re-entry (a post from a listener callback inside progress) nests, and
 * close called by the owner from inside a callback does not wait for itself. No lock, no allocation.
 * Shared by the transports whose {@code close()} may be called from another thread.
 */
public final class OwnerGate
{
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private volatile boolean closed;
    private volatile Thread activeThread;
    /** Nesting depth of the owner's calls; touched only by the owner thread. */
    private int depth;

    /**
     * Owner thread: enters, unless closed. Every successful call must be paired with {@link #exit()}.
     *
     * @return false (and not entered) if closed.
     */
    public boolean enter()
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
     * Owner thread: leaves.
     */
    public void exit()
    {
        if (0 == --depth)
        {
            activeThread = null;
        }
    }

    /**
     * @return whether closing has begun; any thread.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Any thread: marks the gate closed and waits until the owner is outside (unless the caller is the
     * owner, inside a callback).
     *
     * @return false if closing had already begun (the caller should do nothing more).
     */
    public boolean close()
    {
        if (!closeStarted.compareAndSet(false, true))
        {
            return false;
        }
        closed = true;
        final Thread current = Thread.currentThread();
        for (int spins = 0; ; spins++)
        {
            final Thread active = activeThread;
            if (null == active || current == active)
            {
                return true;
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
}
