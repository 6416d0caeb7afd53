package io.javelin.mpi;

/**
 * A non-blocking operation in flight. Completes exactly once; {@link #await()} returns its status or
 * throws its error.
 */
public interface Request
{
    /**
     * Makes progress until the operation completes.
     *
     * @return the status (for a send: destination, tag and bytes sent).
     * @throws JavelinException if the operation failed (e.g. TRUNCATE, PEER_FAILED).
     */
    Status await();

    /**
     * Makes progress once.
     *
     * @return true once the operation is complete (await then returns at once).
     */
    boolean test();

    /**
     * Waits for every request; the first failure is thrown after all have completed.
     *
     * @param requests requests, possibly of different communicators.
     */
    static void awaitAll(final Request... requests)
    {
        RuntimeException first = null;
        for (final Request request : requests)
        {
            try
            {
                request.await();
            }
            catch (final RuntimeException ex)
            {
                if (null == first)
                {
                    first = ex;
                }
            }
        }
        if (null != first)
        {
            throw first;
        }
    }

    /**
     * Waits for any one request.
     *
     * @param requests at least one request.
     * @return the index of a completed request.
     */
    static int awaitAny(final Request... requests)
    {
        if (requests.length == 0)
        {
            throw new JavelinException(ErrorClass.INVALID_ARGUMENT, "awaitAny needs at least one request");
        }
        final io.javelin.mpi.internal.Waiter waiter = io.javelin.mpi.internal.Waiter.forRequests(requests);
        while (true)
        {
            for (int i = 0; i < requests.length; i++)
            {
                if (requests[i].test())
                {
                    return i;
                }
            }
            waiter.idle();
        }
    }
}
