package io.javelin.launcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code javelin pingpong}: the OSU-style latency test between two ranks on this host.
 */
@Command(name = "pingpong", mixinStandardHelpOptions = true,
    description = {"Measures latency between 2 ranks on this host (OSU latency: " + BenchCommand.LATENCY_CLASS + ").",
        "Options javelin does not know, e.g. --sizes 0:4m, go to the benchmark."})
final class PingPongCommand implements Callable<Integer>
{
    private final PrintStream out;
    private final PrintStream err;

    @Mixin
    LaunchOptions launch = new LaunchOptions();

    @Parameters(paramLabel = "BENCHMARK_ARGS", description = "passed to the benchmark")
    List<String> args = new ArrayList<>();

    PingPongCommand(final PrintStream out, final PrintStream err)
    {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call()
    {
        final JobSpec spec = JobSpecFactory.forJavelinClass(2, launch, BenchCommand.LATENCY_CLASS, args);
        return new LocalJobRunner(out, err).run(spec);
    }
}
