package io.javelin.benchmarks;

import io.javelin.mpi.Javelin;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

/**
 * Runs a benchmark in-process with ranks as threads and returns what it printed.
 */
final class BenchmarkRun
{
    private BenchmarkRun()
    {
    }

    /**
     * @param ranks     job size.
     * @param transport e.g. "tcp" or "local".
     * @param benchmark the body.
     * @param args      benchmark options; {@code --javelin.transport} is added, as the launcher would.
     * @return everything every rank printed to the report stream (only rank 0 should print).
     */
    static String run(final int ranks, final String transport, final Benchmark benchmark, final String... args)
    {
        final String transportOption = "--javelin.transport=" + transport;
        final String[] allArgs = Stream.concat(Stream.of(transportOption), Stream.of(args)).toArray(String[]::new);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            Javelin.runLocal(ranks, javelin -> benchmark.run(javelin, allArgs, out), transportOption);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
