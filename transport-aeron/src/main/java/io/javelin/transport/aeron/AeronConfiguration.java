package io.javelin.transport.aeron;

import io.javelin.transport.Sizes;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportException;
import io.javelin.transport.config.ConfigKey;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Settings of the Aeron transport: property names with their defaults and units, and the values one
 * transport uses, read and checked once from its {@link TransportContext}.
 *
 * <p>Why the media driver runs as it does: Aeron's default driver runs conductor, sender and receiver on
 * busy-spinning threads. On a 2-core node with two ranks that is three extra spinning threads per rank, and
 * the ranks starve. Javelin embeds the driver in each rank with {@code ThreadingMode.INVOKER}: the driver's
 * agents run only inside {@code Transport.progress()}, on the rank's progress thread, so the transport adds
 * no thread at all. The price: while a rank makes no progress its driver does not heartbeat, so every Aeron
 * liveness timeout is raised to {@link #LIVENESS_TIMEOUT_PROP_NAME} (a rank may compute that long between
 * calls); crashed peers on this host are noticed sooner by their process id.
 */
public final class AeronConfiguration
{
    /** Medium to a peer: auto (IPC on the same host, UDP to other hosts), udp, ipc. */
    public static final String MEDIA_PROP_NAME = "javelin.aeron.media";
    /** Default medium choice. */
    public static final String MEDIA_DEFAULT = "auto";

    /** UDP endpoint this rank receives on: {@code host} or {@code host:port}; port 0 picks a free one. */
    public static final String BIND_PROP_NAME = "javelin.aeron.bind";
    /** Default UDP endpoint: loopback, ephemeral port. */
    public static final String BIND_DEFAULT = "127.0.0.1";

    /** Folder under which each rank's driver directory is made; empty: /dev/shm when writable, else tmpdir. */
    public static final String DIR_PROP_NAME = "javelin.aeron.dir";

    /** Term length of every publication (a power of two); the largest message is an eighth of it. */
    public static final String TERM_LENGTH_PROP_NAME = "javelin.aeron.term.length";
    /** Default term length in bytes: 3 terms (12 MiB) of shared memory per peer and direction. */
    public static final long TERM_LENGTH_DEFAULT_BYTES = 4L << 20;

    /** MTU of UDP publications: frames on the wire are at most this long. */
    public static final String MTU_PROP_NAME = "javelin.aeron.mtu";
    /** Default UDP MTU in bytes (Aeron's: fits a 1500-byte Ethernet frame). */
    public static final long MTU_DEFAULT_BYTES = 1408;

    /** Frame length of IPC publications: longer frames mean fewer fragments. */
    public static final String IPC_MTU_PROP_NAME = "javelin.aeron.ipc.mtu";
    /** Default IPC frame length in bytes (Aeron's largest). */
    public static final long IPC_MTU_DEFAULT_BYTES = 65504;

    /** Payload bytes up to which the eager protocol is preferred. */
    public static final String EAGER_LIMIT_PROP_NAME = "javelin.aeron.eager.limit";
    /** Default eager limit in bytes. */
    public static final long EAGER_LIMIT_DEFAULT_BYTES = 32 * 1024;

    /** Single-copy one-sided transfers to ranks on this host by cross-memory attach: auto, off. */
    public static final String CMA_PROP_NAME = "javelin.aeron.cma";
    /** Default: use cross-memory attach when the kernel allows it. */
    public static final String CMA_DEFAULT = "auto";

    /** How long publication set-up plus the handshake with a peer may take. */
    public static final String CONNECT_TIMEOUT_PROP_NAME = "javelin.aeron.connect.timeout.ms";
    /** Default connect timeout in milliseconds. */
    public static final long CONNECT_TIMEOUT_DEFAULT_MS = 30_000;

    /** How long a rank may make no progress before its peers' drivers give up on it. */
    public static final String LIVENESS_TIMEOUT_PROP_NAME = "javelin.aeron.liveness.timeout.ms";
    /** Default liveness timeout in milliseconds (5 minutes). */
    public static final long LIVENESS_TIMEOUT_DEFAULT_MS = 300_000;

    /** Operations in flight (all peers) above which posts return BACK_PRESSURED. */
    public static final String MAX_PENDING_OPERATIONS_PROP_NAME = "javelin.aeron.max.pending.operations";
    /** Default limit of operations in flight. */
    public static final int MAX_PENDING_OPERATIONS_DEFAULT = 65_536;

