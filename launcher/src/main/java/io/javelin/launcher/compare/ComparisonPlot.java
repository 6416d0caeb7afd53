package io.javelin.launcher.compare;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * Draws a {@link Comparison} as a PNG: one log-log chart per benchmark (value against message size), with a
 * solid line for Javelin and a dashed line for the native MPI, one colour per path. Size 0 has no place on a
 * logarithmic axis and is left out (the table has it). Drawn off-screen ({@code java.awt.headless}).
 */
public final class ComparisonPlot
{
    private static final int CHART_WIDTH = 760;
    private static final int CHART_HEIGHT = 520;
    private static final int CHARTS_PER_ROW = 2;
    private static final Map<ComparePath, Color> COLOURS = Map.of(
        ComparePath.SHM, new Color(0x1f, 0x77, 0xb4),
        ComparePath.TCP, new Color(0xd6, 0x27, 0x28));

    private ComparisonPlot()
    {
    }

    /**
     * @param comparison the results.
     * @param nativeName what to call the native side in the legend, e.g. "Open MPI 4.1.4".
     * @param rounds     how many rounds the values are the median of.
     * @param file       the PNG to write (replaced if it exists; its folder is created).
     * @throws IOException      if the file cannot be written.
     * @throws CompareException if no value can be drawn on logarithmic axes.
     */
    public static void write(final Comparison comparison, final String nativeName, final int rounds, final Path file)
        throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final List<XYChart> charts = new ArrayList<>();
        for (final CompareBenchmark benchmark : comparison.benchmarks())
        {
            final XYChart chart = chart(comparison, benchmark, nativeName, rounds);
            if (!chart.getSeriesMap().isEmpty())
            {
                charts.add(chart);
            }
        }
        if (charts.isEmpty())
        {
            throw new CompareException("nothing to plot: no size above 0 has a value above 0 (more --iterations or " +
                "larger --sizes?)");
        }
        final Path parent = file.toAbsolutePath().getParent();
        if (null != parent)
        {
            Files.createDirectories(parent);
        }
        final int columns = Math.min(CHARTS_PER_ROW, charts.size());
        final int rows = (charts.size() + columns - 1) / columns;
        while (charts.size() < rows * columns)
        {
            charts.add(blank());
        }
        BitmapEncoder.saveBitmap(charts, rows, columns, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart chart(final Comparison comparison, final CompareBenchmark benchmark,
        final String nativeName, final int rounds)
    {
        final XYChart chart = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT)
            .title(benchmark.title() + ": Javelin vs " + nativeName + " (median of " + rounds + ")")
            .xAxisTitle("message size (bytes, log scale)")
            .yAxisTitle(capitalised(benchmark.quantity()) + ", log scale").build();
        final XYStyler styler = chart.getStyler();
        // Both latency and bandwidth grow with size: the top left corner of a log-log chart stays empty.
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xdd, 0xdd, 0xdd));
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        // The size axis is logarithmic base 2: x is log2(size), labelled with the size. (XChart's own logarithmic
        // x axis is base 10 and loses its scale when given a label formatter.)
        styler.setYAxisLogarithmic(true).setYAxisDecimalPattern("#,##0.##")
            .setxAxisTickLabelsFormattingFunction(ComparisonPlot::bytes);
        for (final ComparePath path : comparison.paths(benchmark))
        {
            addSeries(chart, "Javelin " + path.label() + " (" + path.javelinTransport() + ")",
                comparison.median(benchmark, path, Comparison.Side.JAVELIN), COLOURS.get(path), SeriesLines.SOLID);
            addSeries(chart, nativeName + " " + path.label() + " (" + btl(path) + ")",
                comparison.median(benchmark, path, Comparison.Side.NATIVE), COLOURS.get(path), SeriesLines.DASH_DASH);
        }
        return chart;
    }

    private static void addSeries(final XYChart chart, final String name, final SortedMap<Integer, Double> values,
        final Color colour, final BasicStroke line)
    {
        final double[] sizes = values.entrySet().stream().filter((e) -> e.getKey() > 0 && e.getValue() > 0)
            .mapToDouble((e) -> Math.log(e.getKey()) / Math.log(2)).toArray();
        final double[] points = values.entrySet().stream().filter((e) -> e.getKey() > 0 && e.getValue() > 0)
            .mapToDouble(Map.Entry::getValue).toArray();
        if (sizes.length == 0)
        {
            return;
        }
        final XYSeries series = chart.addSeries(name, sizes, points);
        series.setLineColor(colour);
        series.setMarkerColor(colour);
        series.setLineStyle(line);
        series.setMarker(SeriesLines.SOLID == line ? SeriesMarkers.CIRCLE : SeriesMarkers.SQUARE);
    }

    private static XYChart blank()
    {
        final XYChart chart = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT).build();
        final XYStyler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setAxisTicksVisible(false);
        styler.setLegendVisible(false);
        styler.setPlotGridLinesVisible(false);
        return chart;
    }

    private static String btl(final ComparePath path)
    {
        final List<String> options = path.mpirunOptions();
        return options.get(options.indexOf("btl") + 1).replace(",self", "");
    }

    private static String capitalised(final String text)
    {
        return text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
    }

    /**
     * @param log2Size a tick on the size axis: log2 of a size in bytes.
     * @return the size with a binary suffix: 1, 2, 4, ..., 1 k, 2 k, ..., 1 M; nothing between powers of 2.
     */
    private static String bytes(final Double log2Size)
    {
        final double exponent = log2Size;
        if (Math.abs(exponent - Math.rint(exponent)) > 1e-6 || exponent < 0)
        {
            return "";
        }
        final long size = 1L << (long)Math.rint(exponent);
        if (size >= 1L << 30)
        {
            return (size >> 30) + " G";
        }
        if (size >= 1L << 20)
        {
            return (size >> 20) + " M";
        }
        if (size >= 1L << 10)
        {
            return (size >> 10) + " k";
        }
        return Long.toString(size);
    }
}
