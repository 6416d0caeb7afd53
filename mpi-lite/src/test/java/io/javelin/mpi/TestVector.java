package io.javelin.mpi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A vector of one element type for collective tests, on the heap (a typed array, viewed at an offset so
 * that views are exercised) or off-heap. Elements are read and written as raw values: the int or long
 * itself, or the IEEE bits of a float or double, so that comparisons are exact.
 */
final class TestVector
{
    /** Written where nothing should be written, to see overwrites. */
    static final long SENTINEL = 0x5A;

    private final ElementType type;
    private final MemorySegment segment;
    private final Buf buf;

    private TestVector(final ElementType type, final MemorySegment segment, final Buf buf)
    {
        this.type = type;
        this.segment = segment;
        this.buf = buf;
    }

    /**
     * @param type  element type.
     * @param count elements.
     * @param heap  a typed array (viewed from element 1) or native memory from the arena.
     * @param arena for native memory.
     * @return a vector filled with {@link #SENTINEL}.
     */
    static TestVector allocate(final ElementType type, final int count, final boolean heap, final Arena arena)
    {
        final TestVector vector;
        if (heap)
        {
            final int offset = 1;
            final Buf buf = switch (type)
            {
                case BYTE -> Buf.of(new byte[count + 2], offset, count);
                case INT -> Buf.of(new int[count + 2], offset, count);
                case LONG -> Buf.of(new long[count + 2], offset, count);
                case FLOAT -> Buf.of(new float[count + 2], offset, count);
                case DOUBLE -> Buf.of(new double[count + 2], offset, count);
            };
            vector = new TestVector(type, buf.segment(), buf);
        }
        else
        {
            final MemorySegment segment = arena.allocate((long)count * type.byteSize(), 8);
            vector = new TestVector(type, segment, Buf.of(segment, type));
        }
        vector.fill(SENTINEL);
        return vector;
    }

    Buf buf()
    {
        return buf;
    }

    int count()
    {
        return buf.count();
    }

    void fill(final long raw)
    {
        for (int i = 0; i < count(); i++)
        {
            set(i, raw);
        }
    }

    long get(final int i)
    {
        return switch (type)
        {
            case BYTE -> segment.get(ValueLayout.JAVA_BYTE, i);
            case INT, FLOAT -> segment.get(ValueLayout.JAVA_INT_UNALIGNED, 4L * i);
            case LONG, DOUBLE -> segment.get(ValueLayout.JAVA_LONG_UNALIGNED, 8L * i);
        };
    }

    void set(final int i, final long raw)
    {
        switch (type)
        {
            case BYTE -> segment.set(ValueLayout.JAVA_BYTE, i, (byte)raw);
            case INT, FLOAT -> segment.set(ValueLayout.JAVA_INT_UNALIGNED, 4L * i, (int)raw);
            case LONG, DOUBLE -> segment.set(ValueLayout.JAVA_LONG_UNALIGNED, 8L * i, raw);
        }
    }

    /**
     * An input value that makes reductions exact whatever the order of combination: small integers for
     * SUM, plus or minus powers of two for PROD, arbitrary values for MIN, MAX and the bitwise operations.
     *
     * @param type element type.
     * @param op   the reduction the value is for, or null for any value.
     * @param rank the rank that contributes it.
     * @param i    its index.
     * @param seed varies the values between cases.
     * @return raw value.
     */
    static long value(final ElementType type, final Op op, final int rank, final int i, final int seed)
    {
        final long hash = mix(rank * 1_000_003L + i * 7919L + seed * 104_729L);
        if (op == Op.PROD)
        {
            final int[] factors = {1, -1, 2, -2, 1, 1, -1, 3};
            final int factor = factors[(int)((hash >>> 7) & 7)];
            final boolean floating = type == ElementType.FLOAT || type == ElementType.DOUBLE;
            return raw(type, floating && (hash & 1) == 0 ? factor / 2.0 : factor);
        }
        if (op == Op.SUM)
        {
            return raw(type, (hash >>> 5) % 2001 - 1000);
        }
        return switch (type)
        {
            case BYTE -> (byte)hash;
            case INT -> (int)hash;
            case LONG -> hash;
            case FLOAT -> Float.floatToRawIntBits((float)(((hash >>> 11) % 100_000 - 50_000) / 7.0));
            case DOUBLE -> Double.doubleToRawLongBits(((hash >>> 11) % 100_000_000 - 50_000_000) / 13.0);
        };
    }

    /**
     * @return {@code a op b} on raw values.
     */
    static long combine(final Op op, final ElementType type, final long a, final long b)
    {
        return switch (type)
        {
            case INT -> (int)combineLong(op, (int)a, (int)b);
            case LONG -> combineLong(op, a, b);
            case FLOAT -> Float.floatToRawIntBits((float)combineDouble(op, Float.intBitsToFloat((int)a),
                Float.intBitsToFloat((int)b)));
            case DOUBLE -> Double.doubleToRawLongBits(combineDouble(op, Double.longBitsToDouble(a),
                Double.longBitsToDouble(b)));
            case BYTE -> throw new IllegalArgumentException("BYTE is not reducible");
        };
    }

    /**
     * @return the raw value as the vector stores it (ints sign-extended, floats as their bits).
     */
    static long normalise(final ElementType type, final long raw)
    {
        return switch (type)
        {
            case BYTE -> (byte)raw;
            case INT, FLOAT -> (int)raw;
            case LONG, DOUBLE -> raw;
        };
    }

    static String show(final ElementType type, final long raw)
    {
        return switch (type)
        {
            case FLOAT -> Float.toString(Float.intBitsToFloat((int)raw));
            case DOUBLE -> Double.toString(Double.longBitsToDouble(raw));
            default -> Long.toString(raw);
        };
    }

    private static long combineLong(final Op op, final long a, final long b)
    {
        if (op == Op.SUM)
        {
            return a + b;
        }
        if (op == Op.PROD)
        {
            return a * b;
        }
        if (op == Op.MIN)
        {
            return Math.min(a, b);
        }
        if (op == Op.MAX)
        {
            return Math.max(a, b);
        }
        if (op == Op.BAND)
        {
            return a & b;
        }
        return op == Op.BOR ? a | b : a ^ b;
    }

    private static double combineDouble(final Op op, final double a, final double b)
    {
        if (op == Op.SUM)
        {
            return a + b;
        }
        if (op == Op.PROD)
        {
            return a * b;
        }
        return op == Op.MIN ? Math.min(a, b) : Math.max(a, b);
    }

    private static long raw(final ElementType type, final double value)
    {
        return switch (type)
        {
            case BYTE -> (byte)value;
            case INT -> (int)value;
            case LONG -> (long)value;
            case FLOAT -> Float.floatToRawIntBits((float)value);
            case DOUBLE -> Double.doubleToRawLongBits(value);
        };
    }

    private static long mix(final long x)
    {
        long z = x + 0x9E37_79B9_7F4A_7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
