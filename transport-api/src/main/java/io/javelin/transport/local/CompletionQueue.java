package io.javelin.transport.local;

/**
 * Completions waiting for the owner's next {@code progress()}: a FIFO ring of (cookie, status) pairs in
 * two primitive arrays, doubled when full (so a post never fails for lack of room and never allocates
 * in the steady state).
 *
 * <p>Not thread-safe: used only by the thread that owns the transport (or by {@code close()} after
 * that thread has left the transport).
 */
final class CompletionQueue
{
    private long[] cookies;
    private int[] statuses;
    private int mask;
    private long head;
    private long tail;
    private long polledCookie;
    private int polledStatus;

    /**
     * @param initialCapacity slots before the first growth; rounded up to a power of two.
     */
    CompletionQueue(final int initialCapacity)
    {
        final int capacity = Integer.highestOneBit(Math.max(2, initialCapacity - 1) << 1);
        cookies = new long[capacity];
        statuses = new int[capacity];
        mask = capacity - 1;
    }

    /**
     * @param cookie the operation's cookie.
     * @param status its completion status.
     */
    void add(final long cookie, final int status)
    {
        if (tail - head == cookies.length)
        {
            grow();
        }
        final int index = (int)tail & mask;
        cookies[index] = cookie;
        statuses[index] = status;
        tail++;
    }

    /**
     * Removes the oldest completion; read it with {@link #polledCookie()} and {@link #polledStatus()}.
     *
     * @return false when empty.
     */
    boolean poll()
    {
        if (head == tail)
        {
            return false;
        }
        final int index = (int)head & mask;
        polledCookie = cookies[index];
        polledStatus = statuses[index];
        head++;
        return true;
    }

    /**
     * @return cookie of the last {@link #poll()}.
     */
    long polledCookie()
    {
        return polledCookie;
    }

    /**
     * @return status of the last {@link #poll()}.
     */
    int polledStatus()
    {
        return polledStatus;
    }

    /**
     * @return completions waiting.
     */
    int size()
    {
        return (int)(tail - head);
    }

    private void grow()
    {
        final int size = size();
        final long[] newCookies = new long[cookies.length << 1];
        final int[] newStatuses = new int[statuses.length << 1];
        for (int i = 0; i < size; i++)
        {
            final int index = (int)(head + i) & mask;
            newCookies[i] = cookies[index];
            newStatuses[i] = statuses[index];
        }
        cookies = newCookies;
        statuses = newStatuses;
        mask = newCookies.length - 1;
        head = 0;
        tail = size;
    }
}
