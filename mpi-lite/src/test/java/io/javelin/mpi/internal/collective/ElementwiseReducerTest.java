package io.javelin.mpi.internal.collective;

import io.javelin.mpi.ElementType;
import io.javelin.mpi.ErrorClass;
import io.javelin.mpi.JavelinException;
import io.javelin.mpi.Op;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reduction kernels against scalar arithmetic, on heap arrays at offsets, byte arrays viewed as other
 * types, and native memory, across several staging chunks.
 */
class ElementwiseReducerTest
{
    private static final List<Op> OPS = List.of(Op.SUM, Op.PROD, Op.MIN, Op.MAX, Op.BAND, Op.BOR, Op.BXOR);

    @Test
    void shouldMatchScalarArithmeticForEveryOpTypeAndMemoryKind()
    {
        final ElementwiseReducer reducer = new ElementwiseReducer();
        final Random random = new Random(7);
        try (Arena arena = Arena.ofConfined())
        {
            for (final ElementType type : List.of(ElementType.INT, ElementType.LONG, ElementType.FLOAT,
                ElementType.DOUBLE))
            {
                for (final Op op : OPS)
                {
                    if (op.isBitwise() && (type == ElementType.FLOAT || type == ElementType.DOUBLE))
                    {
                        continue;
                    }
                    final ReductionOp reduction = ReductionOp.of(op, type, "test");
                    // around the switch from in place to the arrays (SCALAR_BYTES: 64 longs, 128 ints), and long
                    final int last = ElementwiseReducer.SCALAR_BYTES / type.byteSize();
                    for (final int count : new int[]{0, 1, 2, 7, 8, 9, 17, last, last + 1, 9_000})
                    {
                        for (int kinds = 0; kinds < 4; kinds++)
                        {
                            final MemorySegment x = memory(type, count, kinds & 1, arena);
                            final MemorySegment y = memory(type, count, kinds >> 1, arena);
                            fill(x, type, random);
                            fill(y, type, random);
                            final MemorySegment expected = expected(op, type, x, y);
                            reducer.reduce(reduction, type, x, y);
                            assertEquals(-1, x.mismatch(expected), op + " " + type + " x " + count + " kinds " + kinds);
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldFollowMathMinAndMaxForNaNAndSignedZero()
    {
        final ElementwiseReducer reducer = new ElementwiseReducer();
        final MemorySegment x = MemorySegment.ofArray(new double[]{Double.NaN, 0.0, -0.0, 1});
        final MemorySegment y = MemorySegment.ofArray(new double[]{1, -0.0, 0.0, Double.NaN});
        reducer.reduce(ReductionOp.MIN, ElementType.DOUBLE, x, y);
        assertTrue(Double.isNaN(x.getAtIndex(ValueLayout.JAVA_DOUBLE, 0)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(
            x.getAtIndex(ValueLayout.JAVA_DOUBLE, 1)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(
            x.getAtIndex(ValueLayout.JAVA_DOUBLE, 2)));
        assertTrue(Double.isNaN(x.getAtIndex(ValueLayout.JAVA_DOUBLE, 3)));
    }

    @Test
    void shouldRefuseBadPairingsNamingTheCollective()
    {
        for (final Map.Entry<Op, ElementType> bad : List.of(Map.entry(Op.BXOR, ElementType.FLOAT),
            Map.entry(Op.BAND, ElementType.DOUBLE), Map.entry(Op.SUM, ElementType.BYTE),
            Map.entry(Op.MAX, ElementType.BYTE)))
        {
            final JavelinException ex = assertThrows(JavelinException.class,
                () -> ReductionOp.of(bad.getKey(), bad.getValue(), "allreduce"));
            assertEquals(ErrorClass.INVALID_ARGUMENT, ex.errorClass());
            assertTrue(ex.getMessage().contains("allreduce: " + bad.getKey()), ex.getMessage());
        }
        assertEquals(ReductionOp.BXOR, ReductionOp.of(Op.BXOR, ElementType.LONG, "allreduce"));
    }

    private static MemorySegment memory(final ElementType type, final int count, final int kind, final Arena arena)
    {
        final long bytes = (long)count * type.byteSize();
        if (kind == 1)
        {
            return arena.allocate(bytes + 3, 8).asSlice(3, bytes);
        }
        // a typed array one element in (kind 0); for LONG, a byte array three bytes in (unaligned)
        return switch (type)
        {
            case INT -> MemorySegment.ofArray(new int[count + 1]).asSlice(4, bytes);
            case LONG -> MemorySegment.ofArray(new byte[(int)bytes + 3]).asSlice(3, bytes);
            case FLOAT -> MemorySegment.ofArray(new float[count + 1]).asSlice(4, bytes);
            default -> MemorySegment.ofArray(new double[count + 1]).asSlice(8, bytes);
        };
    }

    private static void fill(final MemorySegment segment, final ElementType type, final Random random)
    {
        final long count = segment.byteSize() / type.byteSize();
        for (long i = 0; i < count; i++)
        {
            switch (type)
            {
                case INT -> segment.set(ValueLayout.JAVA_INT_UNALIGNED, 4 * i, random.nextInt());
                case LONG -> segment.set(ValueLayout.JAVA_LONG_UNALIGNED, 8 * i, random.nextLong());
                case FLOAT -> segment.set(ValueLayout.JAVA_FLOAT_UNALIGNED, 4 * i, random.nextFloat() * 100 - 50);
                default -> segment.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, 8 * i, random.nextGaussian() * 1e3);
            }
        }
    }

    private static MemorySegment expected(final Op op, final ElementType type, final MemorySegment x,
        final MemorySegment y)
    {
        final MemorySegment result = MemorySegment.ofArray(new byte[(int)x.byteSize()]);
        final long count = x.byteSize() / type.byteSize();
        for (long i = 0; i < count; i++)
        {
            switch (type)
            {
                case INT ->
                {
                    final int a = x.get(ValueLayout.JAVA_INT_UNALIGNED, 4 * i);
                    final int b = y.get(ValueLayout.JAVA_INT_UNALIGNED, 4 * i);
                    result.set(ValueLayout.JAVA_INT_UNALIGNED, 4 * i, (int)longOp(op, a, b));
                }
                case LONG ->
                {
                    final long a = x.get(ValueLayout.JAVA_LONG_UNALIGNED, 8 * i);
                    final long b = y.get(ValueLayout.JAVA_LONG_UNALIGNED, 8 * i);
                    result.set(ValueLayout.JAVA_LONG_UNALIGNED, 8 * i, longOp(op, a, b));
                }
                case FLOAT ->
                {
                    final float a = x.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 4 * i);
                    final float b = y.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 4 * i);
                    final float r = op == Op.SUM ? a + b : op == Op.PROD ? a * b : op == Op.MIN ? Math.min(a, b) :
                        Math.max(a, b);
                    result.set(ValueLayout.JAVA_FLOAT_UNALIGNED, 4 * i, r);
                }
                default ->
                {
                    final double a = x.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, 8 * i);
                    final double b = y.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, 8 * i);
                    final double r = op == Op.SUM ? a + b : op == Op.PROD ? a * b : op == Op.MIN ? Math.min(a, b) :
                        Math.max(a, b);
                    result.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, 8 * i, r);
                }
            }
        }
        return result;
    }

    private static long longOp(final Op op, final long a, final long b)
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
}
