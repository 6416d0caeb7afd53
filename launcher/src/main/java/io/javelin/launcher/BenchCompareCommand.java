package io.javelin.launcher;

import io.javelin.benchmarks.IterationCounts;
import io.javelin.benchmarks.SizeRange;
import io.javelin.launcher.compare.CompareBenchmark;
import io.javelin.launcher.compare.CompareException;
import io.javelin.launcher.compare.ComparePath;
import io.javelin.launcher.compare.Comparison;
import io.javelin.launcher.compare.ComparisonPlot;
import io.javelin.launcher.compare.ComparisonTable;
import io.javelin.launcher.compare.NativeMpi;
import io.javelin.launcher.compare.OsuOutputParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code javelin bench compare}: runs Javelin's benchmarks and the same measurements with the MPI installed on
 * this machine, on the same data paths, alternating the two sides round by round so that a noisy machine
 * disturbs both alike, and prints the median per size of each side and their ratio; optionally plots them.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Compares Javelin with the native MPI (Open MPI's mpirun) on the same paths: same OSU method, " +
        "sizes and iteration counts; Javelin and native run alternately, --rounds times; the table gives the " +
        "median per size of each side and the median of the rounds' ratios Javelin / native.",
        "Native side: the OSU suite if osu_latency is on the PATH, else javelin_native_bench, built with mpicc " +
        "into ~/.cache/javelin."},
    footer = {"", "Examples:",
        "  javelin bench compare                  (latency and bw, shm and tcp, 3 rounds)",
        "  javelin bench compare latency --path tcp --sizes 0:64k --plot compare.png"})
final class BenchCompareCommand implements Callable<Integer>
{
    private static final List<String> DEFAULT_BENCHMARKS = List.of("latency", "bw");

    private final PrintStream out;
    private final PrintStream err;

    @Parameters(paramLabel = "BENCHMARK", arity = "0..*",
        description = "latency, bw or allreduce (default: latency bw)")
    List<String> benchmarkNames = new ArrayList<>();

