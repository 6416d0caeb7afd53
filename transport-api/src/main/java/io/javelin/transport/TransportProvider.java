package io.javelin.transport;

import io.javelin.transport.config.ConfigKey;

import java.util.List;

/**
 * Finds and creates one kind of transport. Providers are discovered with {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/io.javelin.transport.TransportProvider} entry in the transport's jar).
 */
public interface TransportProvider
{
    /**
     * @return the transport's name, as used by {@code --transport}.
     */
    String name();

    /**
     * @return preference for {@code --transport auto}: higher wins among available transports.
     */
    int priority();

    /**
     * @return null when this transport can run on this machine, else why not and what would fix it
     *         (for {@code javelin info} and for the error when it was asked for by name).
     */
    String unavailableReason();

    /**
     * @return facts about this transport on this machine worth a line in {@code javelin info} (e.g. whether
     *         single-copy transfers work here and why not), or null; never throws.
     */
    default String details()
    {
        return null;
    }

    /**
     * @return every configuration key this transport reads, declared once in its configuration class, so that
     *         {@code javelin info} can list them with their effective values and sources.
     */
    default List<ConfigKey<?>> configKeys()
    {
        return List.of();
    }

    /**
     * Creates the transport for one rank.
     *
     * @param context who the rank is and where events go.
     * @return a transport ready for {@link Transport#connect}.
     * @throws TransportException when set-up fails; the message names the fix.
     */
    Transport create(TransportContext context);
}
