package io.javelin.transport.rdma;

import java.lang.foreign.MemorySegment;

/**
 * A post accepted while its connection was being made, or while the peer had no credit or the send queue
 * was full: kept in the endpoint's FIFO (so order holds) and posted by {@code progress()} when it can be.
 * The header is copied at post (the SPI lets the caller reuse it); payload and local memory stay the caller's
 * until completion. Pooled: no allocation once the pool has grown.
 */
final class PendingOperation
{
    byte kind;
    long cookie;
    final byte[] header = new byte[RdmaConfiguration.MAX_HEADER_BYTES];
    final MemorySegment headerSegment = MemorySegment.ofArray(header);
    int headerLength;
    MemorySegment payload;
    long payloadOffset;
    int payloadLength;
    RdmaMemoryRegion region;
    long localOffset;
    long remoteAddress;
    int remoteKey;
    int length;

    void clear()
    {
        payload = null;
        region = null;
    }
}
