package io.javelin.benchmarks;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Javelin;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Where a benchmark's message buffers live ({@code --buffer}), so that users see what zero-copy buys.
 */
public enum BufferKind
{
    /** {@code byte[]} on the Java heap: the GC may move it, so large messages are staged through bounce buffers. */
    HEAP("byte[] on the heap, staged through bounce buffers")
    {
        @Override
        MessageBuffer allocate(final Javelin javelin, final int capacity)
        {
            final byte[] array = new byte[capacity];
            return new MessageBuffer(MemorySegment.ofArray(array), size -> Buf.of(array, 0, size));
        }
    },

    /** {@code ByteBuffer.allocateDirect}: native memory, registered on first use through the registration cache. */
    DIRECT("ByteBuffer.allocateDirect, registered through the cache")
    {
        @Override
        MessageBuffer allocate(final Javelin javelin, final int capacity)
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(capacity);
            return new MessageBuffer(MemorySegment.ofBuffer(buffer), size -> Buf.of(buffer.slice(0, size)));
        }
    },

    /** {@code javelin.allocate}: native memory registered once for the job: zero-copy. */
    SEGMENT("javelin.allocate, registered once: zero-copy")
    {
        @Override
        MessageBuffer allocate(final Javelin javelin, final int capacity)
        {
            final MemorySegment segment = javelin.allocate(capacity);
            return new MessageBuffer(segment, size -> Buf.of(segment.asSlice(0, size)));
        }
    };

    private final String description;

    BufferKind(final String description)
    {
        this.description = description;
    }

    /**
     * @return what this kind of memory is and how messages move from it, for the report header.
     */
    public String description()
    {
        return description;
    }

    /**
     * @param javelin  the rank's handle (for {@link #SEGMENT}).
     * @param capacity bytes, the largest message size.
     * @return a buffer of this kind.
     */
    abstract MessageBuffer allocate(Javelin javelin, int capacity);
}