    /** Largest header of a two-sided send. */
    public static final int MAX_HEADER_BYTES = 256;
    /** Stream id of every Javelin publication and subscription. */
    public static final int STREAM_ID = 0x4A56;
    /** Longest time in milliseconds that still converts to nanoseconds. */
    private static final long MAX_MS = Long.MAX_VALUE / 1_000_000;

    /** {@link #MEDIA_PROP_NAME} declared. */
    public static final ConfigKey<String> MEDIA = ConfigKey.choice(MEDIA_PROP_NAME, MEDIA_DEFAULT,
        "medium to a peer, the same on every rank: auto (IPC on this host, UDP to others), udp, ipc",
        "auto", "udp", "ipc");
    /** {@link #BIND_PROP_NAME} declared. */
    public static final ConfigKey<InetSocketAddress> BIND = ConfigKey.of(BIND_PROP_NAME, BIND_DEFAULT,
        "UDP endpoint the Aeron transport receives on: host or host:port (IPv4; port 0: any free port)",
        (key, text) -> parseBindAddress(text));
    /** {@link #DIR_PROP_NAME} declared. */
    public static final ConfigKey<String> DIR = ConfigKey.text(DIR_PROP_NAME, "",
        "folder of the per-rank media driver directories (unset: /dev/shm when writable, else java.io.tmpdir)");
    /** {@link #TERM_LENGTH_PROP_NAME} declared. */
    public static final ConfigKey<Long> TERM_LENGTH = ConfigKey.of(TERM_LENGTH_PROP_NAME,
        ConfigKey.formatBytes(TERM_LENGTH_DEFAULT_BYTES),
        "term length of every publication, a power of two (largest message: an eighth of it)",
        AeronConfiguration::parseTermLength);
    /** {@link #MTU_PROP_NAME} declared. */
    public static final ConfigKey<Long> MTU = ConfigKey.of(MTU_PROP_NAME, Long.toString(MTU_DEFAULT_BYTES),
        "frame length of UDP publications, bytes", AeronConfiguration::parseMtu);
    /** {@link #IPC_MTU_PROP_NAME} declared. */
    public static final ConfigKey<Long> IPC_MTU = ConfigKey.of(IPC_MTU_PROP_NAME,
        Long.toString(IPC_MTU_DEFAULT_BYTES), "frame length of IPC publications, bytes", AeronConfiguration::parseMtu);
    /** {@link #EAGER_LIMIT_PROP_NAME} declared. */
    public static final ConfigKey<Long> EAGER_LIMIT = ConfigKey.bytes(EAGER_LIMIT_PROP_NAME,
        EAGER_LIMIT_DEFAULT_BYTES, 0, Long.MAX_VALUE, "Aeron eager limit, bytes (at most an eighth of the term)");
    /** {@link #CMA_PROP_NAME} declared. */
    public static final ConfigKey<String> CMA = ConfigKey.choice(CMA_PROP_NAME, CMA_DEFAULT,
        "single-copy one-sided transfers within a host by cross-memory attach: auto, off", "auto", "off");
    /** {@link #CONNECT_TIMEOUT_PROP_NAME} declared. */
    public static final ConfigKey<Long> CONNECT_TIMEOUT = ConfigKey.number(CONNECT_TIMEOUT_PROP_NAME,
        CONNECT_TIMEOUT_DEFAULT_MS, 1, MAX_MS, "publication set-up plus handshake limit per peer, milliseconds");
    /** {@link #LIVENESS_TIMEOUT_PROP_NAME} declared. */
    public static final ConfigKey<Long> LIVENESS_TIMEOUT = ConfigKey.number(LIVENESS_TIMEOUT_PROP_NAME,
        LIVENESS_TIMEOUT_DEFAULT_MS, 2_000, MAX_MS,
        "how long a rank may make no progress before peers' drivers give up on it, milliseconds (>= 2000)");
    /** {@link #MAX_PENDING_OPERATIONS_PROP_NAME} declared. */
    public static final ConfigKey<Long> MAX_PENDING_OPERATIONS = ConfigKey.number(MAX_PENDING_OPERATIONS_PROP_NAME,
        MAX_PENDING_OPERATIONS_DEFAULT, 1, Integer.MAX_VALUE,
        "operations in flight (all peers) above which posts are back-pressured");
    /** Every key of the Aeron transport, for {@code javelin info}. */
    public static final List<ConfigKey<?>> KEYS = List.of(MEDIA, BIND, DIR, TERM_LENGTH, MTU, IPC_MTU, EAGER_LIMIT,
        CMA, CONNECT_TIMEOUT, LIVENESS_TIMEOUT, MAX_PENDING_OPERATIONS);


