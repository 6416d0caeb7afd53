package io.javelin.transport.rdma;

import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportException;
import io.javelin.transport.config.ConfigKey;
import io.javelin.transport.rdma.verbs.RdmaDevices;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/**
 * Settings of the RDMA transport: property names with defaults and units, and the values one transport uses,
 * read and checked once from its {@link TransportContext}.
 */
public final class RdmaConfiguration
{
    /**
     * IP address of the RDMA interface to listen on; a comma-separated list gives rank {@code r} entry
     * {@code r % n} (several ranks of one host on several devices). Default: the RoCE v2 address of the first
     * active port ({@link #DEVICE_PROP_NAME}).
     */
    public static final String ADDRESS_PROP_NAME = "javelin.rdma.address";
    /** Device whose first active port gives the default address, e.g. {@code rxe0}, {@code mlx5_0}. */
    public static final String DEVICE_PROP_NAME = "javelin.rdma.device";

    /** Payload bytes up to which the eager protocol is preferred. */
    public static final String EAGER_LIMIT_PROP_NAME = "javelin.rdma.eager.limit";
    /** Default eager limit in bytes. */
    public static final long EAGER_LIMIT_DEFAULT_BYTES = 8 * 1024;

    /** Bytes of each eager buffer (send and receive): the largest two-sided message, header included. */
    public static final String BUFFER_PROP_NAME = "javelin.rdma.buffer";
    /** Default buffer size in bytes. */
    public static final long BUFFER_DEFAULT_BYTES = 16 * 1024;

    /** Receive buffers posted per peer: the credits a sender has before it must hear back. */
    public static final String RECEIVE_DEPTH_PROP_NAME = "javelin.rdma.receive.depth";
    /** Default receive buffers per peer. */
    public static final int RECEIVE_DEPTH_DEFAULT = 64;

    /** Registered send buffers shared by all peers (sends longer than the inline limit each hold one). */
    public static final String SEND_BUFFERS_PROP_NAME = "javelin.rdma.send.buffers";
    /** Default number of send buffers. */
    public static final int SEND_BUFFERS_DEFAULT = 256;

    /** Work requests outstanding per queue pair (sends, writes, reads, credit updates). */
    public static final String SEND_DEPTH_PROP_NAME = "javelin.rdma.send.depth";
    /** Default send queue depth. */
    public static final int SEND_DEPTH_DEFAULT = 256;

    /** Messages up to this many bytes are sent inline (copied into the work request at post). */
    public static final String INLINE_LIMIT_PROP_NAME = "javelin.rdma.inline.limit";
    /** Default inline limit in bytes (the provider may grant less). */
    public static final long INLINE_LIMIT_DEFAULT_BYTES = 220;

    /** How long address and route resolution, connecting and the handshake to a peer may take. */
    public static final String CONNECT_TIMEOUT_PROP_NAME = "javelin.rdma.connect.timeout.ms";
    /** Default connect timeout in milliseconds. */
    public static final long CONNECT_TIMEOUT_DEFAULT_MS = 30_000;

    /** Posts that may wait (all peers) for a connection, credits or queue room before BACK_PRESSURED. */
    public static final String MAX_PENDING_PROP_NAME = "javelin.rdma.max.pending.operations";
    /** Default limit of waiting posts. */
    public static final int MAX_PENDING_DEFAULT = 65_536;

    /** How long close() waits for work already posted to live peers to complete before tearing down. */
    public static final String DRAIN_PROP_NAME = "javelin.rdma.close.drain.ms";
    /** Default drain time in milliseconds. */
    public static final long DRAIN_DEFAULT_MS = 2_000;

    /** Largest header of a two-sided send. */
    public static final int MAX_HEADER_BYTES = 256;
    /** Receiver-not-ready retries: credits make RNR impossible, so a few; 7 would mean retry forever. */
    public static final int RNR_RETRY = 3;
    /** Progress calls between two polls of the CM event channel once every connection is settled. */
    public static final int CM_POLL_INTERVAL = 64;

    /** Prints every RDMA CM event to stderr; read once per JVM from the system property only. */
    public static final String TRACE_PROP_NAME = "javelin.rdma.trace";

