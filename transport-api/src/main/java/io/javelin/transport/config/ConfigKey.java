package io.javelin.transport.config;

import io.javelin.transport.Sizes;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One configuration key, declared once by the module that reads it: name, default, description and the parser
 * that turns text into a checked value. Set-up code reads a key with {@link #get(Map)}; {@code javelin info}
 * lists every declared key with its effective value and source.
 *
 * <p>Immutable and thread-safe. Parsers throw {@link IllegalArgumentException} whose message names the key, the
 * bad value and what would be accepted.
 *
 * @param <T> the parsed value's type.
 */
public final class ConfigKey<T>
{
    /**
     * Turns a setting's text into a checked value.
     *
     * @param <T> the value's type.
     */
    @FunctionalInterface
    public interface Parser<T>
    {
        /**
         * @param key  the key's name, for the error message.
         * @param text the setting as written (not trimmed).
         * @return the value.
         * @throws IllegalArgumentException naming the key, the value and what is accepted.
         */
        T parse(String key, String text);
    }

    private final String name;
    private final String defaultText;
    private final String description;
    private final Parser<T> parser;

    private ConfigKey(final String name, final String defaultText, final String description, final Parser<T> parser)
    {
        if (!name.startsWith(ConfigResolver.PREFIX))
        {
            throw new IllegalArgumentException("configuration key " + name + " must start with " +
                ConfigResolver.PREFIX);
        }
        this.name = name;
        this.defaultText = Objects.requireNonNull(defaultText, "defaultText");
        this.description = Objects.requireNonNull(description, "description");
        this.parser = Objects.requireNonNull(parser, "parser");
    }

    /**
     * A key with its own parser.
     *
     * @param name        property name, {@code javelin.} first.
     * @param defaultText the default as a user would write it (parsed by {@code parser} when nothing is set).
     * @param description what it does, one line.
     * @param parser      checks and converts a value.
     * @param <T>         the value's type.
     * @return the key.
     */
    public static <T> ConfigKey<T> of(
        final String name, final String defaultText, final String description, final Parser<T> parser)
    {
        return new ConfigKey<>(name, defaultText, description, parser);
    }

    /**
     * @param name         property name.
     * @param defaultValue default text; may be empty ("not set", the reader decides what that means).
     * @param description  what it does.
     * @return a key whose value is the text as written.
     */
    public static ConfigKey<String> text(final String name, final String defaultValue, final String description)
    {
        return new ConfigKey<>(name, defaultValue, description, (key, text) -> text);
    }

    /**
     * @param name         property name.
     * @param defaultValue default, one of {@code allowed}.
     * @param description  what it does.
     * @param allowed      the accepted values (compared trimmed and in lower case).
     * @return a key whose value is one of {@code allowed}.
     */
    public static ConfigKey<String> choice(
        final String name, final String defaultValue, final String description, final String... allowed)
    {
        final List<String> choices = List.of(allowed);
        return new ConfigKey<>(name, defaultValue, description, (key, text) ->
        {
            final String value = text.trim().toLowerCase(Locale.ROOT);
            if (!choices.contains(value))
            {
                throw new IllegalArgumentException(key + "=" + value + " is not valid: choose one of " +
                    String.join(", ", choices));
            }
            return value;
        });
    }

    /**
     * @param name         property name; values in bytes with an optional k/m/g suffix (powers of 1024).
     * @param defaultBytes default in bytes.
     * @param min          smallest accepted value.
     * @param max          largest accepted value.
     * @param description  what it does.
     * @return a key whose value is a byte count in {@code [min, max]}.
     */
    public static ConfigKey<Long> bytes(
        final String name, final long defaultBytes, final long min, final long max, final String description)
    {
        return new ConfigKey<>(name, formatBytes(defaultBytes), description, (key, text) ->
        {
            final long value = Sizes.parseBytes(key, text);
            if (value < min || value > max)
            {
                throw new IllegalArgumentException(key + "=" + value + " is out of range: choose between " + min +
                    " and " + max + " bytes");
            }
            return value;
        });
    }

    /**
     * @param name         property name; values are whole numbers.
     * @param defaultValue default.
     * @param min          smallest accepted value.
     * @param max          largest accepted value.
     * @param description  what it does (say the unit, e.g. milliseconds).
     * @return a key whose value is a whole number in {@code [min, max]}.
     */
    public static ConfigKey<Long> number(
        final String name, final long defaultValue, final long min, final long max, final String description)
    {
        return new ConfigKey<>(name, Long.toString(defaultValue), description, (key, text) ->
        {
            final String trimmed = text.trim();
            try
            {
                final long value = Long.parseLong(trimmed);
                if (value >= min && value <= max)
                {
                    return value;
                }
            }
            catch (final NumberFormatException ignore)
            {
                // reported below
            }
            throw new IllegalArgumentException(key + "=" + trimmed + " is not valid: write a whole number between " +
                min + " and " + max);
        });
    }

    /**
     * @return the property name, e.g. {@code javelin.tcp.eager.limit}.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return the default as text, e.g. {@code 64k}; empty when the key is unset by default.
     */
    public String defaultText()
    {
        return defaultText;
    }

    /**
     * @return what the key does.
     */
    public String description()
    {
        return description;
    }

    /**
     * @return the environment variable that sets this key, e.g. {@code JAVELIN_TCP_EAGER_LIMIT}.
     */
    public String environmentVariable()
    {
        return ConfigResolver.environmentVariable(name);
    }

    /**
     * @param text a value as written.
     * @return the checked value.
     * @throws IllegalArgumentException naming the key, the value and what is accepted.
     */
    public T parse(final String text)
    {
        return parser.parse(name, text);
    }

    /**
     * @return the default, parsed.
     */
    public T defaultValue()
    {
        return parse(defaultText);
    }

    /**
     * @param settings resolved settings (key to text); a missing key takes the default.
     * @return the checked value.
     * @throws IllegalArgumentException naming the key, the value and what is accepted.
     */
    public T get(final Map<String, String> settings)
    {
        final String text = settings.get(name);
        return parse(null == text ? defaultText : text);
    }

    /**
     * @param bytes a byte count.
     * @return the shortest exact form with a k/m/g suffix, e.g. {@code 64k}, {@code 1g}, {@code 1408}.
     */
    public static String formatBytes(final long bytes)
    {
        if (bytes > 0)
        {
            if (0 == bytes % (1L << 30))
            {
                return (bytes >> 30) + "g";
            }
            if (0 == bytes % (1L << 20))
            {
                return (bytes >> 20) + "m";
            }
            if (0 == bytes % (1L << 10))
            {
                return (bytes >> 10) + "k";
            }
        }
        return Long.toString(bytes);
    }

    @Override
    public String toString()
    {
        return name + " (default " + (defaultText.isEmpty() ? "unset" : defaultText) + "): " + description;
    }
}
