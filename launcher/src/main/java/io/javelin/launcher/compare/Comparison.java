package io.javelin.launcher.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * The results of a comparison: for each benchmark and path, every round's values per message size from each
 * side, their median per size (the values the table and the plot show: a round disturbed by the rest of a
 * noisy machine does not move them), and the median of the rounds' ratios Javelin / native (the ratio the table
 * shows: the two runs of a round follow each other, so a machine whose speed changes between rounds, as this
 * VM's does every few seconds, moves both alike and their ratio much less than either median).
 *
 * <p>Not thread-safe: filled and read by the thread that runs the comparison.
 */
public final class Comparison
{
    /** The two sides of a comparison. */
    public enum Side
    {
        /** Javelin's benchmark. */
        JAVELIN,
        /** The native MPI program. */
        NATIVE
    }

    private final Map<CompareBenchmark, Map<ComparePath, Map<Side, List<SortedMap<Integer, Double>>>>> rounds =
        new EnumMap<>(CompareBenchmark.class);

    /**
     * Records one run.
     *
     * @param benchmark what was measured.
     * @param path      on which path.
     * @param side      by whom.
     * @param values    the run's values per size ({@link OsuOutputParser}).
     */
    public void add(final CompareBenchmark benchmark, final ComparePath path, final Side side,
        final SortedMap<Integer, Double> values)
    {
        rounds.computeIfAbsent(benchmark, (key) -> new EnumMap<>(ComparePath.class))
            .computeIfAbsent(path, (key) -> new EnumMap<>(Side.class))
            .computeIfAbsent(side, (key) -> new ArrayList<>())
            .add(values);
    }

    /**
     * @return the benchmarks with results, in declaration order.
     */
    public List<CompareBenchmark> benchmarks()
    {
        return new ArrayList<>(rounds.keySet());
    }

    /**
     * @param benchmark a benchmark.
     * @return the paths it has results for, in declaration order.
     */
    public List<ComparePath> paths(final CompareBenchmark benchmark)
    {
        return new ArrayList<>(rounds.getOrDefault(benchmark, Map.of()).keySet());
    }

    /**
     * @param benchmark a benchmark.
     * @return every size any run of it reported, ascending.
     */
    public SortedSet<Integer> sizes(final CompareBenchmark benchmark)
    {
        final SortedSet<Integer> sizes = new TreeSet<>();
        rounds.getOrDefault(benchmark, Map.of()).values().forEach((sides) -> sides.values()
            .forEach((runs) -> runs.forEach((run) -> sizes.addAll(run.keySet()))));
        return sizes;
    }

    /**
     * @param benchmark a benchmark.
     * @param path      a path.
     * @param side      a side.
     * @return the median over the rounds per size (the mean of the middle two for an even count); sizes no
     *         round reported are absent.
     */
    public SortedMap<Integer, Double> median(final CompareBenchmark benchmark, final ComparePath path,
        final Side side)
    {
        final List<SortedMap<Integer, Double>> runs = rounds.getOrDefault(benchmark, Map.of())
            .getOrDefault(path, Map.of()).getOrDefault(side, List.of());
        final SortedMap<Integer, Double> medians = new TreeMap<>();
        for (final int size : sizes(benchmark))
        {
            final double[] values = runs.stream().filter((run) -> run.containsKey(size))
                .mapToDouble((run) -> run.get(size)).toArray();
            if (values.length > 0)
            {
                medians.put(size, median(values));
            }
        }
        return Collections.unmodifiableSortedMap(medians);
    }

    /**
     * @param benchmark a benchmark.
     * @param path      a path.
     * @return per size, the median over the rounds of Javelin's value divided by the native value of the same
     *         round (the k-th run of each side); sizes no round reported on both sides (or with a native value of
     *         0) are absent.
     */
    public SortedMap<Integer, Double> medianRatio(final CompareBenchmark benchmark, final ComparePath path)
    {
        final Map<Side, List<SortedMap<Integer, Double>>> sides =
            rounds.getOrDefault(benchmark, Map.of()).getOrDefault(path, Map.of());
        final List<SortedMap<Integer, Double>> javelin = sides.getOrDefault(Side.JAVELIN, List.of());
        final List<SortedMap<Integer, Double>> nativeMpi = sides.getOrDefault(Side.NATIVE, List.of());
        final SortedMap<Integer, Double> ratios = new TreeMap<>();
        for (final int size : sizes(benchmark))
        {
            final double[] values = IntStream.range(0, Math.min(javelin.size(), nativeMpi.size()))
                .filter((k) -> javelin.get(k).containsKey(size) && nativeMpi.get(k).getOrDefault(size, 0.0) != 0.0)
                .mapToDouble((k) -> javelin.get(k).get(size) / nativeMpi.get(k).get(size)).toArray();
            if (values.length > 0)
            {
                ratios.put(size, median(values));
            }
        }
        return Collections.unmodifiableSortedMap(ratios);
    }

    /**
     * @param values at least one value; sorted in place.
     * @return their median.
     */
    static double median(final double[] values)
    {
        Arrays.sort(values);
        final int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2.0;
    }
}
