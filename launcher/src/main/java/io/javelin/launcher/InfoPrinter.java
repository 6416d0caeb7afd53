package io.javelin.launcher;

import io.javelin.transport.config.ConfigValue;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Writes what {@link InfoCommand} gathered, as aligned text or as JSON (one object, for scripts).
 */
final class InfoPrinter
{
    private static final String KEY_FORMAT = "    %-42s %-12s %-16s %s%n";

    private final PrintStream out;

    InfoPrinter(final PrintStream out)
    {
        this.out = out;
    }

    void printHeader()
    {
        out.println("Javelin    " + JavelinVersion.version());
        out.println("Java       " + javaVersion() + " at " + System.getProperty("java.home"));
        out.println("Host       " + hostDescription());
    }

    void printTransports(final List<InfoCommand.TransportRow> transports, final List<String> broken)
    {
        out.println();
        out.println("Transports (--transport auto picks the available one with the highest priority):");
        if (transports.isEmpty() && broken.isEmpty())
        {
            out.println("  none found on the classpath (no META-INF/services/io.javelin.transport.TransportProvider " +
                "entry): is this a complete Javelin build?");
        }
        for (final InfoCommand.TransportRow transport : transports)
        {
            out.printf("  %-8s priority %-4d %s%n", transport.name(), transport.priority(),
                null == transport.reason() ? "available" : "unavailable: " + transport.reason());
            if (null != transport.details())
            {
                out.printf("  %-8s %s%n", "", transport.details());
            }
        }
        for (final String error : broken)
        {
            out.println("  broken provider: " + error);
        }
    }

    void printDevices(final List<String> devices)
    {
        out.println();
        out.println("RDMA devices (libibverbs):");
        for (final String line : devices)
        {
            out.println("  " + line);
        }
    }

    void printConfiguration(final List<ConfigurationCatalog.Row> rows)
    {
        out.println();
        out.println("Configuration (each key is read from, lowest precedence first: default, environment " +
            "JAVELIN_KEY with dots as underscores, system property -Djavelin.key=..., argument --javelin.key=...):");
        out.printf(KEY_FORMAT, "key", "value", "source", "meaning");
        String section = null;
        for (final ConfigurationCatalog.Row row : rows)
        {
            if (!row.section().equals(section))
            {
                section = row.section();
                out.println("  " + (ConfigurationCatalog.UNKNOWN_SECTION.equals(section) ?
                    "unknown (set, but no module reads these)" : section));
            }
            final ConfigValue value = row.value();
            out.printf(KEY_FORMAT, value.key(), value.value().isEmpty() ? "(unset)" : value.value(),
                value.source().label(), value.description());
            if (null != row.error())
            {
                out.println("      ^ invalid: " + row.error());
            }
        }
    }

    void printJson(final boolean configOnly, final List<InfoCommand.TransportRow> transports,
        final List<String> broken, final List<String> devices, final List<ConfigurationCatalog.Row> rows)
    {
        final StringBuilder json = new StringBuilder(8192).append("{\n");
        if (!configOnly)
        {
            json.append("  \"javelin\": ").append(quote(JavelinVersion.version())).append(",\n");
            json.append("  \"java\": ").append(quote(javaVersion())).append(",\n");
            json.append("  \"javaHome\": ").append(quote(System.getProperty("java.home"))).append(",\n");
            json.append("  \"host\": ").append(quote(hostDescription())).append(",\n");
            json.append("  \"cpus\": ").append(Runtime.getRuntime().availableProcessors()).append(",\n");
            json.append("  \"transports\": [");
            for (int i = 0; i < transports.size(); i++)
            {
                final InfoCommand.TransportRow transport = transports.get(i);
                json.append(i == 0 ? "\n" : ",\n").append("    {\"name\": ").append(quote(transport.name()))
                    .append(", \"priority\": ").append(transport.priority())
                    .append(", \"available\": ").append(null == transport.reason())
                    .append(", \"unavailableReason\": ").append(quote(transport.reason()))
                    .append(", \"details\": ").append(quote(transport.details())).append('}');
            }
            json.append("\n  ],\n  \"brokenProviders\": ").append(array(broken)).append(",\n");
            json.append("  \"rdmaDevices\": ").append(array(devices)).append(",\n");
        }
        json.append("  \"configuration\": [");
        for (int i = 0; i < rows.size(); i++)
        {
            final ConfigurationCatalog.Row row = rows.get(i);
            final ConfigValue value = row.value();
            json.append(i == 0 ? "\n" : ",\n").append("    {\"key\": ").append(quote(value.key()))
                .append(", \"value\": ").append(quote(value.value()))
                .append(", \"source\": ").append(quote(value.source().label()))
                .append(", \"section\": ").append(quote(row.section()))
                .append(", \"description\": ").append(quote(value.description()))
                .append(", \"error\": ").append(quote(row.error())).append('}');
        }
        json.append("\n  ]\n}");
        out.println(json);
    }

    private static String javaVersion()
    {
        return System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", " +
            System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version") + ")";
    }

    private static String hostDescription()
    {
        final int cpus = Runtime.getRuntime().availableProcessors();
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " " +
            System.getProperty("os.arch") + ", " + cpus + (cpus == 1 ? " CPU" : " CPUs") + ", max heap " +
            (Runtime.getRuntime().maxMemory() >> 20) + " MiB";
    }

    private static String array(final List<String> items)
    {
        final StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++)
        {
            json.append(i == 0 ? "" : ", ").append(quote(items.get(i)));
        }
        return json.append(']').toString();
    }

    static String quote(final String text)
    {
        if (null == text)
        {
            return "null";
        }
        final StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        json.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
