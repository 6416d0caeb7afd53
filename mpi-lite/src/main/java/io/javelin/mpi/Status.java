package io.javelin.mpi;

/**
 * What a completed receive (or a probe) found. Immutable; a communicator may return the same instance for
 * messages with the same source, tag and length (so that a blocking receive allocates nothing): compare
 * statuses by their values, not by identity.
 */
public interface Status
{
    /**
     * @return the sender's rank in the communicator.
     */
    int source();

    /**
     * @return the message's tag.
     */
    int tag();

    /**
     * @return whole elements received, in the receive buffer's element type (bytes for a probe).
     */
    int count();

    /**
     * @return bytes in the message.
     */
    long byteCount();
}
