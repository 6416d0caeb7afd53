package io.javelin.transport.local;

import io.javelin.transport.Transport;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportProvider;
import io.javelin.transport.config.ConfigKey;

import java.util.List;

/**
 * Provides the {@link LocalTransport}: always available, lowest preference, since it only reaches ranks
 * in the same JVM.
 */
public final class LocalTransportProvider implements TransportProvider
{
    /** The transport's name, as used by {@code --transport}. */
    public static final String NAME = "local";
    /** Preference for {@code --transport auto}: below every network transport. */
    public static final int PRIORITY = 0;

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int priority()
    {
        return PRIORITY;
    }

    @Override
    public String unavailableReason()
    {
        return null;
    }

    /**
     * @return where the local transport applies: ranks that are threads of one JVM only.
     */
    @Override
    public String details()
    {
        return "ranks that are threads of one JVM (Javelin.runLocal); ranks in separate processes " +
            "(javelin run) need a network transport";
    }

    @Override
    public List<ConfigKey<?>> configKeys()
    {
        return LocalTransportConfiguration.KEYS;
    }

    @Override
    public Transport create(final TransportContext context)
    {
        return new LocalTransport(context);
    }
}
