package io.javelin.examples;

import io.javelin.mpi.Javelin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each example run in-process with ranks as threads, over the in-JVM transport and over TCP.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExamplesTest
{
    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void shouldGreetFromEveryRank(final String transport)
    {
        final Map<Integer, String> greetings = new ConcurrentHashMap<>();
        Javelin.runLocal(3, javelin -> greetings.put(javelin.world().rank(), Hello.greeting(javelin)),
            option(transport));

        for (int rank = 0; rank < 3; rank++)
        {
            assertEquals("Hello from rank " + rank + " of 3 (transport: " + transport + ")", greetings.get(rank));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void shouldBringTheTokenBackWithEveryRankAdded(final String transport)
    {
        final Map<Integer, Integer> tokens = new ConcurrentHashMap<>();
        final String printed = capture(out -> Javelin.runLocal(4,
            javelin -> tokens.put(javelin.world().rank(), Ring.run(javelin, out)), option(transport)));

        assertEquals(Map.of(0, 6, 1, 1, 2, 3, 3, 6), tokens);
        assertEquals("rank 0: the token came back as 6 after visiting 4 ranks" + System.lineSeparator(), printed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void shouldReportARoundTripPerSizeFromRankZero(final String transport)
    {
        final Map<Integer, double[]> results = new ConcurrentHashMap<>();
        final String printed = capture(out -> Javelin.runLocal(3,
            javelin -> results.put(javelin.world().rank(), PingPong.run(javelin, out)), option(transport)));

        final List<String> lines = printed.lines().toList();
        assertEquals(PingPong.SIZES.length, lines.size(), printed);
        for (int s = 0; s < PingPong.SIZES.length; s++)
        {
            assertTrue(lines.get(s).matches(" *" + PingPong.SIZES[s] + " bytes: +\\d+\\.\\d\\d us round trip"),
                lines.get(s));
            assertTrue(results.get(0)[s] > 0, "round trip of size " + PingPong.SIZES[s]);
        }
        assertEquals(0, results.get(2).length, "rank 2 takes no part");
    }

    @Test
    void shouldComputeTheSameChecksumOnOneTwoAndThreeRanks()
    {
        final double expected = serialHaloChecksum();
        for (final int ranks : new int[]{1, 2, 3})
        {
            final double[] checksum = new double[1];
            final String printed = capture(out -> Javelin.runLocal(ranks, javelin ->
            {
                final double result = HaloExchange.run(javelin, out);
                if (javelin.world().rank() == 0)
                {
                    checksum[0] = result;
                }
            }, option("tcp")));

            assertEquals(expected, checksum[0], 0.0, ranks + " ranks");
            assertEquals(String.format("checksum after %d steps on %d ranks: %.6f%n", HaloExchange.STEPS, ranks,
                expected), printed);
        }
    }

    @Test
    void shouldExchangeHalosOverTheInJvmTransportToo()
    {
        final double[] checksum = new double[1];
        capture(out -> Javelin.runLocal(4, javelin ->
        {
            final double result = HaloExchange.run(javelin, out);
            if (javelin.world().rank() == 0)
            {
                checksum[0] = result;
            }
        }, option("local")));

        assertEquals(serialHaloChecksum(), checksum[0], 0.0);
    }

    /** The same stencil on one array, written independently of the example. */
    private static double serialHaloChecksum()
    {
        double[] u = new double[HaloExchange.CELLS + 2];
        for (int i = 1; i <= HaloExchange.CELLS; i++)
        {
            u[i] = (i - 1) % 7;
        }
        for (int step = 0; step < HaloExchange.STEPS; step++)
        {
            final double[] next = new double[u.length];
            for (int i = 1; i <= HaloExchange.CELLS; i++)
            {
                next[i] = 0.25 * u[i - 1] + 0.5 * u[i] + 0.25 * u[i + 1];
            }
            u = next;
        }
        double sum = 0;
        for (final double value : u)
        {
            sum += value;
        }
        return sum;
    }

    private static String option(final String transport)
    {
        return "--javelin.transport=" + transport;
    }

    private interface PrintingRun
    {
        void run(PrintStream out);
    }

    private static String capture(final PrintingRun run)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            run.run(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
