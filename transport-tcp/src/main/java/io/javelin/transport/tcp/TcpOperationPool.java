package io.javelin.transport.tcp;

/**
 * Reuses {@link TcpOperation}s so that the data path does not allocate once warmed up. Counts the
 * operations in use: user posts beyond the limit are refused (BACK_PRESSURED), replies a peer is owed
 * are always granted. Used only on the progress thread.
 */
final class TcpOperationPool
{
    private final int frameCapacity;
    private final int maxInUse;
    private TcpOperation free;
    private int inUse;

    TcpOperationPool(final int frameCapacity, final int maxInUse)
    {
        this.frameCapacity = frameCapacity;
        this.maxInUse = maxInUse;
    }

    /**
     * @return an operation for a user post, or null when too many are in flight.
     */
    TcpOperation acquireForPost()
    {
        return inUse >= maxInUse ? null : acquire();
    }

    /**
     * @return an operation for a reply owed to a peer; never refused.
     */
    TcpOperation acquire()
    {
        TcpOperation operation = free;
        if (null != operation)
        {
            free = operation.next;
            operation.next = null;
        }
        else
        {
            operation = new TcpOperation(frameCapacity);
        }
        inUse++;
        return operation;
    }

    void release(final TcpOperation operation)
    {
        operation.clearReferences();
        operation.next = free;
        free = operation;
        inUse--;
    }

    int inUse()
    {
        return inUse;
    }
}
