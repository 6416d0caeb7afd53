package io.javelin.launcher.compare;

import io.javelin.benchmarks.IterationCounts;
import io.javelin.benchmarks.SizeRange;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The MPI installed on this machine (Open MPI's {@code mpirun}) and the program that measures it: the OSU
 * suite when its programs are on the {@code PATH}, else {@code javelin_native_bench}, built from the C source
 * shipped in the benchmarks jar with {@code mpicc -O2} into a cache directory when missing or older than the
 * source.
 *
 * <p>Every run forces the {@code ob1} PML (option and {@code OMPI_MCA_pml}) so that the BTL a
 * {@link ComparePath} names is the one used, adds {@code --oversubscribe} (more ranks than cores is fine),
 * binds as Javelin does ({@code javelin.bind=auto}): {@code --bind-to core} when the ranks fit in the CPUs,
 * else {@code --bind-to none}; and, for root, {@code --allow-run-as-root}.
 */
public final class NativeMpi
{
    /** What to install when {@code mpirun} or {@code mpicc} is missing (Debian / Ubuntu). */
    public static final String INSTALL_FIX = "apt-get install openmpi-bin libopenmpi-dev";
    /** The native program's name, of its source and of the binary in the cache directory. */
    public static final String PROGRAM = "javelin_native_bench";

    private static final String SOURCE_RESOURCE = "/io/javelin/benchmarks/nativempi/" + PROGRAM + ".c";
    private static final long TOOL_TIMEOUT_SECONDS = 120;

    /** Which program measures the native side. */
    public enum Program
    {
        /** The OSU suite if {@code osu_latency} is on the PATH, else the built-in program. */
        AUTO,
        /** {@code javelin_native_bench}, built from source with {@code mpicc}. */
        BUILTIN,
        /** The OSU Micro-Benchmarks ({@code osu_latency}, {@code osu_bw}, {@code osu_allreduce}) on the PATH. */
        OSU
    }

    private final Path mpirun;
    private final Path builtin;
    private final String version;

    private NativeMpi(final Path mpirun, final Path builtin, final String version)
    {
        this.mpirun = mpirun;
        this.builtin = builtin;
        this.version = version;
    }

    /**
     * Finds {@code mpirun} and the benchmark program, building the built-in one if needed.
     *
     * @param program        which program to use.
     * @param cacheDirectory where the built-in program is built.
     * @return the native side, ready to run.
     * @throws CompareException naming the package to install when a tool is missing, or the compiler's output.
     */
    public static NativeMpi locate(final Program program, final Path cacheDirectory)
    {
        final Path mpirun = onPath("mpirun").orElseThrow(() -> new CompareException("mpirun not found on the " +
            "PATH: the comparison needs Open MPI; install it with `" + INSTALL_FIX + "`"));
        final boolean osu = switch (program)
        {
            case OSU -> true;
            case BUILTIN -> false;
            case AUTO -> onPath("osu_latency").isPresent();
        };
        final Path builtin;
        if (osu)
        {
            builtin = null;
            onPath("osu_latency").orElseThrow(() -> new CompareException("--native osu: osu_latency is not on " +
                "the PATH: add the OSU Micro-Benchmarks' mpi/pt2pt and mpi/collective folders to the PATH, or use " +
                "--native builtin"));
        }
        else
        {
            final Path mpicc = onPath("mpicc").orElseThrow(() -> new CompareException("mpicc not found on the " +
                "PATH: it builds the native benchmark; install it with `" + INSTALL_FIX + "`"));
            builtin = build(mpicc, cacheDirectory);
        }
        final String version = run(List.of(mpirun.toString(), "--version"), Map.of(), TOOL_TIMEOUT_SECONDS)
            .lines().filter((line) -> !line.isBlank()).findFirst().orElse("mpirun").strip();
        return new NativeMpi(mpirun, builtin, version);
    }

    /**
     * @return the default cache directory: {@code $XDG_CACHE_HOME/javelin}, else {@code ~/.cache/javelin}.
     */
    public static Path defaultCacheDirectory()
    {
        final String xdg = System.getenv("XDG_CACHE_HOME");
        final Path base = null != xdg && !xdg.isBlank() ? Path.of(xdg) :
            Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("javelin");
    }

    /**
     * @param name a program name.
     * @return its path, if an executable of that name is on the PATH.
     */
    public static Optional<Path> onPath(final String name)
    {
        final String path = System.getenv("PATH");
        if (null == path)
        {
            return Optional.empty();
        }
        return Arrays.stream(path.split(File.pathSeparator)).filter((dir) -> !dir.isBlank())
            .map((dir) -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
    }

    /**
     * @return e.g. "mpirun (Open MPI) 4.1.4".
     */
    public String version()
    {
        return version;
    }

    /**
     * @return "javelin_native_bench" or "OSU Micro-Benchmarks".
     */
    public String programName()
    {
        return null == builtin ? "OSU Micro-Benchmarks" : builtin.toString();
    }

    /**
     * @param benchmark  what to measure.
     * @param path       the BTL to use.
     * @param ranks      number of ranks.
     * @param sizes      message sizes.
     * @param counts     iteration counts (the built-in program takes all four; OSU takes {@code -i} and
     *                   {@code -x} only when {@code overridden}, else keeps its own).
     * @param overridden true when the user gave {@code --iterations} or {@code --warmup}.
     * @param window     bandwidth window.
     * @return the {@code mpirun} command line.
     */
    public List<String> command(
        final CompareBenchmark benchmark,
        final ComparePath path,
        final int ranks,
        final SizeRange sizes,
        final IterationCounts counts,
        final boolean overridden,
        final int window)
    {
        final List<String> command = new ArrayList<>(List.of(mpirun.toString(), "-np", Integer.toString(ranks)));
        if ("root".equals(System.getProperty("user.name")))
        {
            command.add("--allow-run-as-root");
        }
        // each rank on a core of its own when they fit, as Javelin binds its ranks' threads by default
        final String binding = ranks <= Runtime.getRuntime().availableProcessors() ? "core" : "none";
        command.addAll(List.of("--oversubscribe", "--bind-to", binding, "--mca", "pml", "ob1"));
        command.addAll(path.mpirunOptions());
        if (null != builtin)
        {
            command.addAll(List.of(builtin.toString(), benchmark.label(),
                Integer.toString(sizes.minBytes()), Integer.toString(sizes.maxBytes()),
                Integer.toString(counts.small()), Integer.toString(counts.smallWarmup()),
                Integer.toString(counts.large()), Integer.toString(counts.largeWarmup()),
                Integer.toString(window)));
            return command;
        }
        command.add(onPath(benchmark.osuProgram()).map(Path::toString).orElseThrow(() -> new CompareException(
            benchmark.osuProgram() + " is not on the PATH (osu_latency is): add the OSU folder that has it to " +
            "the PATH, or use --native builtin")));
        command.addAll(List.of("-m", sizes.minBytes() + ":" + sizes.maxBytes()));
        if (overridden)
        {
            command.addAll(List.of("-i", Integer.toString(counts.small()),
                "-x", Integer.toString(counts.smallWarmup())));
        }
        if (CompareBenchmark.BW == benchmark)
        {
            command.addAll(List.of("-W", Integer.toString(window)));
        }
        return command;
    }

    /**
     * @return the environment every native run gets on top of this process's.
     */
    public Map<String, String> environment()
    {
        return Map.of("OMPI_MCA_pml", "ob1");
    }

    /**
     * @param command a command from {@link #command}.
     * @return it as a shell line, with the environment, to print.
     */
    public String describe(final List<String> command)
    {
        final StringBuilder line = new StringBuilder();
        environment().forEach((key, value) -> line.append(key).append('=').append(value).append(' '));
        return line.append(String.join(" ", command)).toString();
    }

    /**
     * Runs a command to its end.
     *
     * @param command        the command line.
     * @param environment    variables added to this process's environment.
     * @param timeoutSeconds the command and every process it started are killed after this long.
     * @return its standard output.
     * @throws CompareException if it cannot start, times out or exits with a non-zero status (with its output).
     */
    public static String run(final List<String> command, final Map<String, String> environment,
        final long timeoutSeconds)
    {
        Path stdout = null;
        Path stderr = null;
        Process process = null;
        try
        {
            stdout = Files.createTempFile("javelin-compare", ".out");
            stderr = Files.createTempFile("javelin-compare", ".err");
            final ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
            {
                throw new CompareException("`" + String.join(" ", command) + "` did not finish within " +
                    timeoutSeconds + " s; stopped it (a larger --timeout, or fewer --sizes / --iterations?)" +
                    tail(stderr));
            }
            if (process.exitValue() != 0)
            {
                throw new CompareException("`" + String.join(" ", command) + "` exited with status " +
                    process.exitValue() + tail(stderr) + tail(stdout));
            }
            return Files.readString(stdout, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new CompareException("cannot run `" + String.join(" ", command) + "`: " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new CompareException("interrupted while running `" + String.join(" ", command) + "`", ex);
        }
        finally
        {
            if (null != process && process.isAlive())
            {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    private static Path build(final Path mpicc, final Path directory)
    {
        try
        {
            Files.createDirectories(directory);
            final Path source = directory.resolve(PROGRAM + ".c");
            final byte[] shipped = shippedSource();
            if (!Files.isRegularFile(source) || !Arrays.equals(Files.readAllBytes(source), shipped))
            {
                final Path temporary = Files.createTempFile(directory, PROGRAM, ".c.tmp");
                Files.write(temporary, shipped);
                Files.move(temporary, source, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            final Path binary = directory.resolve(PROGRAM);
            if (!Files.isExecutable(binary) ||
                Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) < 0)
            {
                // A private name, then an atomic rename: concurrent builds each produce a complete binary.
                final Path temporary = directory.resolve(PROGRAM + "." + ProcessHandle.current().pid() + ".tmp");
                try
                {
                    run(List.of(mpicc.toString(), "-O2", "-o", temporary.toString(), source.toString()), Map.of(),
                        TOOL_TIMEOUT_SECONDS);
                }
                catch (final CompareException ex)
                {
                    throw new CompareException("cannot build the native benchmark with mpicc (are Open MPI's " +
                        "headers installed? `" + INSTALL_FIX + "`): " + ex.getMessage(), ex);
                }
                Files.move(temporary, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return binary;
        }
        catch (final IOException ex)
        {
            throw new CompareException("cannot build the native benchmark in " + directory + ": " + ex.getMessage() +
                " (check that the directory is writable, or set XDG_CACHE_HOME)", ex);
        }
    }

    private static byte[] shippedSource() throws IOException
    {
        try (InputStream in = NativeMpi.class.getResourceAsStream(SOURCE_RESOURCE))
        {
            if (null == in)
            {
                throw new CompareException(SOURCE_RESOURCE + " is not in the benchmarks jar: the build is stale " +
                    "(rebuild: mvn -B -DskipTests package)");
            }
            return in.readAllBytes();
        }
    }

    private static String tail(final Path file) throws IOException
    {
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty())
        {
            return "";
        }
        return String.format(Locale.ROOT, "%n  %s", String.join(String.format("%n  "),
            lines.subList(Math.max(0, lines.size() - 20), lines.size())));
    }

    private static void deleteQuietly(final Path file)
    {
        if (null == file)
        {
            return;
        }
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignore)
        {
            // a temporary file in the system's temp directory: nothing else to do
        }
    }
}
