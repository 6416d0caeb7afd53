package io.javelin.transport.aeron;

import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

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
        media = choice(context, MEDIA_PROP_NAME, MEDIA_DEFAULT, "auto", "udp", "ipc");
        bindAddress = parseBindAddress(context.property(BIND_PROP_NAME, BIND_DEFAULT));
        final String dir = context.property(DIR_PROP_NAME, "").trim();
        directoryBase = dir.isEmpty() ? defaultDirectoryBase() : Path.of(dir);
        final long term = context.sizeProperty(TERM_LENGTH_PROP_NAME, TERM_LENGTH_DEFAULT_BYTES);
        if (term < 64 * 1024 || term > 1L << 30 || Long.bitCount(term) != 1)
        {
            throw new TransportException(TERM_LENGTH_PROP_NAME + "=" + term + " is not valid: choose a power of " +
                "two between 64k and 1g, e.g. 4m");
        }
        termLength = (int)term;
        mtu = mtu(context, MTU_PROP_NAME, MTU_DEFAULT_BYTES);
        ipcMtu = mtu(context, IPC_MTU_PROP_NAME, IPC_MTU_DEFAULT_BYTES);
        eagerLimitBytes = context.sizeProperty(EAGER_LIMIT_PROP_NAME, EAGER_LIMIT_DEFAULT_BYTES);
        if (eagerLimitBytes > maxMessageBytes() - MAX_HEADER_BYTES)
        {
            throw new TransportException(EAGER_LIMIT_PROP_NAME + "=" + eagerLimitBytes + " exceeds the largest " +
                "message payload " + (maxMessageBytes() - MAX_HEADER_BYTES) + " (an eighth of " +
                TERM_LENGTH_PROP_NAME + "): choose a smaller limit or a longer term");
        }
        cmaEnabled = "auto".equals(choice(context, CMA_PROP_NAME, CMA_DEFAULT, "auto", "off"));
        connectTimeoutNs = 1_000_000L * positive(context, CONNECT_TIMEOUT_PROP_NAME, CONNECT_TIMEOUT_DEFAULT_MS);
        livenessTimeoutNs = 1_000_000L * positive(context, LIVENESS_TIMEOUT_PROP_NAME, LIVENESS_TIMEOUT_DEFAULT_MS);
        if (livenessTimeoutNs < 2_000_000_000L)
        {
            throw new TransportException(LIVENESS_TIMEOUT_PROP_NAME + " must be at least 2000 ms (the driver " +
                "checks timeouts once a second)");
        }
        maxPendingOperations = (int)Math.min(Integer.MAX_VALUE,
            positive(context, MAX_PENDING_OPERATIONS_PROP_NAME, MAX_PENDING_OPERATIONS_DEFAULT));
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

    private static String choice(
        final TransportContext context, final String name, final String defaultValue, final String... allowed)
    {
        final String value = context.property(name, defaultValue).trim().toLowerCase(Locale.ROOT);
        for (final String candidate : allowed)
        {
            if (candidate.equals(value))
            {
                return value;
            }
        }
        throw new TransportException(name + "=" + value + " is not valid: choose one of " + String.join(", ", allowed));
    }

    private static int mtu(final TransportContext context, final String name, final long defaultValue)
    {
        final long value = context.sizeProperty(name, defaultValue);
        if (value < 1024 || value > 65504 || value % 32 != 0)
        {
            throw new TransportException(name + "=" + value + " is not valid: choose a multiple of 32 between " +
                "1024 and 65504 bytes");
        }
        return (int)value;
    }

    private static long positive(final TransportContext context, final String name, final long defaultValue)
    {
        final String text = context.property(name, Long.toString(defaultValue)).trim();
        try
        {
            final long value = Long.parseLong(text);
            if (value < 1)
            {
                throw new NumberFormatException();
            }
            return value;
        }
        catch (final NumberFormatException ex)
        {
            throw new TransportException(name + "=" + text + " is not valid: write a whole number of at least 1");
        }
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
