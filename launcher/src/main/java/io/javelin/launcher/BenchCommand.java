package io.javelin.launcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code javelin bench NAME}: runs one of Javelin's micro-benchmarks by short name.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Runs a Javelin micro-benchmark: latency, bw, bibw, multi_lat, allreduce, bcast, reduce, " +
        "allgather, alltoall or barrier (OSU-compatible output; multi_lat pairs rank i with i + N/2, the " +
        "collectives run on all N ranks); all runs every one of them in one job (--only NAME,... picks some).",
        "Options javelin does not know go to the benchmark: --sizes MIN:MAX, --iterations N, --warmup N, " +
        "--buffer heap|direct|segment, --no-percentiles, --window N (bw, bibw); " +
        "`javelin bench NAME -- --help` lists them."})
final class BenchCommand implements Callable<Integer>
{
    /** The OSU latency benchmark. */
    static final String LATENCY_CLASS = "io.javelin.benchmarks.OsuLatency";

    /** Short names and classes, in the order they are listed. */
    static final Map<String, String> BENCHMARKS = benchmarks();

    private final PrintStream out;
    private final PrintStream err;

    // arity 0..1: picocli checks a parent's required parameters before it runs a subcommand (bench compare)
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
        description = "latency, bw, bibw, multi_lat, allreduce, bcast, reduce, allgather, alltoall, barrier " +
            "or all")
    String name;

    @Parameters(index = "1..*", paramLabel = "BENCHMARK_ARGS", description = "passed to the benchmark")
    List<String> args = new ArrayList<>();

    @Option(names = {"-n", "--np"}, paramLabel = "N", defaultValue = "2", description = "number of ranks (default 2)")
    int ranks;

    @Mixin
    LaunchOptions launch = new LaunchOptions();

    BenchCommand(final PrintStream out, final PrintStream err)
    {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call()
    {
        if (null == name)
        {
            throw new InvalidJobException("missing benchmark: use one of " + String.join(", ", BENCHMARKS.keySet()) +
                ", or compare (Javelin against the native MPI)");
        }
        final String mainClass = BENCHMARKS.get(name);
        if (null == mainClass)
        {
            throw new InvalidJobException("unknown benchmark '" + name + "': use one of " +
                String.join(", ", BENCHMARKS.keySet()));
        }
        final JobSpec spec = JobSpecFactory.forJavelinClass(ranks, launch, mainClass, args);
        return new LocalJobRunner(out, err).run(spec);
    }

    private static Map<String, String> benchmarks()
    {
        final Map<String, String> benchmarks = new LinkedHashMap<>();
        benchmarks.put("latency", LATENCY_CLASS);
        benchmarks.put("bw", "io.javelin.benchmarks.OsuBandwidth");
        benchmarks.put("bibw", "io.javelin.benchmarks.OsuBiBandwidth");
        benchmarks.put("multi_lat", "io.javelin.benchmarks.OsuMultiLatency");
        benchmarks.put("allreduce", "io.javelin.benchmarks.OsuAllreduce");
        benchmarks.put("bcast", "io.javelin.benchmarks.OsuBcast");
        benchmarks.put("reduce", "io.javelin.benchmarks.OsuReduce");
        benchmarks.put("allgather", "io.javelin.benchmarks.OsuAllgather");
        benchmarks.put("alltoall", "io.javelin.benchmarks.OsuAlltoall");
        benchmarks.put("barrier", "io.javelin.benchmarks.OsuBarrier");
        benchmarks.put("all", "io.javelin.benchmarks.OsuSuite");
        return Collections.unmodifiableMap(benchmarks);
    }
}
