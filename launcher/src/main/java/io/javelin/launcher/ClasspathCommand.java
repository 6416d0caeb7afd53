package io.javelin.launcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * {@code javelin classpath}: prints Javelin's classpath, for {@code javac -cp $(javelin classpath)}; with
 * {@code --jvm-flags}, the JVM flags every rank needs, for ranks started by another launcher (mpirun, srun).
 */
@Command(name = "classpath", mixinStandardHelpOptions = true,
    description = "Prints Javelin's classpath (all Javelin jars), e.g. for javac -cp \"$(javelin classpath)\".")
final class ClasspathCommand implements Callable<Integer>
{
    private final PrintStream out;

    @Option(names = "--jvm-flags", description = "Print instead the JVM flags every rank needs, on one line, for " +
        "ranks started by mpirun or srun: java -cp \"$(javelin classpath):app\" $(javelin classpath --jvm-flags) Main")
    private boolean jvmFlags;

    ClasspathCommand(final PrintStream out)
    {
        this.out = out;
    }

    @Override
    public Integer call()
    {
        out.println(jvmFlags ? String.join(" ", LauncherConfiguration.RANK_JVM_FLAGS) :
            JavelinClasspath.join(JavelinClasspath.entries()));
        out.flush();
        return 0;
    }
}
