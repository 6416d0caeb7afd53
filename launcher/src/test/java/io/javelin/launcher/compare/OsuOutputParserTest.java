package io.javelin.launcher.compare;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OsuOutputParserTest
{
    @Test
    void shouldReadSizeAndFirstValueOfJavelinsReportWithExtraColumns()
    {
        final SortedMap<Integer, Double> values = OsuOutputParser.parse("""
            # Javelin Latency Test
            # transport: tcp, buffer: segment (javelin.allocate, registered once: zero-copy), ranks: 2
            # Size            Latency (us)    P50 (us)    P99 (us)
            0                         3.21        3.10        4.52
            1024                     12.50       11.00       20.00
            """);

        assertEquals(Map.of(0, 3.21, 1024, 12.5), values);
    }

    @Test
    void shouldReadTheOsuSuitesOutputAndSkipWhatIsNotData()
    {
        final SortedMap<Integer, Double> values = OsuOutputParser.parse("""
            # OSU MPI Bandwidth Test v7.4
            # Datatype: MPI_CHAR.
            # Size      Bandwidth (MB/s)
            1                       2.81
            warning: something the library printed
            2                       5.60
            Total time 12 s
            """);

        assertEquals(Map.of(1, 2.81, 2, 5.6), values);
    }

    @Test
    void shouldReturnNothingForAReportWithoutDataLines()
    {
        assertTrue(OsuOutputParser.parse("# only a header\n\n").isEmpty());
    }
}
