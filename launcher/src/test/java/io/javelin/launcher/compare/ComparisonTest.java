package io.javelin.launcher.compare;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComparisonTest
{
    @Test
    void shouldTakeTheMedianPerSizeOverTheRounds()
    {
        final Comparison comparison = new Comparison();
        latencyOverTcp(comparison, Comparison.Side.JAVELIN, 9.0);
        latencyOverTcp(comparison, Comparison.Side.JAVELIN, 1.0);
        latencyOverTcp(comparison, Comparison.Side.JAVELIN, 2.0);
        latencyOverTcp(comparison, Comparison.Side.NATIVE, 4.0);
        latencyOverTcp(comparison, Comparison.Side.NATIVE, 2.0);

        assertEquals(Map.of(1, 2.0), comparison.median(CompareBenchmark.LATENCY, ComparePath.TCP,
            Comparison.Side.JAVELIN));
        assertEquals(Map.of(1, 3.0), comparison.median(CompareBenchmark.LATENCY, ComparePath.TCP,
            Comparison.Side.NATIVE));
    }

    @Test
    void shouldTakeTheMedianOfTheRoundsRatiosAndSkipRoundsWithoutBothValues()
    {
        final Comparison comparison = new Comparison();
        final double[][] rounds = {{1.0, 2.0}, {10.0, 5.0}, {3.0, 1.0}}; // Javelin, native: ratios 0.5, 2, 3
        for (final double[] round : rounds)
        {
            latencyOverTcp(comparison, Comparison.Side.JAVELIN, round[0]);
            latencyOverTcp(comparison, Comparison.Side.NATIVE, round[1]);
        }
        comparison.add(CompareBenchmark.LATENCY, ComparePath.TCP, Comparison.Side.JAVELIN,
            new TreeMap<>(Map.of(2, 1.0)));

        assertEquals(Map.of(1, 2.0), comparison.medianRatio(CompareBenchmark.LATENCY, ComparePath.TCP),
            "the median of 0.5, 2 and 3, not the medians' 3 / 2; size 2 has no native round");
        assertEquals(Map.of(), comparison.medianRatio(CompareBenchmark.BW, ComparePath.SHM));
    }

    private static void latencyOverTcp(final Comparison comparison, final Comparison.Side side, final double value)
    {
        comparison.add(CompareBenchmark.LATENCY, ComparePath.TCP, side, new TreeMap<>(Map.of(1, value)));
    }

    @Test
    void shouldPrintSizeJavelinNativeAndRatioWithADashForAMissingValue()
    {
        final Comparison comparison = new Comparison();
        comparison.add(CompareBenchmark.BW, ComparePath.SHM, Comparison.Side.JAVELIN,
            new TreeMap<>(Map.of(1, 10.0, 2, 20.0)));
        comparison.add(CompareBenchmark.BW, ComparePath.SHM, Comparison.Side.NATIVE, new TreeMap<>(Map.of(1, 5.0)));
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        ComparisonTable.print(comparison, 1, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        final List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(1).startsWith("# Bandwidth, bandwidth (MB/s): median of 1 round; ratio = median of the " +
            "rounds' Javelin / native"), lines.get(1));
        assertTrue(lines.get(1).endsWith("above 1: Javelin is better"), lines.get(1));
        assertEquals(List.of("1", "10.00", "5.00", "2.00"), List.of(lines.get(3).trim().split("\\s+")));
        assertEquals(List.of("2", "20.00", "-", "-"), List.of(lines.get(4).trim().split("\\s+")));
    }
}
