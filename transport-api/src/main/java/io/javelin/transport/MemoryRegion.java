package io.javelin.transport;

import java.lang.foreign.MemorySegment;

/**
 * Native memory registered with a transport. A peer addresses it by {@link #address()} (plus offset)
 * and {@link #remoteKey()}; the owner uses it for local access by this object.
 *
 * <p>Owned by whoever called {@link Transport#register}; must be closed before the memory is freed.
 */
public interface MemoryRegion extends AutoCloseable
{
    /** Local memory may be written by the transport (receives, reads). */
    int LOCAL_WRITE = 1;
    /** Peers may read the region. */
    int REMOTE_READ = 2;
    /** Peers may write the region. */
    int REMOTE_WRITE = 4;
    /** Every access. */
    int ALL_ACCESS = LOCAL_WRITE | REMOTE_READ | REMOTE_WRITE;

    /**
     * @return the registered memory.
     */
    MemorySegment segment();

    /**
     * @return the address a peer names to reach byte 0 of {@link #segment()}.
     */
    long address();

    /**
     * @return key for local use (the verbs lkey; equal to the remote key where there is no difference).
     */
    long localKey();

    /**
     * @return key a peer presents for one-sided access.
     */
    long remoteKey();

    /**
     * @return the access flags given at registration.
     */
    int accessFlags();

    /**
     * Deregisters. Peers presenting the key afterwards are refused. Idempotent.
     */
    @Override
    void close();
}
