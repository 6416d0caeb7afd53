package io.javelin.transport.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Merges the settings of {@code javelin.*} keys from, lowest precedence first: the declared defaults, the
 * environment ({@code JAVELIN_FOO_BAR} sets {@code javelin.foo.bar}), system properties, and arguments
 * ({@code --javelin.foo.bar=value}, parsed by the caller). Every value remembers its {@link ConfigSource}.
 *
 * <p>Keys nobody declared are kept too (a transport may read keys the caller does not know, and
 * {@code javelin info} shows them as unknown, which catches typos). Immutable and thread-safe; resolving is
 * set-up work and allocates freely.
 */
public final class ConfigResolver
{
    /** Every key starts with this. */
    public static final String PREFIX = "javelin.";
    /** Every environment variable that sets a key starts with this. */
    public static final String ENVIRONMENT_PREFIX = "JAVELIN_";

    private final Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();
    private final Map<String, String> keyByVariable = new LinkedHashMap<>();
    private final Set<String> ignoredVariables;

    /**
     * @param keys             the declared keys whose defaults appear in every result, in display order.
     * @param ignoredVariables {@code JAVELIN_*} environment variables that are not settings (e.g. the rank
     *                         number a launcher passes).
     */
    public ConfigResolver(final Collection<? extends ConfigKey<?>> keys, final Set<String> ignoredVariables)
    {
        for (final ConfigKey<?> key : keys)
        {
            if (null != this.keys.putIfAbsent(key.name(), key))
            {
                throw new IllegalArgumentException("configuration key " + key.name() + " is declared twice");
            }
            keyByVariable.put(key.environmentVariable(), key.name());
        }
        this.ignoredVariables = Set.copyOf(ignoredVariables);
    }

    /**
     * @return the declared keys, in display order.
     */
    public List<ConfigKey<?>> keys()
    {
        return List.copyOf(keys.values());
    }

    /**
     * @param key a property name, e.g. {@code javelin.tcp.eager.limit}.
     * @return its environment variable, e.g. {@code JAVELIN_TCP_EAGER_LIMIT}.
     */
    public static String environmentVariable(final String key)
    {
        return key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /**
     * @return this JVM's {@code javelin.*} system properties.
     */
    public static Map<String, String> systemProperties()
    {
        final Map<String, String> properties = new TreeMap<>();
        for (final String name : System.getProperties().stringPropertyNames())
        {
            if (name.startsWith(PREFIX))
            {
                properties.put(name, System.getProperty(name));
            }
        }
        return properties;
    }

    /**
     * Resolves against this process: {@link System#getenv()} and {@link System#getProperties()}.
     *
     * @param arguments explicit settings (highest precedence), key to value.
     * @return every declared key and every other {@code javelin.*} key set anywhere, declared keys first.
     */
    public Map<String, ConfigValue> resolveProcess(final Map<String, String> arguments)
    {
        return resolve(System.getenv(), systemProperties(), arguments);
    }

    /**
     * @param environment      environment variables (only {@code JAVELIN_*} ones are read).
     * @param systemProperties system properties (only {@code javelin.*} ones are read).
     * @param arguments        explicit settings (highest precedence), key to value.
     * @return every declared key and every other {@code javelin.*} key set anywhere, declared keys first in
     *         declaration order, then the others by name.
     */
    public Map<String, ConfigValue> resolve(final Map<String, String> environment,
        final Map<String, String> systemProperties, final Map<String, String> arguments)
    {
        final Map<String, ConfigValue> declared = new LinkedHashMap<>();
        for (final ConfigKey<?> key : keys.values())
        {
            declared.put(key.name(), new ConfigValue(key.name(), key.defaultText(), ConfigSource.DEFAULT,
                key.description(), true));
        }
        final Map<String, ConfigValue> others = new TreeMap<>();
        for (final Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet())
        {
            final String name = variable.getKey();
            if (name.startsWith(ENVIRONMENT_PREFIX) && !ignoredVariables.contains(name))
            {
                put(declared, others, keyOfVariable(name), variable.getValue(), ConfigSource.ENVIRONMENT);
            }
        }
        for (final Map.Entry<String, String> property : systemProperties.entrySet())
        {
            if (property.getKey().startsWith(PREFIX))
            {
                put(declared, others, property.getKey(), property.getValue(), ConfigSource.SYSTEM_PROPERTY);
            }
        }
        for (final Map.Entry<String, String> argument : arguments.entrySet())
        {
            put(declared, others, argument.getKey(), argument.getValue(), ConfigSource.ARGUMENT);
        }
        final Map<String, ConfigValue> result = new LinkedHashMap<>(declared);
        result.putAll(others);
        return result;
    }

    /**
     * @param settings resolved settings.
     * @return key to value, in the same order.
     */
    public static Map<String, String> values(final Map<String, ConfigValue> settings)
    {
        final Map<String, String> values = new LinkedHashMap<>();
        settings.forEach((key, value) -> values.put(key, value.value()));
        return values;
    }

    /**
     * @param settings resolved settings.
     * @return the keys set somewhere that no module declares: often typos.
     */
    public static List<String> unknownKeys(final Map<String, ConfigValue> settings)
    {
        final List<String> unknown = new ArrayList<>();
        settings.values().stream().filter((value) -> !value.known()).forEach((value) -> unknown.add(value.key()));
        return unknown;
    }

    private String keyOfVariable(final String variable)
    {
        final String declared = keyByVariable.get(variable);
        return null != declared ? declared : variable.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private void put(final Map<String, ConfigValue> declared, final Map<String, ConfigValue> others,
        final String key, final String value, final ConfigSource source)
    {
        final ConfigKey<?> known = keys.get(key);
        if (null != known)
        {
            declared.put(key, new ConfigValue(key, value, source, known.description(), true));
        }
        else
        {
            others.put(key, new ConfigValue(key, value, source, "", false));
        }
    }
}
