package io.javelin.launcher.compare;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;

/**
 * Prints a {@link Comparison} as one table per benchmark: the message size, then for each path Javelin's
 * median, the native median and the median of the rounds' ratios Javelin / native
 * ({@link Comparison#medianRatio}). A value one side did not report prints as {@code -}.
 *
 * <pre>
 * # One-way latency, latency (us): median of 3 rounds; ratio = median of the rounds' Javelin / native, below 1:
 * #   Javelin is better
 * # Size        shm Javelin   shm native    shm ratio  tcp Javelin   tcp native    tcp ratio
 * 0                    2.01         0.45         4.47         9.10         6.48         1.40
 * </pre>
 */
public final class ComparisonTable
{
    private static final int SIZE_WIDTH = 10;
    private static final int FIELD_WIDTH = 13;

    private ComparisonTable()
    {
    }

    /**
     * @param comparison the results.
     * @param rounds     how many rounds they are the median of (for the title).
     * @param out        where to print.
     */
    public static void print(final Comparison comparison, final int rounds, final PrintStream out)
    {
        for (final CompareBenchmark benchmark : comparison.benchmarks())
        {
            final List<ComparePath> paths = comparison.paths(benchmark);
            out.println();
            out.println("# " + benchmark.title() + ", " + benchmark.quantity() + ": median of " + rounds +
                (rounds == 1 ? " round" : " rounds") + "; ratio = median of the rounds' Javelin / native, " +
                (benchmark.higherIsBetter() ? "above" : "below") + " 1: Javelin is better");
            final StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-" + SIZE_WIDTH + "s",
                "# Size"));
            for (final ComparePath path : paths)
            {
                header.append(column(path.label() + " Javelin")).append(column(path.label() + " native"))
                    .append(column(path.label() + " ratio"));
            }
            out.println(header);
            // per path, the three columns: Javelin's medians, the native medians, the medians of the ratios
            final List<List<SortedMap<Integer, Double>>> columns = paths.stream().map((path) -> List.of(
                comparison.median(benchmark, path, Comparison.Side.JAVELIN),
                comparison.median(benchmark, path, Comparison.Side.NATIVE),
                comparison.medianRatio(benchmark, path))).toList();
            for (final int size : comparison.sizes(benchmark))
            {
                final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + SIZE_WIDTH + "d",
                    size));
                columns.forEach((pathColumns) -> pathColumns.forEach((values) -> line.append(value(values.get(size)))));
                out.println(line);
            }
        }
        out.flush();
    }

    private static String column(final String text)
    {
        return String.format(Locale.ROOT, "%" + FIELD_WIDTH + "s", text);
    }

    private static String value(final Double value)
    {
        return null == value ? column("-") : String.format(Locale.ROOT, "%" + FIELD_WIDTH + ".2f", value);
    }
}
