package io.javelin.transport;

import java.util.Map;
import java.util.Objects;

/**
 * What a transport is given at creation: who this rank is, the job secret every connection handshake
 * checks, where to deliver events, and configuration.
 *
 * @param rank       this rank.
 * @param jobSize    ranks in the job.
 * @param jobSecret  random secret shared by the ranks of one job; a handshake with another secret is refused.
 * @param listener   receives messages, completions and failures.
 * @param properties configuration ({@code javelin.*} keys), already merged from defaults, system
 *                   properties and environment.
 */
public record TransportContext(
    int rank,
    int jobSize,
    long jobSecret,
    TransportListener listener,
    Map<String, String> properties)
{
    /**
     * Checks the values.
     */
    public TransportContext
    {
        if (jobSize <= 0 || rank < 0 || rank >= jobSize)
        {
            throw new IllegalArgumentException("rank " + rank + " outside job of size " + jobSize);
        }
        Objects.requireNonNull(listener, "listener");
        properties = Map.copyOf(properties);
    }

    /**
     * @param key          property name.
     * @param defaultValue value when absent.
     * @return the property value.
     */
    public String property(final String key, final String defaultValue)
    {
        return properties.getOrDefault(key, defaultValue);
    }

    /**
     * @param key          property name; value in bytes with an optional k/m/g suffix (powers of 1024).
     * @param defaultValue value when absent.
     * @return the value in bytes.
     */
    public long sizeProperty(final String key, final long defaultValue)
    {
        final String value = properties.get(key);
        return null == value ? defaultValue : Sizes.parseBytes(key, value);
    }
}
