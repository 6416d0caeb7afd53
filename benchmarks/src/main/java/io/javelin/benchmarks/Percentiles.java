package io.javelin.benchmarks;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * The P50 and P99 columns Javelin adds to OSU's reports, read from an HdrHistogram of per-iteration times
 * (3 significant digits). Latency benchmarks show the percentiles of the time in microseconds; bandwidth
 * benchmarks show the bandwidth of the median and of the 99th-percentile (slow) window in MB/s.
 *
 * @param p50 the median, in the report's unit.
 * @param p99 the 99th percentile, in the report's unit.
 */
record Percentiles(double p50, double p99)
{
    /** Times above this are recorded as this: a histogram of up to 10 s keeps its memory small. */
    static final long HIGHEST_RECORDED_NS = TimeUnit.SECONDS.toNanos(10);

    /**
     * @return an empty histogram of nanoseconds, up to {@link #HIGHEST_RECORDED_NS}, 3 significant digits.
     */
    static Histogram newHistogram()
    {
        return new Histogram(HIGHEST_RECORDED_NS, 3);
    }

    /**
     * Records a time without allocating; times beyond the histogram's range are clamped.
     *
     * @param histogram   from {@link #newHistogram()}.
     * @param nanoseconds the time.
     */
    static void record(final Histogram histogram, final long nanoseconds)
    {
        histogram.recordValue(Math.max(0, Math.min(nanoseconds, HIGHEST_RECORDED_NS)));
    }

    /**
     * @param timesNs a histogram of times in nanoseconds.
     * @return its P50 and P99 in microseconds (0 if it is empty).
     */
    static Percentiles microseconds(final Histogram timesNs)
    {
        return new Percentiles(OsuReport.microseconds(timesNs.getValueAtPercentile(50.0)),
            OsuReport.microseconds(timesNs.getValueAtPercentile(99.0)));
    }

    /**
     * @param windowNs       a histogram of window times in nanoseconds.
     * @param bytesPerWindow bytes one window moves.
     * @return the bandwidth of the median window and of the 99th-percentile window, in MB/s.
     */
    static Percentiles bandwidth(final Histogram windowNs, final double bytesPerWindow)
    {
        return new Percentiles(
            OsuReport.megabytesPerSecond(bytesPerWindow, Math.max(1, windowNs.getValueAtPercentile(50.0))),
            OsuReport.megabytesPerSecond(bytesPerWindow, Math.max(1, windowNs.getValueAtPercentile(99.0))));
    }
}
