package io.javelin.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * The {@code javelin} command: {@code run}, {@code classpath}, {@code pingpong}, {@code bench} and
 * {@code info}. Exit codes: what the job returned for {@code run}, {@code pingpong} and {@code bench};
 * 2 for bad input (the message names the fix); 1 for other failures.
 */
@Command(name = "javelin", mixinStandardHelpOptions = true, versionProvider = JavelinVersion.class,
    description = "Starts and inspects Javelin jobs.",
    footer = {"", "Examples:",
        "  javelin run -n 4 -cp app.jar com.example.Main arg1",
        "  javelin pingpong --transport tcp",
        "  javac -cp $(javelin classpath) Hello.java"})
public final class Main implements Runnable
{
    /** Exit code for bad input, as picocli uses for syntax errors. */
    static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    /**
     * Without a subcommand: explain what to type.
     */
    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(),
            "missing command: use run, classpath, pingpong, bench or info (javelin --help)");
    }

    /**
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        System.exit(execute(args, System.out, System.err));
    }

    /**
     * Runs one command with the given output streams (tests call this in-process).
     *
     * @param args command line.
     * @param out  where normal output and the ranks' stdout go.
     * @param err  where messages and the ranks' stderr go.
     * @return the exit code.
     */
    public static int execute(final String[] args, final PrintStream out, final PrintStream err)
    {
        final CommandLine commandLine = new CommandLine(new Main());
        commandLine.addSubcommand(new RunCommand(out, err));
        commandLine.addSubcommand(new ClasspathCommand(out));
        commandLine.addSubcommand(new PingPongCommand(out, err));
        commandLine.addSubcommand(new BenchCommand(out, err));
        commandLine.addSubcommand(new InfoCommand(out));

        // run: everything after the main class belongs to the program.
        commandLine.getSubcommands().get("run").setStopAtPositional(true);
        // pingpong and bench: options the launcher does not know go to the benchmark.
        commandLine.getSubcommands().get("pingpong").setUnmatchedOptionsArePositionalParams(true);
        commandLine.getSubcommands().get("bench").setUnmatchedOptionsArePositionalParams(true);
        // bench compare: Javelin against the native MPI; added after the line above, so it rejects unknown options.
        commandLine.getSubcommands().get("bench").addSubcommand(new BenchCompareCommand(out, err));

        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setParameterExceptionHandler((ex, ignored) ->
        {
            final CommandLine failed = ex.getCommandLine();
            err.println("javelin: " + ex.getMessage());
            err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((ex, failed, ignored) ->
        {
            if (ex instanceof InvalidJobException)
            {
                err.println(failed.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
                return EXIT_USAGE;
            }
            err.println("javelin: " + ex);
            ex.printStackTrace(err);
            return 1;
        });
        return commandLine.execute(args);
    }
}
