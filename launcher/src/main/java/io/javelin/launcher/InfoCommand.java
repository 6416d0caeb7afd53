package io.javelin.launcher;

import io.javelin.transport.TransportProvider;
import io.javelin.transport.config.ConfigResolver;
import io.javelin.transport.rdma.RdmaDeviceReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code javelin info}: what this installation can do, like {@code ucx_info} / {@code ompi_info}: versions,
 * host, the transports found and whether each can run here (and why not), the RDMA devices with their ports
 * and GID tables, and every configuration key with its effective value, its source and what it does.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = {"Prints Javelin and Java versions, the transports found and whether each can run here, " +
        "the RDMA devices, and every configuration key with its effective value and source.",
        "Settings: -Dkey=value as given to 'javelin run -D', --javelin.key=value as given to a program, " +
        "and the environment (JAVELIN_KEY)."})
final class InfoCommand implements Callable<Integer>
{
    private final PrintStream out;

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, description = "Print only the configuration table.")
    boolean configOnly;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
        description = "A system property, as 'javelin run -D' gives it to every rank.")
    Map<String, String> systemProperties = new LinkedHashMap<>();

    @Unmatched
    List<String> settingArguments = new ArrayList<>();

    InfoCommand(final PrintStream out)
    {
        this.out = out;
    }

    /**
     * A transport as {@code info} reports it.
     *
     * @param name     as used by {@code --transport}.
     * @param priority preference for {@code --transport auto}.
     * @param reason   null when available, else why not and the fix.
     * @param details  further facts, or null.
     */
    record TransportRow(String name, int priority, String reason, String details)
    {
    }

    @Override
    public Integer call()
    {
        final Map<String, String> arguments = parseSettingArguments();
        final Map<String, String> properties = new TreeMap<>(ConfigResolver.systemProperties());
        properties.putAll(systemProperties);

        final List<String> broken = new ArrayList<>();
        final List<TransportProvider> providers = loadProviders(broken);
        final List<ConfigurationCatalog.Row> rows =
            new ConfigurationCatalog(providers).resolve(System.getenv(), properties, arguments);
        final List<TransportRow> transports = configOnly ? List.of() : describe(providers);
        final List<String> devices = configOnly ? List.of() : RdmaDeviceReport.describeThisMachine();

        final InfoPrinter printer = new InfoPrinter(out);
        if (json)
        {
            printer.printJson(configOnly, transports, broken, devices, rows);
        }
        else
        {
            if (!configOnly)
            {
                printer.printHeader();
                printer.printTransports(transports, broken);
                printer.printDevices(devices);
            }
            printer.printConfiguration(rows);
        }
        out.flush();
        return 0;
    }

    private Map<String, String> parseSettingArguments()
    {
        final Map<String, String> arguments = new LinkedHashMap<>();
        for (final String argument : settingArguments)
        {
            final int equals = argument.indexOf('=');
            if (!argument.startsWith("--" + ConfigResolver.PREFIX) || equals < 0)
            {
                throw new ParameterException(spec.commandLine(), "unknown option or argument '" + argument +
                    "': settings are written --javelin.key=value or -Djavelin.key=value");
            }
            arguments.put(argument.substring(2, equals), argument.substring(equals + 1));
        }
        return arguments;
    }

    private static List<TransportProvider> loadProviders(final List<String> broken)
    {
        final List<TransportProvider> providers = new ArrayList<>();
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
        return providers;
    }

    private static List<TransportRow> describe(final List<TransportProvider> providers)
    {
        final List<TransportRow> rows = new ArrayList<>();
        for (final TransportProvider provider : providers)
        {
            rows.add(new TransportRow(provider.name(), provider.priority(), unavailableReason(provider),
                details(provider)));
        }
        return rows;
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

    private static String unavailableReason(final TransportProvider provider)
    {
        try
        {
            return provider.unavailableReason();
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return "checking failed with " + ex;
        }
    }
}
