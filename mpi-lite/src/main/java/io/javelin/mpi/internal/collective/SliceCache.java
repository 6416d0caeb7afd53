package io.javelin.mpi.internal.collective;

import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.util.Arrays;

/**
 * The slices of buffers that a collective sends from and receives into (blocks of the users' buffers, parts
 * of scratch memory), remembered by the order the collective asks for them since the last {@link #reset} (as
 * {@link ScratchMemory} does): a collective called again on the same buffers asks for the same slices in the
 * same order and gets the same slice objects back, so that a warm collective allocates none (a slice is a new
 * object of some 40 bytes each time).
 *
 * <p>A remembered slice is handed out again only if it was cut from the same buffer object (the same object
 * is the same memory, scope and size) at the same offset and length; otherwise a new one replaces it. So
 * collectives that alternate on a rank and both cut slices replace each other's and allocate as before.
 * Buffers and slices are held weakly, so that the cache never keeps a user's memory alive; after a garbage
 * collection, slices that only the cache knew are cut again once.
 *
 * <p>Not thread-safe: used by the rank's thread, shared by all its communicators (collectives of one rank
 * never run at the same time).
 */
final class SliceCache
{
    private static final int INITIAL_ENTRIES = 16;
    /** Most slices remembered per collective (an alltoall cuts 2 (p - 1)); later ones are cut each time. */
    private static final int MAX_ENTRIES = 1024;

    private Entry[] entries = new Entry[INITIAL_ENTRIES];
    private int takes;

    /**
     * Starts a collective: the next slice asked for is the first.
     */
    void reset()
    {
        takes = 0;
    }

    /**
     * @param buffer memory.
     * @param offset first byte of the slice in it.
     * @param length bytes of the slice.
     * @return {@code buffer.asSlice(offset, length)}, or an equal slice made before; the buffer itself when
     *         the slice covers it.
     */
    MemorySegment slice(final MemorySegment buffer, final long offset, final long length)
    {
        if (0 == offset && length == buffer.byteSize())
        {
            return buffer;
        }
        final int take = takes++;
        if (take >= MAX_ENTRIES)
        {
            return buffer.asSlice(offset, length);
        }
        if (take == entries.length)
        {
            entries = Arrays.copyOf(entries, 2 * take);
        }
        final Entry entry = entries[take];
        if (null != entry && entry.offset == offset && entry.buffer.get() == buffer)
        {
            final MemorySegment slice = entry.get();
            if (null != slice && slice.byteSize() == length)
            {
                return slice;
            }
        }
        final MemorySegment slice = buffer.asSlice(offset, length);
        entries[take] = new Entry(buffer, offset, slice);
        return slice;
    }

    /**
     * A slice (the referent) and what it was cut from.
     */
    private static final class Entry extends WeakReference<MemorySegment>
    {
        private final WeakReference<MemorySegment> buffer;
        private final long offset;

        Entry(final MemorySegment buffer, final long offset, final MemorySegment slice)
        {
            super(slice);
            this.buffer = new WeakReference<>(buffer);
            this.offset = offset;
        }
    }
}