    /** {@link #ADDRESS_PROP_NAME} declared. */
    public static final ConfigKey<String> ADDRESS = ConfigKey.text(ADDRESS_PROP_NAME, "",
        "IP of the RDMA interface to listen on, or a comma-separated list (rank r takes entry r % n); unset: " +
        "the RoCE v2 address of the first active port");
    /** {@link #DEVICE_PROP_NAME} declared. */
    public static final ConfigKey<String> DEVICE = ConfigKey.text(DEVICE_PROP_NAME, "",
        "device whose first active port gives the default address, e.g. rxe0, mlx5_0 (unset: any)");
    /** {@link #EAGER_LIMIT_PROP_NAME} declared; at most the buffer size less the header. */
    public static final ConfigKey<Long> EAGER_LIMIT = ConfigKey.bytes(EAGER_LIMIT_PROP_NAME,
        EAGER_LIMIT_DEFAULT_BYTES, 0, 1 << 24, "RDMA eager limit, bytes (at most javelin.rdma.buffer - 256)");
    /** {@link #BUFFER_PROP_NAME} declared. */
    public static final ConfigKey<Long> BUFFER = ConfigKey.bytes(BUFFER_PROP_NAME, BUFFER_DEFAULT_BYTES, 1024,
        1 << 24, "bytes of each registered eager buffer: the largest two-sided message, header included");
    /** {@link #RECEIVE_DEPTH_PROP_NAME} declared. */
    public static final ConfigKey<Long> RECEIVE_DEPTH = ConfigKey.number(RECEIVE_DEPTH_PROP_NAME,
        RECEIVE_DEPTH_DEFAULT, 2, 16384, "receive buffers posted per peer (a sender's credits)");
    /** {@link #SEND_BUFFERS_PROP_NAME} declared. */
    public static final ConfigKey<Long> SEND_BUFFERS = ConfigKey.number(SEND_BUFFERS_PROP_NAME,
        SEND_BUFFERS_DEFAULT, 1, 1 << 20, "registered send buffers shared by all peers");
    /** {@link #SEND_DEPTH_PROP_NAME} declared. */
    public static final ConfigKey<Long> SEND_DEPTH = ConfigKey.number(SEND_DEPTH_PROP_NAME, SEND_DEPTH_DEFAULT, 4,
        32768, "work requests outstanding per queue pair");
    /** {@link #INLINE_LIMIT_PROP_NAME} declared. */
    public static final ConfigKey<Long> INLINE_LIMIT = ConfigKey.bytes(INLINE_LIMIT_PROP_NAME,
        INLINE_LIMIT_DEFAULT_BYTES, 0, 4096, "messages up to this size are sent inline (the provider may grant less)");
    /** {@link #CONNECT_TIMEOUT_PROP_NAME} declared. */
    public static final ConfigKey<Long> CONNECT_TIMEOUT = ConfigKey.number(CONNECT_TIMEOUT_PROP_NAME,
        CONNECT_TIMEOUT_DEFAULT_MS, 1, 3_600_000, "address and route resolution, connect and handshake limit, ms");
    /** {@link #MAX_PENDING_PROP_NAME} declared. */
    public static final ConfigKey<Long> MAX_PENDING = ConfigKey.number(MAX_PENDING_PROP_NAME, MAX_PENDING_DEFAULT, 1,
        1 << 24, "posts that may wait for a connection, credits or queue room before back-pressure");
    /** {@link #DRAIN_PROP_NAME} declared. */
    public static final ConfigKey<Long> DRAIN = ConfigKey.number(DRAIN_PROP_NAME, DRAIN_DEFAULT_MS, 0, 600_000,
        "how long close() waits for posted work to complete, milliseconds");
    /** {@link #TRACE_PROP_NAME} declared. */
    public static final ConfigKey<String> TRACE = ConfigKey.choice(TRACE_PROP_NAME, "false",
        "print every RDMA CM event to stderr (system property only)", "true", "false");
    /** Every key of the RDMA transport, for {@code javelin info}. */
    public static final List<ConfigKey<?>> KEYS = List.of(ADDRESS, DEVICE, EAGER_LIMIT, BUFFER, RECEIVE_DEPTH,
        SEND_BUFFERS, SEND_DEPTH, INLINE_LIMIT, CONNECT_TIMEOUT, MAX_PENDING, DRAIN, TRACE);

