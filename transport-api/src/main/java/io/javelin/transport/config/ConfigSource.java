package io.javelin.transport.config;

/**
 * Where an effective setting came from, lowest precedence first: a later source overrides an earlier one.
 */
public enum ConfigSource
{
    /** The key's declared default. */
    DEFAULT("default"),
    /** An environment variable {@code JAVELIN_FOO_BAR} for key {@code javelin.foo.bar}. */
    ENVIRONMENT("environment"),
    /** A system property {@code -Djavelin.foo.bar=...}. */
    SYSTEM_PROPERTY("system property"),
    /** A program argument {@code --javelin.foo.bar=...} (to {@code Javelin.init} or {@code javelin info}). */
    ARGUMENT("argument");

    private final String label;

    ConfigSource(final String label)
    {
        this.label = label;
    }

    /**
     * @return how {@code javelin info} names the source, e.g. {@code "system property"}.
     */
    public String label()
    {
        return label;
    }
}
