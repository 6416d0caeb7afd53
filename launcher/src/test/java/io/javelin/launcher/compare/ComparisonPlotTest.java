package io.javelin.launcher.compare;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComparisonPlotTest
{
    /** Kept in target/ (not a temporary folder) so that a developer can look at it after the build. */
    private static final Path PLOT = Path.of("target", "comparison-plot-test.png");

    @Test
    void shouldDrawOneChartPerBenchmarkSideBySideAsAPng() throws IOException
    {
        final Comparison comparison = new Comparison();
        for (final ComparePath path : ComparePath.values())
        {
            final double pathFactor = ComparePath.SHM == path ? 1.0 : 8.0;
            comparison.add(CompareBenchmark.LATENCY, path, Comparison.Side.JAVELIN, curve(0, 2.0 * pathFactor, 0.9));
            comparison.add(CompareBenchmark.LATENCY, path, Comparison.Side.NATIVE, curve(0, 0.5 * pathFactor, 0.8));
            comparison.add(CompareBenchmark.BW, path, Comparison.Side.JAVELIN, curve(1, 1.0 / pathFactor, 0.95));
            comparison.add(CompareBenchmark.BW, path, Comparison.Side.NATIVE, curve(1, 3.0 / pathFactor, 0.9));
        }
        Files.deleteIfExists(PLOT);

        ComparisonPlot.write(comparison, "Open MPI 4.1.4", 3, PLOT);

        final BufferedImage image = ImageIO.read(PLOT.toFile());
        assertNotNull(image, "not an image: " + PLOT.toAbsolutePath());
        assertTrue(image.getWidth() >= 2 * image.getHeight(), "two charts side by side: " + image.getWidth() +
            "x" + image.getHeight());
        assertTrue(Files.size(PLOT) > 20_000, "a plot of two charts is larger than " + Files.size(PLOT) + " bytes");
    }

    /**
     * @return values that grow like size^exponent from scale, sizes from min to 4 MiB.
     */
    private static SortedMap<Integer, Double> curve(final int min, final double scale, final double exponent)
    {
        final SortedMap<Integer, Double> values = new TreeMap<>();
        for (long size = min; size <= 4 << 20; size = 0 == size ? 1 : 2 * size)
        {
            values.put((int)size, scale * (1.0 + Math.pow(size, exponent) / 100.0));
        }
        return values;
    }
}
