package io.javelin.mpi.internal.collective;

/**
 * Element-wise {@code x[i] = x[i] op y[i]} on long arrays, one plain loop per operation so that the JIT
 * vectorises it (arrays at index 0: no offsets that could make the arrays overlap).
 */
final class LongKernels
{
    private LongKernels()
    {
    }

    /**
     * @return {@code x op y}: one element of what {@link #apply} computes, for vectors too short for its loops.
     */
    static long combine(final ReductionOp op, final long x, final long y)
    {
        return switch (op)
        {
            case SUM -> x + y;
            case PROD -> x * y;
            case MIN -> Math.min(x, y);
            case MAX -> Math.max(x, y);
            case BAND -> x & y;
            case BOR -> x | y;
            case BXOR -> x ^ y;
        };
    }

    static void apply(final ReductionOp op, final long[] x, final long[] y, final int n)
    {
        switch (op)
        {
            case SUM -> sum(x, y, n);
            case PROD -> prod(x, y, n);
            case MIN -> min(x, y, n);
            case MAX -> max(x, y, n);
            case BAND -> and(x, y, n);
            case BOR -> or(x, y, n);
            case BXOR -> xor(x, y, n);
        }
    }

    private static void sum(final long[] x, final long[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] += y[i];
        }
    }

    private static void prod(final long[] x, final long[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] *= y[i];
        }
    }

    private static void min(final long[] x, final long[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] = Math.min(x[i], y[i]);
        }
    }

    private static void max(final long[] x, final long[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] = Math.max(x[i], y[i]);
        }
    }

    private static void and(final long[] x, final long[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] &= y[i];
        }
    }

    private static void or(final long[] x, final long[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] |= y[i];
        }
    }

    private static void xor(final long[] x, final long[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] ^= y[i];
        }
    }
}
