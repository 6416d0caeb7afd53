package io.javelin.mpi.internal;

import io.javelin.mpi.Request;

/**
 * Idles between polls of several requests, with the engine's idle strategy.
 */
public final class Waiter
{
    private final EngineRequest first;

    private Waiter(final EngineRequest first)
    {
        this.first = first;
    }

    /**
     * @param requests requests being polled.
     * @return a waiter.
     */
    public static Waiter forRequests(final Request... requests)
    {
        for (final Request request : requests)
        {
            if (request instanceof EngineRequest engineRequest)
            {
                return new Waiter(engineRequest);
            }
        }
        return new Waiter(null);
    }

    /**
     * Idles once (spin, then yield, then park, as the engine waits).
     */
    public void idle()
    {
        if (null == first)
        {
            Thread.onSpinWait();
        }
        else
        {
            first.engine().idle(0);
        }
    }
}
