package io.javelin.launcher;

import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * {@code javelin classpath}: prints Javelin's classpath, for {@code javac -cp $(javelin classpath)}.
 */
@Command(name = "classpath", mixinStandardHelpOptions = true,
    description = "Prints Javelin's classpath (all Javelin jars), e.g. for javac -cp \"$(javelin classpath)\".")
final class ClasspathCommand implements Callable<Integer>
{
    private final PrintStream out;

    ClasspathCommand(final PrintStream out)
    {
        this.out = out;
    }

    @Override
    public Integer call()
    {
        out.println(JavelinClasspath.join(JavelinClasspath.entries()));
        out.flush();
        return 0;
    }
}
