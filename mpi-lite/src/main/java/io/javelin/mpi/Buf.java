package io.javelin.mpi;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A typed view of user memory: what a message is sent from or received into.
 *
 * <p>Heap arrays are staged through registered bounce buffers for large messages; off-heap memory from
 * {@link Javelin#allocate(long)} is sent and received without any copy in user space. A Buf does not copy:
 * changes to the array or memory are what is sent.
 */
public final class Buf
{
    private final MemorySegment segment;
    private final ElementType type;
    private final int count;

    private Buf(final MemorySegment segment, final ElementType type, final int count)
    {
        this.segment = segment;
        this.type = type;
        this.count = count;
    }

    /**
     * @param a bytes.
     * @return a view of the whole array.
     */
    public static Buf of(final byte[] a)
    {
        return of(requireArray(a), 0, a.length);
    }

    /**
     * @param a      bytes.
     * @param offset first element.
     * @param count  elements.
     * @return a view of {@code a[offset .. offset + count)}.
     */
    public static Buf of(final byte[] a, final int offset, final int count)
    {
        checkRange(requireArray(a).length, offset, count);
        return new Buf(MemorySegment.ofArray(a).asSlice(offset, count), ElementType.BYTE, count);
    }

    /**
     * @param a ints.
     * @return a view of the whole array.
     */
    public static Buf of(final int[] a)
    {
        return of(requireArray(a), 0, a.length);
    }

    /**
     * @param a      ints.
     * @param offset first element.
     * @param count  elements.
     * @return a view of {@code a[offset .. offset + count)}.
     */
    public static Buf of(final int[] a, final int offset, final int count)
    {
        checkRange(requireArray(a).length, offset, count);
        return new Buf(MemorySegment.ofArray(a).asSlice(offset * 4L, count * 4L), ElementType.INT, count);
    }

    /**
     * @param a longs.
     * @return a view of the whole array.
     */
    public static Buf of(final long[] a)
    {
        return of(requireArray(a), 0, a.length);
    }

    /**
     * @param a      longs.
     * @param offset first element.
     * @param count  elements.
     * @return a view of {@code a[offset .. offset + count)}.
     */
    public static Buf of(final long[] a, final int offset, final int count)
    {
        checkRange(requireArray(a).length, offset, count);
        return new Buf(MemorySegment.ofArray(a).asSlice(offset * 8L, count * 8L), ElementType.LONG, count);
    }

    /**
     * @param a floats.
     * @return a view of the whole array.
     */
    public static Buf of(final float[] a)
    {
        return of(requireArray(a), 0, a.length);
    }

    /**
     * @param a      floats.
     * @param offset first element.
     * @param count  elements.
     * @return a view of {@code a[offset .. offset + count)}.
     */
    public static Buf of(final float[] a, final int offset, final int count)
    {
        checkRange(requireArray(a).length, offset, count);
        return new Buf(MemorySegment.ofArray(a).asSlice(offset * 4L, count * 4L), ElementType.FLOAT, count);
    }

    /**
     * @param a doubles.
     * @return a view of the whole array.
     */
    public static Buf of(final double[] a)
    {
        return of(requireArray(a), 0, a.length);
    }

    /**
     * @param a      doubles.
     * @param offset first element.
     * @param count  elements.
     * @return a view of {@code a[offset .. offset + count)}.
     */
    public static Buf of(final double[] a, final int offset, final int count)
    {
        checkRange(requireArray(a).length, offset, count);
        return new Buf(MemorySegment.ofArray(a).asSlice(offset * 8L, count * 8L), ElementType.DOUBLE, count);
    }

    /**
     * @param b a heap or direct buffer; its bytes from position to limit.
     * @return a byte view; direct buffers are registered (through the cache) rather than copied.
     */
    public static Buf of(final ByteBuffer b)
    {
        if (null == b)
        {
            throw new JavelinException(ErrorClass.INVALID_ARGUMENT, "Buf.of(ByteBuffer): buffer is null");
        }
        return of(MemorySegment.ofBuffer(b));
    }

    /**
     * @param s memory.
     * @return a byte view of the whole segment.
     */
    public static Buf of(final MemorySegment s)
    {
        return of(s, ElementType.BYTE);
    }

    /**
     * @param s    memory.
     * @param type element type; the segment's size must be a multiple of its size.
     * @return a typed view of the whole segment.
     */
    public static Buf of(final MemorySegment s, final ElementType type)
    {
        if (null == s || null == type)
        {
            throw new JavelinException(ErrorClass.INVALID_ARGUMENT,
                "Buf.of(MemorySegment, ElementType): null argument");
        }
        final long elements = s.byteSize() / type.byteSize();
        if (s.byteSize() % type.byteSize() != 0 || elements > Integer.MAX_VALUE)
        {
            throw new JavelinException(ErrorClass.INVALID_ARGUMENT, "segment of " + s.byteSize() +
                " bytes does not hold a whole number (at most 2^31-1) of " + type + " elements: slice it with asSlice");
        }
        return new Buf(s, type, (int)elements);
    }

    /**
     * @return element type.
     */
    public ElementType type()
    {
        return type;
    }

    /**
     * @return elements.
     */
    public int count()
    {
        return count;
    }

    /**
     * @return bytes.
     */
    public long byteSize()
    {
        return segment.byteSize();
    }

    /**
     * @return the memory this view covers, exactly {@link #byteSize()} bytes (heap or native).
     */
    public MemorySegment segment()
    {
        return segment;
    }

    @Override
    public String toString()
    {
        return "Buf[" + type + " x " + count + (segment.isNative() ? ", native]" : ", heap]");
    }

    private static <T> T requireArray(final T array)
    {
        if (null == array)
        {
            throw new JavelinException(ErrorClass.INVALID_ARGUMENT, "Buf.of: array is null");
        }
        return array;
    }

    private static void checkRange(final int length, final int offset, final int count)
    {
        if (offset < 0 || count < 0 || offset > length - count)
        {
            throw new JavelinException(ErrorClass.INVALID_ARGUMENT, "Buf.of: offset " + offset + " and count " +
                count + " do not fit an array of length " + length);
        }
    }
}
