package io.javelin.transport.rdma;

import io.javelin.transport.TransportListener;

import java.util.Arrays;

/**
 * Completions decided without the device (e.g. a remote key that cannot exist), queued at post and
 * delivered in the next {@code progress()}, in order. A growable FIFO of primitives. Owner thread only.
 */
final class CompletionRing
{
    private long[] cookies = new long[64];
    private int[] statuses = new int[64];
    private int head;
    private int size;

    void add(final long cookie, final int status)
    {
        if (size == cookies.length)
        {
            final long[] newCookies = new long[2 * size];
            final int[] newStatuses = new int[2 * size];
            for (int i = 0; i < size; i++)
            {
                newCookies[i] = cookies[(head + i) % size];
                newStatuses[i] = statuses[(head + i) % size];
            }
            cookies = newCookies;
            statuses = newStatuses;
            head = 0;
        }
        final int tail = (head + size) % cookies.length;
        cookies[tail] = cookie;
        statuses[tail] = status;
        size++;
    }

    /**
     * Delivers what is queued now (completions queued by the callbacks wait for the next call).
     *
     * @param overrideStatus when not 0, the status every completion gets instead (CANCELLED at close).
     * @return completions delivered.
     */
    int deliver(final TransportListener listener, final int overrideStatus)
    {
        final int count = size;
        for (int i = 0; i < count; i++)
        {
            final long cookie = cookies[head];
            final int status = statuses[head];
            head = (head + 1) % cookies.length;
            size--;
            listener.onCompletion(cookie, 0 == overrideStatus ? status : overrideStatus);
        }
        return count;
    }

    boolean isEmpty()
    {
        return 0 == size;
    }

    void clear()
    {
        Arrays.fill(cookies, 0);
        head = 0;
        size = 0;
    }
}
