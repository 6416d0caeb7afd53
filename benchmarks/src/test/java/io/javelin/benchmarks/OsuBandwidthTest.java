package io.javelin.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Format checks of {@link OsuBandwidth} and {@link OsuBiBandwidth} reports (never their speed).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OsuBandwidthTest
{
    private static final String[] SMALL_RUN = {"--sizes", "1:64k", "--iterations", "5", "--warmup", "1"};
    private static final int[] SIZES_1_TO_64K = SizeRange.parse("1:64k", 1).sizes();

    @ParameterizedTest
    @CsvSource({"tcp, segment", "tcp, heap", "local, segment", "local, direct"})
    void shouldPrintOneOsuBandwidthLinePerSize(final String transport, final String buffer)
    {
        final String text = BenchmarkRun.run(2, transport, OsuBandwidth::run,
            "--sizes", "1:64k", "--iterations", "5", "--warmup", "1", "--buffer", buffer);

        final OsuOutput output = OsuOutput.parse(text);
        assertEquals("# Javelin Bandwidth Test", output.comments().getFirst());
        assertTrue(output.comments().get(1).startsWith("# transport: " + transport), output.comments().get(1));
        assertEquals("# Size" + " ".repeat(8) + "Bandwidth (MB/s)  P50 (MB/s)  P99 (MB/s)", output.columnHeader());
        output.assertShape(SIZES_1_TO_64K, 4);
    }

    @ParameterizedTest
    @CsvSource({"tcp, segment", "tcp, heap", "local, segment", "local, direct"})
    void shouldPrintOneOsuBiBandwidthLinePerSize(final String transport, final String buffer)
    {
        final String text = BenchmarkRun.run(2, transport, OsuBiBandwidth::run,
            "--sizes", "1:64k", "--iterations", "5", "--warmup", "1", "--buffer", buffer);

        final OsuOutput output = OsuOutput.parse(text);
        assertEquals("# Javelin Bi-Directional Bandwidth Test", output.comments().getFirst());
        assertEquals("# Size" + " ".repeat(8) + "Bandwidth (MB/s)  P50 (MB/s)  P99 (MB/s)", output.columnHeader());
        output.assertShape(SIZES_1_TO_64K, 4);
    }

    @Test
    void shouldStartAtOneByteByDefaultAndTakeAWindow()
    {
        final String text = BenchmarkRun.run(3, "tcp", OsuBandwidth::run,
            "--sizes", "1k", "--iterations", "3", "--warmup", "1", "--window", "4");

        final OsuOutput output = OsuOutput.parse(text);
        assertTrue(output.comments().get(3).contains("window: 4 messages"), output.comments().get(3));
        output.assertShape(SizeRange.parse("1:1k", 1).sizes(), 4);
    }

    @Test
    void shouldMoveLargeWindowsBothWays()
    {
        final String text = BenchmarkRun.run(2, "tcp", OsuBiBandwidth::run,
            "--sizes", "1m:2m", "--iterations", "2", "--warmup", "1", "--window", "8");

        OsuOutput.parse(text).assertShape(new int[]{1 << 20, 2 << 20}, 4);
    }

    @Test
    void shouldRejectAWindowOfNothing()
    {
        final UsageException ex = assertThrows(UsageException.class,
            () -> BenchmarkRun.run(2, "tcp", OsuBiBandwidth::run, SMALL_RUN[0], SMALL_RUN[1], "--window", "0"));

        assertTrue(ex.getMessage().contains("--window"), ex.getMessage());
    }
}
