package io.javelin.launcher.compare;

import io.javelin.benchmarks.IterationCounts;
import io.javelin.benchmarks.SizeRange;

/**
 * A measurement both sides make by the OSU method: Javelin's benchmark class, the native program's name for
 * it ({@code javelin_native_bench} and the OSU suite), and the defaults Javelin's benchmark uses, which the
 * native side is given too so that both run the same sizes and iteration counts.
 */
public enum CompareBenchmark
{
    /** One-way latency between ranks 0 and 1 (half the round trip), microseconds. */
    LATENCY("latency", "io.javelin.benchmarks.OsuLatency", "osu_latency", new SizeRange(0, 4 << 20),
        IterationCounts.LATENCY, "One-way latency", "latency (us)", false),

    /** Bandwidth from rank 0 to rank 1 with a window of messages in flight, MB/s (10^6 bytes). */
    BW("bw", "io.javelin.benchmarks.OsuBandwidth", "osu_bw", new SizeRange(1, 4 << 20),
        IterationCounts.BANDWIDTH, "Bandwidth", "bandwidth (MB/s)", true),

    /** Allreduce (SUM of floats) latency averaged over the ranks, microseconds. */
    ALLREDUCE("allreduce", "io.javelin.benchmarks.OsuAllreduce", "osu_allreduce", new SizeRange(4, 1 << 20),
        IterationCounts.COLLECTIVE, "Allreduce latency", "latency (us)", false);

    private final String label;
    private final String javelinClass;
    private final String osuProgram;
    private final SizeRange defaultSizes;
    private final IterationCounts defaultCounts;
    private final String title;
    private final String quantity;
    private final boolean higherIsBetter;

    CompareBenchmark(
        final String label,
        final String javelinClass,
        final String osuProgram,
        final SizeRange defaultSizes,
        final IterationCounts defaultCounts,
        final String title,
        final String quantity,
        final boolean higherIsBetter)
    {
        this.label = label;
        this.javelinClass = javelinClass;
        this.osuProgram = osuProgram;
        this.defaultSizes = defaultSizes;
        this.defaultCounts = defaultCounts;
        this.title = title;
        this.quantity = quantity;
        this.higherIsBetter = higherIsBetter;
    }

    /**
     * @return the name on the command line ({@code javelin bench NAME}) and of the native program's mode.
     */
    public String label()
    {
        return label;
    }

    /**
     * @return Javelin's benchmark main class.
     */
    public String javelinClass()
    {
        return javelinClass;
    }

    /**
     * @return the OSU Micro-Benchmarks program that makes the same measurement.
     */
    public String osuProgram()
    {
        return osuProgram;
    }

    /**
     * @return the sizes Javelin's benchmark runs when not given {@code --sizes}.
     */
    public SizeRange defaultSizes()
    {
        return defaultSizes;
    }

    /**
     * @return the iteration counts Javelin's benchmark runs when not given {@code --iterations} or
     *         {@code --warmup}.
     */
    public IterationCounts defaultCounts()
    {
        return defaultCounts;
    }

    /**
     * @return a title for the table and the plot, e.g. "One-way latency".
     */
    public String title()
    {
        return title;
    }

    /**
     * @return what a value is, with its unit, e.g. "latency (us)".
     */
    public String quantity()
    {
        return quantity;
    }

    /**
     * @return true for bandwidth (higher is better), false for latency.
     */
    public boolean higherIsBetter()
    {
        return higherIsBetter;
    }
}
