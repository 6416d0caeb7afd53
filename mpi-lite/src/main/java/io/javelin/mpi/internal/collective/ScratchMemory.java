package io.javelin.mpi.internal.collective;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Temporary native memory for the collectives of one rank (partial results, blocks in flight), handed out
 * by a bump pointer: a collective takes what it needs with {@link #take} and everything is given back at
 * once by {@link #reset} when the next collective starts. Native, so that messages into and out of it
 * are not staged by the engine; kept between collectives, so that its registration stays in the engine's
 * registration cache.
 *
 * <p>Memory is owned by automatic arenas: when a larger block replaces the current one, slices already
 * taken from the old block stay valid until they become unreachable.
 *
 * <p>The slices handed out come from a {@link SliceCache}: a collective that takes the same sizes as the one
 * before it gets the same slice objects back, so that a warm collective allocates nothing here.
 *
 * <p>Not thread-safe: used by the rank's thread, shared by all its communicators (collectives of one rank
 * never run at the same time).
 */
final class ScratchMemory
{
    private static final long ALIGNMENT = 64;
    private static final long MIN_BLOCK_BYTES = 64 * 1024;

    private final SliceCache slices = new SliceCache();

    private MemorySegment block = MemorySegment.NULL;
    private long used;

    /**
     * Gives back everything taken; the memory is reused by the next {@link #take} calls.
     */
    void reset()
    {
        used = 0;
        slices.reset();
    }

    /**
     * @param bytes size.
     * @return memory of exactly that size, 64-byte aligned, not overlapping anything taken since the last
     *         {@link #reset}; contents undefined.
     */
    MemorySegment take(final long bytes)
    {
        final long start = (used + ALIGNMENT - 1) & -ALIGNMENT;
        if (start + bytes > block.byteSize())
        {
            final long capacity = Math.max(Math.max(MIN_BLOCK_BYTES, 2 * block.byteSize()), bytes);
            block = Arena.ofAuto().allocate(capacity, 4096);
            used = bytes;
            return slices.slice(block, 0, bytes);
        }
        used = start + bytes;
        return slices.slice(block, start, bytes);
    }
}
