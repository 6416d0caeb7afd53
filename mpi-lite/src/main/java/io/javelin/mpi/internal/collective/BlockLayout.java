package io.javelin.mpi.internal.collective;

import java.lang.foreign.MemorySegment;

/**
 * Where each rank's block lies in a buffer of blocks, in bytes: equal blocks one after the other, or the
 * counts and displacements of a vector collective.
 */
public final class BlockLayout
{
    private final long[] offsets;
    private final long[] lengths;

    private BlockLayout(final long[] offsets, final long[] lengths)
    {
        this.offsets = offsets;
        this.lengths = lengths;
    }

    /**
     * @param blocks     number of blocks (ranks).
     * @param blockBytes bytes of each.
     * @return blocks one after the other.
     */
    public static BlockLayout equal(final int blocks, final long blockBytes)
    {
        final long[] offsets = new long[blocks];
        final long[] lengths = new long[blocks];
        for (int i = 0; i < blocks; i++)
        {
            offsets[i] = i * blockBytes;
            lengths[i] = blockBytes;
        }
        return new BlockLayout(offsets, lengths);
    }

    /**
     * The blocks a broadcast scatters: the message cut into p chunks of ceil(bytes / p) bytes (the last ones
     * shorter or empty), chunk i belonging to the rank i places after the root.
     *
     * @param bytes  message length.
     * @param blocks number of blocks (ranks).
     * @param root   the rank that owns chunk 0.
     * @return the blocks, indexed by rank.
     */
    public static BlockLayout chunks(final long bytes, final int blocks, final int root)
    {
        final long chunk = (bytes + blocks - 1) / blocks;
        final long[] offsets = new long[blocks];
        final long[] lengths = new long[blocks];
        for (int i = 0; i < blocks; i++)
        {
            final int relative = (i - root + blocks) % blocks;
            offsets[i] = Math.min(relative * chunk, bytes);
            lengths[i] = Math.min((relative + 1) * chunk, bytes) - offsets[i];
        }
        return new BlockLayout(offsets, lengths);
    }

    /**
     * @param counts        elements per block (validated).
     * @param displacements first element of each block (validated).
     * @param elementBytes  bytes per element.
     * @return the blocks.
     */
    public static BlockLayout of(final int[] counts, final int[] displacements, final int elementBytes)
    {
        final long[] offsets = new long[counts.length];
        final long[] lengths = new long[counts.length];
        for (int i = 0; i < counts.length; i++)
        {
            offsets[i] = (long)displacements[i] * elementBytes;
            lengths[i] = (long)counts[i] * elementBytes;
        }
        return new BlockLayout(offsets, lengths);
    }

    /**
     * @param buffer the buffer of blocks.
     * @param block  a block (rank).
     * @return that block's memory.
     */
    MemorySegment slice(final MemorySegment buffer, final int block)
    {
        return buffer.asSlice(offsets[block], lengths[block]);
    }

    long length(final int block)
    {
        return lengths[block];
    }
}
