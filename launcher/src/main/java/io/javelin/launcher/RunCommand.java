package io.javelin.launcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code javelin run}: starts N ranks of a Java program on this host or on several hosts and supervises them.
 */
@Command(name = "run", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Starts N JVMs on this host (or, with --hosts / --hostfile, on several hosts over ssh), " +
        "each running the main class as one rank of a job.",
        "Every rank's classpath is Javelin's jars followed by -cp, so name only your own classes. " +
        "Exits with 0 if every rank exits with 0; when a rank fails, the others are stopped and its exit " +
        "code is returned."},
    footer = {"", "Everything after the main class goes to the program; with --jar, put -- before",
        "program arguments that start with '-'."})
final class RunCommand implements Callable<Integer>
{
    private final PrintStream out;
    private final PrintStream err;

    @Option(names = {"-n", "--np"}, required = true, paramLabel = "N", description = "number of ranks")
    int ranks;

    @Mixin
    LaunchOptions launch = new LaunchOptions();

    @Option(names = {"-cp", "--classpath", "-classpath"}, paramLabel = "CLASSPATH",
        description = "where the program's classes are (jars and directories, ':'-separated)")
    String classpath;

    @Option(names = "--jar", paramLabel = "JAR", description = "run the Main-Class of this jar")
    Path jar;

    @Parameters(paramLabel = "MainClass [args]", description = "main class (unless --jar) and its arguments")
    List<String> program = new ArrayList<>();

    RunCommand(final PrintStream out, final PrintStream err)
    {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call()
    {
        final JobSpec spec = JobSpecFactory.forProgram(ranks, launch, classpath, jar, program);
        return new LocalJobRunner(out, err).run(spec);
    }
}