    final String media;
    final InetSocketAddress bindAddress;
    final Path directoryBase;
    final int termLength;
    final int mtu;
    final int ipcMtu;
    final long eagerLimitBytes;
    final boolean cmaEnabled;
    final long connectTimeoutNs;
    final long livenessTimeoutNs;
    final int maxPendingOperations;

    private AeronConfiguration(final TransportContext context)
    {
        final Map<String, String> settings = context.properties();
        media = MEDIA.get(settings);
        bindAddress = BIND.get(settings);
        final String dir = DIR.get(settings).trim();
        directoryBase = dir.isEmpty() ? defaultDirectoryBase() : Path.of(dir);
        termLength = TERM_LENGTH.get(settings).intValue();
        mtu = MTU.get(settings).intValue();
        ipcMtu = IPC_MTU.get(settings).intValue();
        eagerLimitBytes = EAGER_LIMIT.get(settings);
        if (eagerLimitBytes > maxMessageBytes() - MAX_HEADER_BYTES)
        {
            throw new TransportException(EAGER_LIMIT_PROP_NAME + "=" + eagerLimitBytes + " exceeds the largest " +
                "message payload " + (maxMessageBytes() - MAX_HEADER_BYTES) + " (an eighth of " +
                TERM_LENGTH_PROP_NAME + "): choose a smaller limit or a longer term");
        }
        cmaEnabled = "auto".equals(CMA.get(settings));
        connectTimeoutNs = 1_000_000L * CONNECT_TIMEOUT.get(settings);
        livenessTimeoutNs = 1_000_000L * LIVENESS_TIMEOUT.get(settings);
        maxPendingOperations = MAX_PENDING_OPERATIONS.get(settings).intValue();
    }

    /**
     * Reads and checks the settings.
     *
     * @param context the transport's context.
     * @return the settings.
     * @throws TransportException naming the bad setting and the accepted values.
     */
    public static AeronConfiguration from(final TransportContext context)
    {
        try
        {
            return new AeronConfiguration(context);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new TransportException(ex.getMessage(), ex);
        }
    }

    /**
     * @return the largest header plus payload of one two-sided send: Aeron's largest message for the term length.
     */
    public long maxMessageBytes()
    {
        return Math.min(termLength / 8, 1 << 24);
    }

    /**
     * @return the folder holding the rank's driver directory.
     */
    public Path directoryBase()
    {
        return directoryBase;
    }

    static Path defaultDirectoryBase()
    {
        final Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static long parseTermLength(final String key, final String text)
    {
        final long term = Sizes.parseBytes(key, text);
        if (term < 64 * 1024 || term > 1L << 30 || Long.bitCount(term) != 1)
        {
            throw new IllegalArgumentException(key + "=" + term + " is not valid: choose a power of two between " +
                "64k and 1g, e.g. 4m");
        }
        return term;
    }

    private static long parseMtu(final String key, final String text)
    {
        final long value = Sizes.parseBytes(key, text);
        if (value < 1024 || value > 65504 || value % 32 != 0)
        {
            throw new IllegalArgumentException(key + "=" + value + " is not valid: choose a multiple of 32 between " +
                "1024 and 65504 bytes");
        }
        return value;
    }

    static InetSocketAddress parseBindAddress(final String text)
    {
        final String value = text.trim();
        final int colon = value.lastIndexOf(':');
        String host = value;
        int port = 0;
        if (colon >= 0 && value.indexOf(':') == colon)
        {
            host = value.substring(0, colon);
            try
            {
                port = Integer.parseInt(value.substring(colon + 1));
                if (port < 0 || port > 65535)
                {
                    throw new NumberFormatException();
                }
            }
            catch (final NumberFormatException ex)
            {
                throw badBind(value);
            }
        }
        try
        {
            final InetAddress address = InetAddress.getByName(host);
            if (!(address instanceof java.net.Inet4Address))
            {
                throw badBind(value);
            }
            return new InetSocketAddress(address, port);
        }
        catch (final UnknownHostException ex)
        {
            throw new TransportException(BIND_PROP_NAME + "=" + value + ": unknown host " + host +
                "; give an IPv4 address of this machine, e.g. 127.0.0.1", ex);
        }
    }

    private static TransportException badBind(final String value)
    {
        return new TransportException(BIND_PROP_NAME + "=" + value + " is not an address: write an IPv4 host or " +
            "host:port, e.g. 127.0.0.1:0 (port 0 picks a free port)");
    }
}
