package io.javelin.mpi.internal.collective;

/**
 * Element-wise {@code x[i] = x[i] op y[i]} on float arrays, one plain loop per operation so that the JIT
 * vectorises it (arrays at index 0: no offsets that could make the arrays overlap).
 */
final class FloatKernels
{
    private FloatKernels()
    {
    }

    /**
     * @return {@code x op y}: one element of what {@link #apply} computes, for vectors too short for its loops.
     */
    static float combine(final ReductionOp op, final float x, final float y)
    {
        return switch (op)
        {
            case SUM -> x + y;
            case PROD -> x * y;
            case MIN -> Math.min(x, y);
            case MAX -> Math.max(x, y);
            default -> throw new IllegalStateException(op + " on floats passed the argument checks");
        };
    }

    static void apply(final ReductionOp op, final float[] x, final float[] y, final int n)
    {
        switch (op)
        {
            case SUM -> sum(x, y, n);
            case PROD -> prod(x, y, n);
            case MIN -> min(x, y, n);
            case MAX -> max(x, y, n);
            default -> throw new IllegalStateException(op + " on floats passed the argument checks");
        }
    }

    private static void sum(final float[] x, final float[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] += y[i];
        }
    }

    private static void prod(final float[] x, final float[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] *= y[i];
        }
    }

    private static void min(final float[] x, final float[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] = Math.min(x[i], y[i]);
        }
    }

    private static void max(final float[] x, final float[] y, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            x[i] = Math.max(x[i], y[i]);
        }
    }
}
