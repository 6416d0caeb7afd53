package io.javelin.transport.rdma;

import io.javelin.transport.Transport;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportProvider;
import io.javelin.transport.config.ConfigKey;
import io.javelin.transport.rdma.verbs.MemoryLockLimit;
import io.javelin.transport.rdma.verbs.RdmaDevices;

import java.util.List;
import java.util.StringJoiner;

/**
 * Finds the RDMA transport through {@link java.util.ServiceLoader}. Available when libibverbs and librdmacm
 * load, a device has an active port, and the locked-memory limit allows the transport's buffers; otherwise
 * {@link #unavailableReason()} says which and how to fix it, and {@code --transport auto} moves on.
 */
public final class RdmaTransportProvider implements TransportProvider
{
    /** The transport's name, as used by {@code --transport}. */
    public static final String NAME = "rdma";
    /** Preference for {@code --transport auto}: above Aeron and TCP. */
    public static final int PRIORITY = 30;
    /** Locked memory a small job needs (default send buffers plus one peer's receive buffers). */
    private static final long MINIMUM_LOCKED_BYTES = RdmaConfiguration.BUFFER_DEFAULT_BYTES *
        (RdmaConfiguration.SEND_BUFFERS_DEFAULT + RdmaConfiguration.RECEIVE_DEPTH_DEFAULT);

    private static volatile String cachedReason;
    private static volatile boolean checked;

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

    /**
     * Checks once per JVM (device discovery opens every device).
     */
    @Override
    public String unavailableReason()
    {
        if (!checked)
        {
            String reason = RdmaDevices.unavailableReason();
            if (null == reason)
            {
                final String memlock = MemoryLockLimit.check(MINIMUM_LOCKED_BYTES);
                reason = null == memlock ? null : "the locked-memory limit is too low for RDMA: " + memlock;
            }
            cachedReason = reason;
            checked = true;
        }
        return cachedReason;
    }

    /**
     * @return the active ports in one line (device, port, link layer, MTU, the address used), or null when
     *         there is no device (the reason says so); never throws.
     */
    @Override
    public String details()
    {
        try
        {
            final StringJoiner ports = new StringJoiner("; ", "active ports: ", " (devices, ports and GIDs below)");
            ports.setEmptyValue("");
            for (final RdmaDevices.Device device : RdmaDevices.list())
            {
                for (final RdmaDevices.Port port : device.ports())
                {
                    if (port.isActive())
                    {
                        final RdmaDevices.Gid gid = port.preferredGid();
                        ports.add(device.name() + " port " + port.number() + " " +
                            RdmaDeviceReport.linkLayer(port.linkLayer()) + " MTU " + port.activeMtuBytes() +
                            (null == gid ? "" : " " + gid.typeName() + " " + gid.ipAddress().getHostAddress()));
                    }
                }
            }
            final String text = ports.toString();
            return text.isEmpty() ? null : text;
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return null;
        }
    }

    @Override
    public List<ConfigKey<?>> configKeys()
    {
        return RdmaConfiguration.KEYS;
    }

    @Override
    public Transport create(final TransportContext context)
    {
        return new RdmaTransport(context);
    }
}