    @Option(names = "--path", paramLabel = "PATH", defaultValue = "all",
        description = "shm (Javelin aeron: IPC + cross-memory attach; Open MPI btl vader), tcp (Javelin tcp; " +
            "Open MPI btl tcp on lo) or all (default)")
    String pathName;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
        description = "runs of each side, alternating; the table shows the median (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--sizes", paramLabel = "MIN:MAX",
        description = "message sizes, doubling, suffixes k/m/g (default: each benchmark's, e.g. latency 0:4m)")
    String sizes;

    @Option(names = "--iterations", paramLabel = "N", description = "timed iterations per size (default: OSU's)")
    Integer iterations;

    @Option(names = "--warmup", paramLabel = "N", description = "untimed iterations per size (default: Javelin's)")
    Integer warmup;

    @Option(names = "--window", paramLabel = "N", defaultValue = "64",
        description = "bw: messages in flight (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = {"-n", "--np"}, paramLabel = "N", defaultValue = "2",
        description = "ranks (default: ${DEFAULT-VALUE}; latency and bw use ranks 0 and 1)")
    int ranks;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "also draw the results, log-log, as a PNG")
    Path plot;

    @Option(names = "--native", paramLabel = "PROGRAM", defaultValue = "auto",
        description = "native program: auto (default), builtin (javelin_native_bench) or osu")
    String nativeProgram;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "900",
        description = "limit of each single run (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
        description = "system property for every Javelin rank, e.g. -Djavelin.idle=spin")
    Map<String, String> systemProperties = new LinkedHashMap<>();

    /** One benchmark on one path: Javelin's job and the native command that make the same measurement. */
    private record Pairing(CompareBenchmark benchmark, ComparePath path, JobSpec javelin, String javelinLine,
        List<String> nativeCommand)
    {
    }

    BenchCompareCommand(final PrintStream out, final PrintStream err)
    {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call()
    {
        final List<CompareBenchmark> benchmarks = benchmarks();
        final List<ComparePath> paths = paths();
        validate();
        try
        {
            final NativeMpi nativeMpi = NativeMpi.locate(program(), NativeMpi.defaultCacheDirectory());
            final List<Pairing> pairings = pairings(benchmarks, paths, nativeMpi);
            out.println("# javelin bench compare: Javelin " + JavelinVersion.version() + " vs " +
                nativeMpi.version() + " (" + nativeMpi.programName() + ")");
            out.println("# " + rounds + (rounds == 1 ? " round" : " rounds") + "; in each, Javelin and native run " +
                "one after the other, native first in even rounds. Commands:");
            for (final Pairing pairing : pairings)
            {
                out.println("#   " + pairing.javelinLine());
                out.println("#   " + nativeMpi.describe(pairing.nativeCommand()));
            }
            out.flush();

            final Comparison comparison = new Comparison();
            for (int round = 1; round <= rounds; round++)
            {
                for (final Pairing pairing : pairings)
                {
                    final boolean nativeFirst = round % 2 == 0;
                    if (nativeFirst)
                    {
                        runNative(pairing, nativeMpi, comparison, round);
                    }
                    runJavelin(pairing, comparison, round);
                    if (!nativeFirst)
                    {
                        runNative(pairing, nativeMpi, comparison, round);
                    }
                }
            }
            ComparisonTable.print(comparison, rounds, out);
            if (null != plot)
            {
                ComparisonPlot.write(comparison, nativeName(nativeMpi), rounds, plot);
                out.println();
                out.println("# plot: " + plot.toAbsolutePath());
            }
            out.flush();
            return 0;
        }
        catch (final CompareException ex)
        {
            err.println("javelin bench compare: " + ex.getMessage());
            return 1;
        }
        catch (final IOException ex)
        {
            err.println("javelin bench compare: cannot write the plot " + plot + ": " + ex.getMessage());
            return 1;
        }
    }

    private List<Pairing> pairings(final List<CompareBenchmark> benchmarks, final List<ComparePath> paths,
        final NativeMpi nativeMpi)
    {
        final List<Pairing> pairings = new ArrayList<>();
        for (final CompareBenchmark benchmark : benchmarks)
        {
            final SizeRange range = sizeRange(benchmark);
            final List<String> args = new ArrayList<>(List.of("--sizes", range.minBytes() + ":" + range.maxBytes()));
            if (null != iterations)
            {
                args.addAll(List.of("--iterations", iterations.toString()));
            }
            if (null != warmup)
            {
                args.addAll(List.of("--warmup", warmup.toString()));
            }
            if (CompareBenchmark.BW == benchmark)
            {
                args.addAll(List.of("--window", Integer.toString(window)));
            }
            final IterationCounts counts = benchmark.defaultCounts().override(iterations, warmup);
            for (final ComparePath path : paths)
            {
                final LaunchOptions launch = new LaunchOptions();
                launch.transport = path.javelinTransport();
                launch.timeoutSeconds = timeoutSeconds;
                launch.systemProperties.putAll(systemProperties);
                final JobSpec spec = JobSpecFactory.forJavelinClass(ranks, launch, benchmark.javelinClass(), args);
                final String properties = systemProperties.entrySet().stream()
                    .map((e) -> " -D" + e.getKey() + "=" + e.getValue()).collect(Collectors.joining());
                final String line = "javelin bench " + benchmark.label() + " -n " + ranks + " --transport " +
                    path.javelinTransport() + properties + " " + String.join(" ", args);
                pairings.add(new Pairing(benchmark, path, spec, line, nativeMpi.command(benchmark, path, ranks,
                    range, counts, null != iterations || null != warmup, window)));
            }
        }
        return pairings;
    }

    private void runJavelin(final Pairing pairing, final Comparison comparison, final int round)
    {
        progress(pairing, "Javelin", round);
        final ByteArrayOutputStream report = new ByteArrayOutputStream();
        final int status;
        try (PrintStream reportStream = new PrintStream(report, true, StandardCharsets.UTF_8))
        {
            status = new LocalJobRunner(reportStream, err).run(pairing.javelin());
        }
        final String text = report.toString(StandardCharsets.UTF_8);
        if (status != 0)
        {
            throw new CompareException("`" + pairing.javelinLine() + "` failed with exit status " + status +
                " (its errors are above); its output:\n" + text);
        }
        comparison.add(pairing.benchmark(), pairing.path(), Comparison.Side.JAVELIN, values(text, pairing));
    }

    private void runNative(final Pairing pairing, final NativeMpi nativeMpi, final Comparison comparison,
        final int round)
    {
        progress(pairing, "native", round);
        final String text = NativeMpi.run(pairing.nativeCommand(), nativeMpi.environment(), timeoutSeconds);
        comparison.add(pairing.benchmark(), pairing.path(), Comparison.Side.NATIVE, values(text, pairing));
    }

    private static SortedMap<Integer, Double> values(final String report, final Pairing pairing)
    {
        final SortedMap<Integer, Double> values = OsuOutputParser.parse(report);
        if (values.isEmpty())
        {
            throw new CompareException(pairing.benchmark().label() + " on " + pairing.path().label() +
                " printed no data line (OSU layout: size, then value); its output:\n" + report);
        }
        return values;
    }

    private void progress(final Pairing pairing, final String side, final int round)
    {
        err.println("javelin bench compare: round " + round + "/" + rounds + ": " + pairing.benchmark().label() +
            " on " + pairing.path().label() + ", " + side);
        err.flush();
    }

    private List<CompareBenchmark> benchmarks()
    {
        final List<CompareBenchmark> chosen = new ArrayList<>();
        for (final String name : benchmarkNames.isEmpty() ? DEFAULT_BENCHMARKS : benchmarkNames)
        {
            final CompareBenchmark benchmark = Arrays.stream(CompareBenchmark.values())
                .filter((b) -> b.label().equals(name.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new InvalidJobException("unknown benchmark '" + name + "': compare runs " +
                    Arrays.stream(CompareBenchmark.values()).map(CompareBenchmark::label)
                        .collect(Collectors.joining(", "))));
            if (!chosen.contains(benchmark))
            {
                chosen.add(benchmark);
            }
        }
        return chosen;
    }

    private List<ComparePath> paths()
    {
        final String name = pathName.trim().toLowerCase(Locale.ROOT);
        if ("all".equals(name))
        {
            return List.of(ComparePath.values());
        }
        return List.of(Arrays.stream(ComparePath.values()).filter((p) -> p.label().equals(name)).findFirst()
            .orElseThrow(() -> new InvalidJobException("--path " + pathName + ": use shm, tcp or all")));
    }

    private NativeMpi.Program program()
    {
        try
        {
            return NativeMpi.Program.valueOf(nativeProgram.trim().toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new InvalidJobException("--native " + nativeProgram + ": use auto, builtin or osu");
        }
    }

    private SizeRange sizeRange(final CompareBenchmark benchmark)
    {
        if (null == sizes)
        {
            return benchmark.defaultSizes();
        }
        try
        {
            return SizeRange.parse(sizes, benchmark.defaultSizes().minBytes());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new InvalidJobException("--sizes " + sizes + ": " + ex.getMessage());
        }
    }

    private void validate()
    {
        if (rounds < 1)
        {
            throw new InvalidJobException("--rounds " + rounds + ": give at least 1 (3 or more for a median)");
        }
        if (ranks < 2)
        {
            throw new InvalidJobException("-n " + ranks + ": the benchmarks need at least 2 ranks");
        }
        if (window < 1 || window > 1024)
        {
            throw new InvalidJobException("--window " + window + ": give 1 to 1024 messages");
        }
        if ((null != iterations && iterations < 1) || (null != warmup && warmup < 0))
        {
            throw new InvalidJobException("--iterations needs at least 1 and --warmup at least 0");
        }
        if (timeoutSeconds < 1)
        {
            throw new InvalidJobException("--timeout " + timeoutSeconds + ": give seconds > 0");
        }
        if (null != plot && !plot.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
        {
            throw new InvalidJobException("--plot " + plot + ": the plot is a PNG; name the file FILE.png");
        }
    }

    private static String nativeName(final NativeMpi nativeMpi)
    {
        final String version = nativeMpi.version();
        final int openMpi = version.indexOf("(Open MPI)");
        return openMpi >= 0 ? "Open MPI " + version.substring(openMpi + "(Open MPI)".length()).strip() : "native MPI";
    }
}
