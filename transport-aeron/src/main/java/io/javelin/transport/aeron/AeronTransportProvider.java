package io.javelin.transport.aeron;

import io.javelin.transport.Transport;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportProvider;
import io.javelin.transport.cma.CrossMemoryAttach;
import io.javelin.transport.config.ConfigKey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the Aeron transport through {@link java.util.ServiceLoader}: UDP between hosts, IPC and single-copy
 * transfers within a host, the media driver embedded in each rank without threads of its own.
 */
public final class AeronTransportProvider implements TransportProvider
{
    /** The transport's name, as used by {@code --transport}. */
    public static final String NAME = "aeron";
    /** Preference for {@code --transport auto}: above TCP, below RDMA. */
    public static final int PRIORITY = 15;

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
        try
        {
            Class.forName("io.aeron.driver.MediaDriver", false, AeronTransportProvider.class.getClassLoader());
        }
        catch (final ClassNotFoundException | LinkageError ex)
        {
            return "the Aeron driver is not on the class path (" + ex + "): use a complete Javelin build";
        }
        final Path base = AeronConfiguration.defaultDirectoryBase();
        if (!Files.isDirectory(base) || !Files.isWritable(base))
        {
            return "no writable folder for the media driver (" + base + "): set " + AeronConfiguration.DIR_PROP_NAME;
        }
        return null;
    }

    /**
     * @return whether single-copy transfers between ranks of one host work here, and where drivers live.
     */
    @Override
    public String details()
    {
        final CrossMemoryAttach.Availability availability = CrossMemoryAttach.availability();
        final CrossMemoryAttach.Availability peers = CrossMemoryAttach.peerAccess();
        final String singleCopy;
        if (!availability.available())
        {
            singleCopy = "unavailable (" + availability.reason() + ")";
        }
        else if (!peers.available())
        {
            singleCopy = "unavailable between ranks (" + peers.reason() + ")";
        }
        else
        {
            singleCopy = "available (" + availability.reason() + "; " + peers.reason() + ")";
        }
        return "single copy within a host (cross-memory attach, -D" + AeronConfiguration.CMA_PROP_NAME + "): " +
            singleCopy + "; driver directories under " + AeronConfiguration.defaultDirectoryBase() + " (-D" +
            AeronConfiguration.DIR_PROP_NAME + ")";
    }

    @Override
    public List<ConfigKey<?>> configKeys()
    {
        return AeronConfiguration.KEYS;
    }

    @Override
    public Transport create(final TransportContext context)
    {
        return new AeronTransport(context);
    }
}
