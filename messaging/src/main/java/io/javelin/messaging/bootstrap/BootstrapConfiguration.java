package io.javelin.messaging.bootstrap;

import io.javelin.transport.config.ConfigKey;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Configuration of the bootstrap exchange (system property names, defaults, units) and the wording its
 * time-out messages share, so that every implementation reports a missing rank the same way.
 */
public final class BootstrapConfiguration
{
    /** Time limit of every bootstrap wait (connect, hello, fence), in seconds. */
    public static final String TIMEOUT_PROP_NAME = "javelin.bootstrap.timeout";
    /** Default of {@link #TIMEOUT_PROP_NAME}: generous, because JVMs start slowly on a loaded node. */
    public static final long TIMEOUT_DEFAULT_S = 120;
    /** {@link #TIMEOUT_PROP_NAME} declared; the value is in milliseconds (the setting in seconds). */
    public static final ConfigKey<Long> TIMEOUT = ConfigKey.of(TIMEOUT_PROP_NAME, Long.toString(TIMEOUT_DEFAULT_S),
        "time limit of every bootstrap wait (connect, hello, fence), seconds (fractions allowed)",
        BootstrapConfiguration::parseTimeoutMs);
    /** Every bootstrap key, for {@code javelin info}. */
    public static final List<ConfigKey<?>> KEYS = List.of(TIMEOUT);

    private BootstrapConfiguration()
    {
    }

    /**
     * @return the time limit of every bootstrap wait in milliseconds, from the system property
     *         {@link #TIMEOUT_PROP_NAME}, else the environment variable {@code JAVELIN_BOOTSTRAP_TIMEOUT}.
     * @throws BootstrapException when the setting is not a positive number of seconds.
     */
    public static long timeoutMs()
    {
        final String property = System.getProperty(TIMEOUT_PROP_NAME);
        final String value = null != property ? property : System.getenv(TIMEOUT.environmentVariable());
        try
        {
            return null == value ? TIMEOUT.defaultValue() : TIMEOUT.parse(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BootstrapException(ex.getMessage());
        }
    }

    private static long parseTimeoutMs(final String key, final String value)
    {
        if (value.isBlank())
        {
            return TIMEOUT_DEFAULT_S * 1000;
        }
        try
        {
            final double seconds = Double.parseDouble(value.trim());
            if (seconds > 0 && seconds < Long.MAX_VALUE / 1000.0)
            {
                return Math.max(1, Math.round(seconds * 1000));
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below
        }
        throw new IllegalArgumentException(key + "='" + value + "' is not a positive number of seconds: " +
            "set for example -D" + key + "=300");
    }

    /**
     * Describes who has not arrived, e.g. {@code "fence: ranks 2, 3 have not arrived after 120 s"}.
     *
     * @param what     what was awaited ("fence").
     * @param missing  ranks that did not arrive, not empty.
     * @param waitedMs how long the caller waited.
     * @return the message.
     */
    public static String notArrivedMessage(final String what, final Collection<Integer> missing, final long waitedMs)
    {
        final String verb = missing.size() == 1 ? " has" : " have";
        return what + ": " + describeRanks(missing) + verb + " not arrived after " + formatSeconds(waitedMs);
    }

    /**
     * @param ranks ranks in ascending order.
     * @return {@code "rank 2"}, {@code "ranks 2, 3"} or, for long runs, {@code "ranks 0-99, 120"}.
     */
    public static String describeRanks(final Collection<Integer> ranks)
    {
        final List<Integer> sorted = new ArrayList<>(ranks);
        sorted.sort(null);
        final StringBuilder text = new StringBuilder(sorted.size() == 1 ? "rank " : "ranks ");
        int i = 0;
        while (i < sorted.size())
        {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1)
            {
                j++;
            }
            if (i > 0)
            {
                text.append(", ");
            }
            text.append(sorted.get(i));
            if (j - i >= 2)
            {
                text.append('-').append(sorted.get(j));
                i = j + 1;
            }
            else
            {
                i++;
            }
        }
        return text.toString();
    }

    /**
     * @param millis a duration.
     * @return e.g. {@code "120 s"} or {@code "0.5 s"}.
     */
    public static String formatSeconds(final long millis)
    {
        if (millis % 1000 == 0)
        {
            return (millis / 1000) + " s";
        }
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
