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

    /** osu_latency: 10000 iterations after 1000 warm-up, 1000 after 100 above 8 KiB. */
    public static final IterationCounts LATENCY = new IterationCounts(10_000, 1_000, 1_000, 100);

    /** osu_bw and osu_bibw: 100 windows after 10 warm-up, 20 after 2 above 8 KiB. */
    public static final IterationCounts BANDWIDTH = new IterationCounts(100, 10, 20, 2);

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
