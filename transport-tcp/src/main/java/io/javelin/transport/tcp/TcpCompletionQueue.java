package io.javelin.transport.tcp;

import io.javelin.transport.TransportListener;

/**
 * Operations that completed and wait to be reported: posts may complete at once (a send handed to the
 * socket inside {@code send()}), but listeners hear of it only inside {@code progress()} or
 * {@code close()}. Intrusive FIFO through {@link TcpOperation#next}; used only on the progress thread.
 */
final class TcpCompletionQueue
{
    private final TcpOperationPool pool;
    private TcpOperation head;
    private TcpOperation tail;

    TcpCompletionQueue(final TcpOperationPool pool)
    {
        this.pool = pool;
    }

    void add(final TcpOperation operation, final int status)
    {
        operation.status = status;
        operation.next = null;
        if (null == tail)
        {
            head = operation;
        }
        else
        {
            tail.next = operation;
        }
        tail = operation;
    }

    boolean isEmpty()
    {
        return null == head;
    }

    /**
     * Reports the completions queued when called (not those the listener's own posts add meanwhile, so that a
     * listener posting from every completion cannot keep this call going), returning each operation to the
     * pool before its callback so that the callback may post again.
     *
     * @return completions reported.
     */
    int deliver(final TransportListener listener)
    {
        final TcpOperation last = tail;
        int delivered = 0;
        while (null != head)
        {
            final TcpOperation operation = head;
            head = operation.next;
            if (null == head)
            {
                tail = null;
            }
            final long cookie = operation.cookie;
            final int status = operation.status;
            pool.release(operation);
            delivered++;
            listener.onCompletion(cookie, status);
            if (operation == last)
            {
                break;
            }
        }
        return delivered;
    }
}
