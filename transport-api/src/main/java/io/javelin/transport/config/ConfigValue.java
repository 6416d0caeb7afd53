package io.javelin.transport.config;

/**
 * One effective setting: its value and where the value came from.
 *
 * @param key         the property name, e.g. {@code javelin.tcp.eager.limit}.
 * @param value       the effective value as text (the default's text when nobody set it).
 * @param source      where the value came from.
 * @param description what the key does; empty for a {@code javelin.*} key no module declares.
 * @param known       whether a module declares the key (an unknown key is often a typo).
 */
public record ConfigValue(String key, String value, ConfigSource source, String description, boolean known)
{
}
