package io.javelin.transport.tcp;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets the progress thread into the transport until it closes, and lets {@code close()} from any thread
 * wait until the progress thread is out, so that close never tears down queues the progress thread is
 * using.
 *
 * <p>The owner publishes itself in a volatile field before reading the volatile closed flag; close sets
 * the flag before reading the field (a Dekker handshake): either the owner sees closed and leaves, or
 * close sees the owner and waits. Calls nest (a post from a listener callback inside progress), and close
 * called by the owner itself, from a callback, does not wait for itself. No lock, no allocation.
 */
final class TcpOwnerGate
{
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private volatile boolean closed;
    private volatile Thread activeThread;
    /** Nesting depth of the owner's calls; touched only by the owner thread. */
    private int depth;

    /**
     * Owner thread: enters unless closed. Every call that returns true must be paired with {@link #exit()}.
     *
     * @return false (and not entered) when closed.
     */
    boolean enter()
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
    void exit()
    {
        if (0 == --depth)
        {
            activeThread = null;
        }
    }

    /**
     * @return whether closing has begun; any thread.
     */
    boolean isClosed()
    {
        return closed;
    }

    /**
     * Any thread: marks the gate closed and waits until the owner is out (unless the caller is the owner).
     *
     * @return false when closing had already begun: the caller must do nothing more.
     */
    boolean close()
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
