package io.javelin.transport.conformance;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.CRC32;

/**
 * Fills memory with reproducible patterns and checksums it, for tests that move bytes.
 */
public final class TestMemory
{
    private TestMemory()
    {
    }

    /**
     * Fills the whole segment with a pseudo-random pattern derived from {@code seed}.
     *
     * @param segment memory to fill (heap or native).
     * @param seed    pattern seed; the same seed gives the same bytes.
     */
    public static void fill(final MemorySegment segment, final long seed)
    {
        long x = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        final long size = segment.byteSize();
        long offset = 0;
        for (; offset + Long.BYTES <= size; offset += Long.BYTES)
        {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            segment.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, x);
        }
        for (; offset < size; offset++)
        {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            segment.set(ValueLayout.JAVA_BYTE, offset, (byte)x);
        }
    }

    /**
     * @param seed pattern seed.
     * @param size bytes.
     * @return a heap segment holding the pattern of {@link #fill(MemorySegment, long)}.
     */
    public static MemorySegment heapPattern(final long seed, final int size)
    {
        final MemorySegment segment = MemorySegment.ofArray(new byte[size]);
        fill(segment, seed);
        return segment;
    }

    /**
     * @param segment memory.
     * @param offset  first byte.
     * @param length  bytes.
     * @return CRC32 of the bytes.
     */
    public static long crc(final MemorySegment segment, final long offset, final long length)
    {
        final CRC32 crc = new CRC32();
        update(crc, segment, offset, length);
        return crc.getValue();
    }

    /**
     * @param segment memory.
     * @return CRC32 of the whole segment.
     */
    public static long crc(final MemorySegment segment)
    {
        return crc(segment, 0, segment.byteSize());
    }

    /**
     * Adds bytes to a running checksum.
     *
     * @param crc     the running checksum.
     * @param segment memory.
     * @param offset  first byte.
     * @param length  bytes.
     */
    public static void update(final CRC32 crc, final MemorySegment segment, final long offset, final long length)
    {
        // copy through a small array: works for native memory and for heap memory backed by any array type
        final byte[] chunk = new byte[(int)Math.min(length, 64 * 1024)];
        for (long done = 0; done < length; done += chunk.length)
        {
            final int bytes = (int)Math.min(chunk.length, length - done);
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset + done, chunk, 0, bytes);
            crc.update(chunk, 0, bytes);
        }
    }
}
