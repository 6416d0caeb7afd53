package io.javelin.mpi.internal.collective;

/**
 * Where each rank's block lies in a buffer of blocks, in bytes: equal blocks one after the other, the chunks
 * of a broadcast, or the counts and displacements of a vector collective.
 *
 * <p>Rewritten in place: a communicator keeps its layouts and sets them at each call, so that a warm
 * collective allocates none. A layout is only read during the call that set it. Not thread-safe: the rank's
 * thread.
 */
public final class BlockLayout
{
    private final long[] offsets;
    private final long[] lengths;

    /**
     * @param blocks number of blocks (ranks); all empty until set.
     */
    public BlockLayout(final int blocks)
    {
        offsets = new long[blocks];
        lengths = new long[blocks];
    }

    /**
     * Sets blocks one after the other.
     *
     * @param blockBytes bytes of each.
     * @return this layout.
     */
    public BlockLayout equal(final long blockBytes)
    {
        for (int i = 0; i < offsets.length; i++)
        {
            offsets[i] = i * blockBytes;
            lengths[i] = blockBytes;
        }
        return this;
    }

    /**
     * Sets the blocks a broadcast scatters: the message cut into p chunks of ceil(bytes / p) bytes (the last
     * ones shorter or empty), chunk i belonging to the rank i places after the root.
     *
     * @param bytes message length.
     * @param root  the rank that owns chunk 0.
     * @return this layout, indexed by rank.
     */
    public BlockLayout chunks(final long bytes, final int root)
    {
        final int blocks = offsets.length;
        final long chunk = (bytes + blocks - 1) / blocks;
        for (int i = 0; i < blocks; i++)
        {
            final int relative = (i - root + blocks) % blocks;
            offsets[i] = Math.min(relative * chunk, bytes);
            lengths[i] = Math.min((relative + 1) * chunk, bytes) - offsets[i];
        }
        return this;
    }

    /**
     * Sets the blocks of a vector collective.
     *
     * @param counts        elements per block (validated), one per block.
     * @param displacements first element of each block (validated), one per block.
     * @param elementBytes  bytes per element.
     * @return this layout.
     */
    public BlockLayout vector(final int[] counts, final int[] displacements, final int elementBytes)
    {
        for (int i = 0; i < offsets.length; i++)
        {
            offsets[i] = (long)displacements[i] * elementBytes;
            lengths[i] = (long)counts[i] * elementBytes;
        }
        return this;
    }

    long offset(final int block)
    {
        return offsets[block];
    }

    long length(final int block)
    {
        return lengths[block];
    }
}
