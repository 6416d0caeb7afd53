package io.javelin.mpi.internal.collective;

/**
 * Element-wise {@code x[i] = x[i] op y[i]} on int arrays, one plain loop per operation so that the JIT
 * vectorises it (arrays at index 0: no offsets that could make the arrays overlap).
 */
final class IntKernels
{
    private IntKernels()
    {
    }

    /**
     * @return {@code x op y}: one element of what {@link #apply} computes, for vectors too short for its loops.
     */
    static int combine(final ReductionOp op, final int x, final int y)
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

    static void apply(final ReductionOp op, final int[] x, final int[] y, final int n)
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

    private static void sum(final int[] x, final int[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] += y[i];
        }
    }

    private static void prod(final int[] x, final int[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] *= y[i];
        }
    }

    private static void min(final int[] x, final int[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] = Math.min(x[i], y[i]);
        }
    }

    private static void max(final int[] x, final int[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] = Math.max(x[i], y[i]);
        }
    }

    private static void and(final int[] x, final int[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] &= y[i];
        }
    }

    private static void or(final int[] x, final int[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] |= y[i];
        }
    }

    private static void xor(final int[] x, final int[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] ^= y[i];
        }
    }
}