    final InetAddress address;
    final long eagerLimitBytes;
    final int bufferBytes;
    final int receiveDepth;
    final int sendBuffers;
    final int sendDepth;
    final int inlineLimitBytes;
    final long connectTimeoutMs;
    final long drainMs;
    final int maxPendingOperations;

    private RdmaConfiguration(final TransportContext context)
    {
        final Map<String, String> settings = context.properties();
        address = chooseAddress(context);
        bufferBytes = BUFFER.get(settings).intValue();
        eagerLimitBytes = EAGER_LIMIT.get(settings);
        if (eagerLimitBytes > bufferBytes - MAX_HEADER_BYTES)
        {
            throw new IllegalArgumentException(EAGER_LIMIT_PROP_NAME + "=" + eagerLimitBytes + " is out of range: " +
                "choose between 0 and " + (bufferBytes - MAX_HEADER_BYTES) + " bytes (" + BUFFER_PROP_NAME +
                " less the header), or raise " + BUFFER_PROP_NAME);
        }
        receiveDepth = RECEIVE_DEPTH.get(settings).intValue();
        sendBuffers = SEND_BUFFERS.get(settings).intValue();
        sendDepth = SEND_DEPTH.get(settings).intValue();
        inlineLimitBytes = INLINE_LIMIT.get(settings).intValue();
        connectTimeoutMs = CONNECT_TIMEOUT.get(settings);
        drainMs = DRAIN.get(settings);
        maxPendingOperations = MAX_PENDING.get(settings).intValue();
    }

    /**
     * Reads and checks the settings.
     *
     * @param context the transport's context.
     * @return the settings.
     * @throws TransportException naming the bad setting and the accepted values.
     */
    public static RdmaConfiguration from(final TransportContext context)
    {
        try
        {
            return new RdmaConfiguration(context);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new TransportException(ex.getMessage(), ex);
        }
    }

    /**
     * @return bytes this transport registers up front for a job of {@code jobSize} ranks (send buffers, the
     *         receive buffers of every peer once connected, credit words), for the memlock check.
     */
    long registeredBytes(final int jobSize)
    {
        return (long)bufferBytes * (sendBuffers + (long)receiveDepth * Math.max(0, jobSize - 1)) + 16L * jobSize;
    }

    private static InetAddress chooseAddress(final TransportContext context)
    {
        final String configured = ADDRESS.get(context.properties()).trim();
        if (!configured.isEmpty())
        {
            final String[] addresses = configured.split(",");
            final String mine = addresses[context.rank() % addresses.length].trim();
            try
            {
                return InetAddress.getByName(mine);
            }
            catch (final UnknownHostException ex)
            {
                throw new TransportException(ADDRESS_PROP_NAME + "=" + configured + ": " + mine + " is not an " +
                    "address; give the IP of an RDMA interface (rdma link; ip addr)", ex);
            }
        }
        final String deviceName = DEVICE.get(context.properties()).trim();
        final List<RdmaDevices.Device> devices = RdmaDevices.list();
        for (final RdmaDevices.Device device : devices)
        {
            if (!deviceName.isEmpty() && !deviceName.equals(device.name()))
            {
                continue;
            }
            for (final RdmaDevices.Port port : device.ports())
            {
                final RdmaDevices.Gid gid = port.isActive() ? port.preferredGid() : null;
                if (null != gid && RdmaDevices.LINK_LAYER_ETHERNET == port.linkLayer())
                {
                    return gid.ipAddress();
                }
            }
        }
        throw new TransportException((deviceName.isEmpty() ? "no RDMA device" : "device " + deviceName) +
            " has an active RoCE port with an IP address (devices: " +
            devices.stream().map(RdmaDevices.Device::name).toList() + "): set " + ADDRESS_PROP_NAME +
            " to the IP of the RDMA interface (InfiniBand: its IPoIB address) or use --transport tcp");
    }
}
