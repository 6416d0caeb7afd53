package io.javelin.benchmarks;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * Parses a benchmark's arguments with picocli. Arguments starting with {@code --javelin.} belong to
 * {@link io.javelin.mpi.Javelin#init(String...)} and are skipped here; anything else picocli does not know
 * is an error.
 */
final class BenchmarkCommandLine
{
    private static final String JAVELIN_PREFIX = "--javelin.";

    private BenchmarkCommandLine()
    {
    }

    /**
     * Fills a {@code @Command} object from the arguments; prints the usage if {@code --help} was given.
     *
     * @param command the benchmark's options, annotated for picocli.
     * @param args    the program arguments, {@code --javelin.} ones included.
     * @param out     where {@code --help} prints; null to print nothing (ranks other than 0).
     * @return true to run the benchmark, false when help was asked for.
     * @throws UsageException for an unknown option or a bad value, with the usage text.
     */
    static boolean parse(final Object command, final String[] args, final PrintStream out)
    {
        return parse(new CommandLine(command), args, out);
    }

    /**
     * As {@link #parse(Object, String[], PrintStream)}, for options shared by several benchmarks (no
     * {@code @Command} of their own): the name and description of the usage text are given here.
     *
     * @param command     the options, annotated for picocli.
     * @param name        the benchmark, first word of the usage text.
     * @param description what it measures, for the usage text.
     * @param args        the program arguments, {@code --javelin.} ones included.
     * @param out         where {@code --help} prints; null to print nothing (ranks other than 0).
     * @return true to run the benchmark, false when help was asked for.
     * @throws UsageException for an unknown option or a bad value, with the usage text.
     */
    static boolean parse(final Object command, final String name, final String description, final String[] args,
        final PrintStream out)
    {
        final CommandLine commandLine = new CommandLine(command);
        commandLine.getCommandSpec().name(name).usageMessage().description(description).sortOptions(false);
        return parse(commandLine, args, out);
    }

    private static boolean parse(final CommandLine commandLine, final String[] args, final PrintStream out)
    {
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        final String[] own = Arrays.stream(args).filter(arg -> !arg.startsWith(JAVELIN_PREFIX))
            .toArray(String[]::new);
        try
        {
            commandLine.parseArgs(own);
        }
        catch (final UnmatchedArgumentException ex)
        {
            throw new UsageException(ex.getMessage() + " (Javelin's own options are written --javelin.key=value)",
                commandLine.getUsageMessage());
        }
        catch (final ParameterException ex)
        {
            throw new UsageException(ex.getMessage(), commandLine.getUsageMessage());
        }
        if (commandLine.isUsageHelpRequested())
        {
            if (null != out)
            {
                out.print(commandLine.getUsageMessage());
                out.flush();
            }
            return false;
        }
        return true;
    }
}
