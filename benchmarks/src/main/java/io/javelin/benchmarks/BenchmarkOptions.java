package io.javelin.benchmarks;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every benchmark takes (a picocli mixin). Unset options leave the benchmark's OSU defaults in
 * place.
 */
public final class BenchmarkOptions
{
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print these options and exit")
    boolean help;

    @Option(names = "--buffer", paramLabel = "KIND", defaultValue = "segment",
        description = "message memory: heap (byte[], staged), direct (ByteBuffer.allocateDirect) or segment " +
            "(javelin.allocate, zero-copy); default: ${DEFAULT-VALUE}")
    BufferKind buffer;

    @Option(names = "--percentiles", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "add P50 and P99 columns (HdrHistogram) after OSU's; --no-percentiles leaves OSU's columns " +
            "alone, for strict OSU parsers")
    boolean percentiles;

    /** The default of {@code --jit-settle-ms}: the JIT's start-up burst takes seconds of CPU time per rank. */
    public static final long JIT_SETTLE_MS_DEFAULT = 10_000;

    @Option(names = "--jit-settle-ms", paramLabel = "MS",
        description = "untimed rounds of the warm-up count until no rank's JIT compiler worked (finished a " +
            "compilation or used CPU) during two in a row, for at most MS per size; 0: the fixed count alone " +
            "(default: " + JIT_SETTLE_MS_DEFAULT +
            ", 0 when --warmup is given)")
    void jitSettleMs(final long ms)
    {
        if (ms < 0)
        {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--jit-settle-ms': " + ms +
                " (needs at least 0; 0 turns settling off)");
        }
        this.jitSettleMs = ms;
    }

    private Long jitSettleMs;

    private String sizes;
    private Integer iterations;
    private Integer warmup;

    @Option(names = "--sizes", paramLabel = "MIN:MAX",
        description = "message sizes MIN, doubling up to MAX, suffixes k/m/g (e.g. 0:4m, or MAX alone)")
    void sizes(final String text)
    {
        try
        {
            SizeRange.parse(text, 0);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--sizes': " +
                ex.getMessage());
        }
        this.sizes = text;
    }

    @Option(names = "--iterations", paramLabel = "N",
        description = "timed iterations per size (default: as OSU, fewer above 8 KiB)")
    void iterations(final int count)
    {
        if (count < 1)
        {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--iterations': " + count +
                " (needs at least 1)");
        }
        this.iterations = count;
    }

    @Option(names = "--warmup", paramLabel = "N",
        description = "untimed iterations before each size (default: as OSU, fewer above 8 KiB)")
    void warmup(final int count)
    {
        if (count < 0)
        {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--warmup': " + count +
                " (needs at least 0)");
        }
        this.warmup = count;
    }

    /**
     * @return the kind of message memory.
     */
    public BufferKind buffer()
    {
        return buffer;
    }

    /**
     * @return the longest a size's warm-up may go on while the JIT compiles, milliseconds; 0: fixed count (the
     *     default when {@code --warmup} was given: the user chose the count).
     */
    public long jitSettleMs()
    {
        if (null != jitSettleMs)
        {
            return jitSettleMs;
        }
        return null == warmup ? JIT_SETTLE_MS_DEFAULT : 0;
    }

    /**
     * @return true to print the P50 and P99 columns.
     */
    public boolean percentiles()
    {
        return percentiles;
    }

    /**
     * @param defaults the benchmark's sizes.
     * @return the sizes to run: {@code --sizes} if given (MAX alone keeps the default MIN), else the defaults.
     */
    public SizeRange sizes(final SizeRange defaults)
    {
        return null == sizes ? defaults : SizeRange.parse(sizes, defaults.minBytes());
    }

    /**
     * @param defaults the benchmark's OSU counts.
     * @return the counts with {@code --iterations} and {@code --warmup} applied.
     */
    public IterationCounts iterations(final IterationCounts defaults)
    {
        return defaults.override(iterations, warmup);
    }
}
