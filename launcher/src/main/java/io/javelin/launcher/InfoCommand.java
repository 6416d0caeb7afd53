package io.javelin.launcher;

import io.javelin.messaging.bootstrap.BootstrapConfiguration;
import io.javelin.transport.TransportProvider;

import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

/**
 * {@code javelin info}: what this installation can do: versions, transports and whether each can run here,
 * and the effective configuration. Meant to grow (devices, limits) as the layers below grow.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Prints Javelin and Java versions, the transports found and whether each can run here.")
final class InfoCommand implements Callable<Integer>
{
    private final PrintStream out;

    InfoCommand(final PrintStream out)
    {
        this.out = out;
    }

    @Override
    public Integer call()
    {
        out.println("Javelin    " + JavelinVersion.version());
        out.println("Java       " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") +
            ", " + System.getProperty("java.vm.name") + ") at " + System.getProperty("java.home"));
        out.println("Host       " + Runtime.getRuntime().availableProcessors() + " CPUs, " +
            System.getProperty("os.name") + " " + System.getProperty("os.version") + " " +
            System.getProperty("os.arch"));
        printTransports();
        out.println("Bootstrap  timeout " + BootstrapConfiguration.formatSeconds(BootstrapConfiguration.timeoutMs()) +
            " (-D" + BootstrapConfiguration.TIMEOUT_PROP_NAME + ")");
        out.println("Launcher   stopped ranks are killed after " +
            BootstrapConfiguration.formatSeconds(LauncherConfiguration.stopGraceMs()) + " (-D" +
            LauncherConfiguration.STOP_GRACE_PROP_NAME + " in JAVELIN_LAUNCHER_OPTS)");
        out.flush();
        return 0;
    }

    private void printTransports()
    {
        final List<TransportProvider> providers = new ArrayList<>();
        final List<String> broken = new ArrayList<>();
        final Iterator<TransportProvider> iterator = ServiceLoader.load(TransportProvider.class).iterator();
        while (true)
        {
            try
            {
                if (!iterator.hasNext())
                {
                    break;
                }
                providers.add(iterator.next());
            }
            catch (final ServiceConfigurationError ex)
            {
                broken.add(ex.getMessage());
            }
        }
        providers.sort(Comparator.comparingInt(TransportProvider::priority).reversed());

        out.println("Transports (--transport auto picks the available one with the highest priority):");
        if (providers.isEmpty() && broken.isEmpty())
        {
            out.println("  none found on the classpath (no META-INF/services/" + TransportProvider.class.getName() +
                " entry): is this a complete Javelin build?");
        }
        for (final TransportProvider provider : providers)
        {
            out.printf("  %-8s priority %-4d %s%n", provider.name(), provider.priority(), availability(provider));
            final String details = details(provider);
            if (null != details)
            {
                out.printf("  %-8s %s%n", "", details);
            }
        }
        for (final String error : broken)
        {
            out.println("  broken provider: " + error);
        }
    }

    private static String details(final TransportProvider provider)
    {
        try
        {
            return provider.details();
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return null;
        }
    }

    private static String availability(final TransportProvider provider)
    {
        try
        {
            final String reason = provider.unavailableReason();
            return null == reason ? "available" : "unavailable: " + reason;
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return "unavailable: checking failed with " + ex;
        }
    }
}
