package io.javelin.transport.aeron;

/**
 * Reuses {@link AeronOperation}s so that the data path does not allocate once warmed up. Counts the
 * operations in use: user posts beyond the limit are refused (BACK_PRESSURED), messages owed to a peer are
 * always granted. Used only on the progress thread.
 */
final class AeronOperationPool
{
    private final int maxInUse;
    private AeronOperation free;
    private int inUse;

    AeronOperationPool(final int maxInUse)
    {
        this.maxInUse = maxInUse;
    }

    /**
     * @return an operation for a user post, or null when too many are in flight.
     */
    AeronOperation acquireForPost()
    {
        return inUse >= maxInUse ? null : acquire();
    }

    /**
     * @return an operation for a message owed to a peer; never refused.
     */
    AeronOperation acquire()
    {
        AeronOperation operation = free;
        if (null != operation)
        {
            free = operation.next;
            operation.next = null;
        }
        else
        {
            operation = new AeronOperation();
        }
        inUse++;
        return operation;
    }

    void release(final AeronOperation operation)
    {
        operation.clearReferences();
        operation.next = free;
        free = operation;
        inUse--;
    }
}
