package io.javelin.launcher;

import io.javelin.messaging.Configuration;
import io.javelin.messaging.bootstrap.BootstrapConfiguration;
import io.javelin.mpi.internal.collective.CollectiveConfiguration;
import io.javelin.transport.TransportProvider;
import io.javelin.transport.config.ConfigKey;
import io.javelin.transport.config.ConfigResolver;
import io.javelin.transport.config.ConfigValue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every configuration key of an installation, grouped by the module that declares it: messaging, collectives,
 * each transport found (through {@link TransportProvider#configKeys()}), bootstrap and launcher. Resolves them
 * all against given sources and checks each effective value with the key's own parser, so that
 * {@code javelin info} shows what a rank started here would use, where it came from, and what is wrong.
 */
final class ConfigurationCatalog
{
    /**
     * Keys of one module.
     *
     * @param name e.g. {@code "transport tcp"}.
     * @param keys its keys in display order.
     */
    record Section(String name, List<ConfigKey<?>> keys)
    {
    }

    /**
     * One row of the table.
     *
     * @param section the section name, or {@code "unknown"} for a key no module declares.
     * @param value   the effective value and its source.
     * @param error   why the value is refused, or null when it is valid.
     */
    record Row(String section, ConfigValue value, String error)
    {
    }

    /** Section name of keys set somewhere that no module declares. */
    static final String UNKNOWN_SECTION = "unknown";

    private final List<Section> sections;
    private final ConfigResolver resolver;

    /**
     * @param providers the transports found; their keys form one section each, lowest priority first.
     */
    ConfigurationCatalog(final List<TransportProvider> providers)
    {
        final List<Section> all = new ArrayList<>();
        all.add(new Section("messaging", Configuration.KEYS));
        all.add(new Section("collectives", CollectiveConfiguration.KEYS));
        final List<TransportProvider> byPriority = new ArrayList<>(providers);
        byPriority.sort(Comparator.comparingInt(TransportProvider::priority));
        for (final TransportProvider provider : byPriority)
        {
            all.add(new Section("transport " + provider.name(), configKeys(provider)));
        }
        all.add(new Section("bootstrap", BootstrapConfiguration.KEYS));
        all.add(new Section("launcher", LauncherConfiguration.KEYS));
        sections = List.copyOf(all);
        resolver = new ConfigResolver(all.stream().flatMap((section) -> section.keys().stream()).toList(),
            Configuration.NON_SETTING_VARIABLES);
    }

    /**
     * @return the sections in display order.
     */
    List<Section> sections()
    {
        return sections;
    }

    /**
     * @param environment      environment variables.
     * @param systemProperties {@code javelin.*} system properties.
     * @param arguments        {@code --javelin.*} arguments, key to value.
     * @return one row per declared key (sections in order) and per unknown key set somewhere.
     */
    List<Row> resolve(final Map<String, String> environment, final Map<String, String> systemProperties,
        final Map<String, String> arguments)
    {
        final Map<String, ConfigValue> settings = resolver.resolve(environment, systemProperties, arguments);
        final Map<String, ConfigValue> remaining = new LinkedHashMap<>(settings);
        final List<Row> rows = new ArrayList<>();
        for (final Section section : sections)
        {
            for (final ConfigKey<?> key : section.keys())
            {
                final ConfigValue value = remaining.remove(key.name());
                rows.add(new Row(section.name(), value, check(key, value.value())));
            }
        }
        for (final ConfigValue value : remaining.values())
        {
            rows.add(new Row(UNKNOWN_SECTION, value, "no module reads " + value.key() + ": check the spelling " +
                "against this list"));
        }
        return rows;
    }

    private static String check(final ConfigKey<?> key, final String value)
    {
        try
        {
            key.parse(value);
            return null;
        }
        catch (final RuntimeException ex)
        {
            return ex.getMessage();
        }
    }

    private static List<ConfigKey<?>> configKeys(final TransportProvider provider)
    {
        try
        {
            return provider.configKeys();
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return List.of();
        }
    }
}
