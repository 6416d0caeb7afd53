package io.javelin.benchmarks;

import io.javelin.mpi.Javelin;

/**
 * A rank's send and receive buffers, each as large as the largest message, allocated once before the
 * first size and filled as OSU fills them ({@code 'a'} to send, {@code 'b'} to receive).
 *
 * @param send    the memory messages are sent from.
 * @param receive the memory messages are received into.
 */
record PairBuffers(MessageBuffer send, MessageBuffer receive)
{
    /**
     * @param javelin  this rank's handle.
     * @param kind     the kind of memory.
     * @param capacity bytes each, the largest message size (at least 1 is allocated).
     * @return filled buffers.
     */
    static PairBuffers allocate(final Javelin javelin, final BufferKind kind, final int capacity)
    {
        final int bytes = Math.max(1, capacity);
        return new PairBuffers(kind.allocate(javelin, bytes).fill((byte)'a'),
            kind.allocate(javelin, bytes).fill((byte)'b'));
    }
}
