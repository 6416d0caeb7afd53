package io.javelin.transport.tcp;

import io.javelin.transport.Transport;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportProvider;
import io.javelin.transport.config.ConfigKey;

import java.util.List;

/**
 * Finds the TCP transport through {@link java.util.ServiceLoader}. Always available; chosen by
 * {@code --transport auto} only when no faster transport is.
 */
public final class TcpTransportProvider implements TransportProvider
{
    /** The transport's name, as used by {@code --transport}. */
    public static final String NAME = "tcp";
    /** Preference for {@code --transport auto}: below RDMA and Aeron. */
    public static final int PRIORITY = 10;

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
     * @return where the transport listens by default and how to reach other hosts.
     */
    @Override
    public String details()
    {
        return "listens on " + TcpConfiguration.BIND_DEFAULT + " unless " + TcpConfiguration.BIND_PROP_NAME +
            " names another address (set it to this host's address for ranks on several hosts)";
    }

    @Override
    public List<ConfigKey<?>> configKeys()
    {
        return TcpConfiguration.KEYS;
    }

    @Override
    public Transport create(final TransportContext context)
    {
        return new TcpTransport(context);
    }
}
