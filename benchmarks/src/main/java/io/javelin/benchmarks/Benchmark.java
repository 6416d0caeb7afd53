package io.javelin.benchmarks;

import io.javelin.mpi.Javelin;

import java.io.PrintStream;

/**
 * The body of a benchmark program: runs on every rank of a job; only rank 0 prints.
 */
@FunctionalInterface
public interface Benchmark
{
    /**
     * @param javelin this rank's handle, open; the caller closes it.
     * @param args    the program arguments ({@code --javelin.} ones are ignored).
     * @param out     where rank 0 writes the report.
     * @throws UsageException for bad arguments or a job that does not suit the benchmark.
     */
    void run(Javelin javelin, String[] args, PrintStream out);
}
