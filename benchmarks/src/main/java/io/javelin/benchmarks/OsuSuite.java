package io.javelin.benchmarks;

import io.javelin.mpi.Javelin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every benchmark of {@code javelin bench}, one after another in one job ({@code javelin bench all}): the same
 * reports, in the order of {@link #BENCHMARKS}, as that many {@code javelin bench NAME} runs, for the price of one
 * job start. The options are those of the benchmarks; {@code --window} goes to bw and bibw alone, and
 * {@code --only} picks some of them. multi_lat is left out, with a line saying so, in a job of an odd number of
 * ranks, which it cannot pair.
 *
 * <pre>
 * javelin bench all --sizes 0:64k
 * javelin bench all -n 4 --only allreduce,bcast,barrier --sizes 4:1m
 * </pre>
 */
public final class OsuSuite
{
    private static final String NAME = "all";
    private static final String ONLY = "--only";
    private static final String WINDOW = "--window";

    /**
     * One benchmark of the suite.
     *
     * @param name     its {@code javelin bench} name.
     * @param body     the benchmark.
     * @param windowed true if it takes {@code --window}.
     */
    record Entry(String name, Benchmark body, boolean windowed)
    {
    }

    /** The suite, in the order it runs (that of {@code javelin bench --help}). */
    static final List<Entry> BENCHMARKS = List.of(
        new Entry("latency", OsuLatency::run, false),
        new Entry("bw", OsuBandwidth::run, true),
        new Entry("bibw", OsuBiBandwidth::run, true),
        new Entry("multi_lat", OsuMultiLatency::run, false),
        new Entry("allreduce", OsuAllreduce::run, false),
        new Entry("bcast", OsuBcast::run, false),
        new Entry("reduce", OsuReduce::run, false),
        new Entry("allgather", OsuAllgather::run, false),
        new Entry("alltoall", OsuAlltoall::run, false),
        new Entry("barrier", OsuBarrier::run, false));

    @Command(name = NAME, sortOptions = false,
        description = "Every Javelin benchmark in one job, one after another, each printing its OSU report.")
    private static final class Options
    {
        @Mixin
        BenchmarkOptions common = new BenchmarkOptions();

        @Mixin
        WindowOption window = new WindowOption();

        @Option(names = ONLY, paramLabel = "NAME[,NAME...]", split = ",",
            description = "run these benchmarks alone, in the suite's order (default: all of them)")
        List<String> only = new ArrayList<>();
    }

    private OsuSuite()
    {
    }

    /**
     * Runs as one rank of a job (e.g. {@code javelin bench all}).
     *
     * @param args benchmark options and {@code --javelin.} settings.
     */
    public static void main(final String[] args)
    {
        BenchmarkMain.run(args, OsuSuite::run);
    }

    /**
     * The suite, callable in-process: every rank of the job calls it; rank 0 prints the reports.
     *
     * @param javelin this rank's handle; not closed here.
     * @param args    benchmark options ({@code --javelin.} ones are passed on untouched).
     * @param out     where rank 0 prints.
     * @throws UsageException for bad options, an unknown name in {@code --only}, or a job of one rank.
     */
    public static void run(final Javelin javelin, final String[] args, final PrintStream out)
    {
        final boolean rankZero = javelin.world().rank() == 0;
        final Options options = new Options();
        if (!BenchmarkCommandLine.parse(options, args, rankZero ? out : null))
        {
            return;
        }
        final List<Entry> selected = select(options.only);
        boolean first = true;
        for (final Entry entry : selected)
        {
            if (rankZero && !first)
            {
                out.println();
            }
            first = false;
            if ("multi_lat".equals(entry.name()) && !OsuMultiLatency.pairsUp(javelin.world().size()))
            {
                if (rankZero)
                {
                    out.println("# multi_lat left out: it pairs rank i with i + N/2 and so needs an even number of " +
                        "ranks, this job has " + javelin.world().size());
                    out.flush();
                }
                continue;
            }
            entry.body().run(javelin, argumentsFor(entry, args), out);
            if (rankZero)
            {
                out.flush();
            }
        }
    }

    /**
     * @return the benchmarks named, in the suite's order; all of them for an empty list.
     * @throws UsageException naming the known benchmarks if a name is not one of them.
     */
    static List<Entry> select(final List<String> names)
    {
        if (names.isEmpty())
        {
            return BENCHMARKS;
        }
        final Set<String> wanted = new LinkedHashSet<>();
        for (final String name : names)
        {
            final String trimmed = name.trim();
            if (BENCHMARKS.stream().noneMatch(entry -> entry.name().equals(trimmed)))
            {
                throw new UsageException("unknown benchmark '" + trimmed + "' in " + ONLY + ": use some of " +
                    BENCHMARKS.stream().map(Entry::name).collect(Collectors.joining(",")), "");
            }
            wanted.add(trimmed);
        }
        return BENCHMARKS.stream().filter(entry -> wanted.contains(entry.name())).toList();
    }

    /**
     * @return the suite's arguments as one benchmark takes them: without {@code --only}, and without
     *         {@code --window} unless it is windowed (both written {@code --opt value} or {@code --opt=value}).
     */
    static String[] argumentsFor(final Entry entry, final String[] args)
    {
        final List<String> kept = new ArrayList<>(args.length);
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            final boolean window = !entry.windowed() && (WINDOW.equals(arg) || arg.startsWith(WINDOW + "="));
            if (window || ONLY.equals(arg) || arg.startsWith(ONLY + "="))
            {
                if (!arg.contains("="))
                {
                    i++; // its value
                }
                continue;
            }
            kept.add(arg);
        }
        return kept.toArray(String[]::new);
    }
}
