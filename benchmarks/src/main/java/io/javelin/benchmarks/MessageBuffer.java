package io.javelin.benchmarks;

import io.javelin.mpi.Buf;

import java.lang.foreign.MemorySegment;
import java.util.function.IntFunction;

/**
 * One benchmark buffer of some {@link BufferKind}: message views of its first bytes are made once per
 * message size, outside the timed loop, as a user of that kind of memory would make them.
 */
final class MessageBuffer
{
    private final MemorySegment memory;
    private final IntFunction<Buf> views;

    /**
     * @param memory the whole buffer (to fill it).
     * @param views  makes the Buf of the first {@code size} bytes.
     */
    MessageBuffer(final MemorySegment memory, final IntFunction<Buf> views)
    {
        this.memory = memory;
        this.views = views;
    }

    /**
     * @param size bytes, at most the capacity.
     * @return a view of the first {@code size} bytes.
     */
    Buf view(final int size)
    {
        return views.apply(size);
    }

    /**
     * Writes a byte everywhere, as OSU does before measuring, so that the pages are touched.
     *
     * @param value the byte.
     * @return this.
     */
    MessageBuffer fill(final byte value)
    {
        memory.fill(value);
        return this;
    }
}
