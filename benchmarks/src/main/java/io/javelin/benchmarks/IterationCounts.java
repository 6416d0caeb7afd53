package io.javelin.benchmarks;

/**
 * How many timed and warm-up iterations a benchmark runs per message size. As in OSU, sizes above
 * {@link #LARGE_MESSAGE_BYTES} use the (smaller) large counts.
 *
 * @param small       timed iterations up to {@link #LARGE_MESSAGE_BYTES}.
 * @param smallWarmup untimed iterations before them.
 * @param large       timed iterations above {@link #LARGE_MESSAGE_BYTES}.
 * @param largeWarmup untimed iterations before them.
 */
public record IterationCounts(int small, int smallWarmup, int large, int largeWarmup)
{
    /** OSU's LARGE_MESSAGE_SIZE: 8 KiB. */
    public static final int LARGE_MESSAGE_BYTES = 8 * 1024;

    /**
     * osu_latency's 10000 iterations (1000 above 8 KiB), with more warm-up than OSU's 1000 (100): a JVM needs
     * about ten thousand passes through the data path before the JIT has compiled it, and OSU's counts would
     * time the first sizes in the interpreter.
     */
    public static final IterationCounts LATENCY = new IterationCounts(10_000, 50_000, 1_000, 200);

    /** osu_bw and osu_bibw: 100 windows (20 above 8 KiB), warm-up raised from OSU's 10 (2) for the JIT. */
    public static final IterationCounts BANDWIDTH = new IterationCounts(100, 2_000, 20, 10);

    /**
     * The collectives: OSU's 1000 timed iterations (100 above 8 KiB), warm-up raised from OSU's 200 (10). A JVM
     * needs about ten thousand passes through a collective before the JIT has compiled it, and until then its
     * compiler threads take CPU time from the ranks: with as many ranks as cores a rank loses its CPU for a
     * scheduler time slice (milliseconds), which OSU's average then carries.
     */
    public static final IterationCounts COLLECTIVE = new IterationCounts(1_000, 20_000, 100, 500);

    /**
     * @param size message bytes.
     * @return timed iterations for that size.
     */
    public int iterations(final int size)
    {
        return size > LARGE_MESSAGE_BYTES ? large : small;
    }

    /**
     * @param size message bytes.
     * @return warm-up iterations for that size.
     */
    public int warmup(final int size)
    {
        return size > LARGE_MESSAGE_BYTES ? largeWarmup : smallWarmup;
    }

    /**
     * @param iterations timed iterations for every size, or null to keep these.
     * @param warmup     warm-up iterations for every size, or null to keep these.
     * @return the counts with the overrides applied.
     */
    public IterationCounts override(final Integer iterations, final Integer warmup)
    {
        return new IterationCounts(
            null == iterations ? small : iterations,
            null == warmup ? smallWarmup : warmup,
            null == iterations ? large : iterations,
            null == warmup ? largeWarmup : warmup);
    }
}
