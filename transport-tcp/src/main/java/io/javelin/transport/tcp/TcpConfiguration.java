package io.javelin.transport.tcp;

import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportException;
import io.javelin.transport.config.ConfigKey;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/**
 * Settings of the TCP transport: the property names with their defaults and units, and the values
 * one transport uses, read and checked once from its {@link TransportContext}.
 */
public final class TcpConfiguration
{
    /** Address to listen on: {@code host}, {@code host:port} or {@code [v6]:port}; port 0 picks a free one. */
    public static final String BIND_PROP_NAME = "javelin.tcp.bind";
    /** Default listen address: loopback, ephemeral port. */
    public static final String BIND_DEFAULT = "127.0.0.1";

    /** Payload bytes up to which the eager protocol is preferred. */
    public static final String EAGER_LIMIT_PROP_NAME = "javelin.tcp.eager.limit";
    /** Default eager limit in bytes. */
    public static final long EAGER_LIMIT_DEFAULT_BYTES = 64 * 1024;

    /** SO_SNDBUF of every socket; 0 leaves the kernel's auto-tuning in charge. */
    public static final String SOCKET_SEND_BUFFER_PROP_NAME = "javelin.tcp.socket.send.buffer";
    /** Default SO_SNDBUF in bytes (the kernel caps it at net.core.wmem_max). */
    public static final long SOCKET_SEND_BUFFER_DEFAULT_BYTES = 4 * 1024 * 1024;

    /** SO_RCVBUF of every socket; 0 leaves the kernel's auto-tuning in charge. */
    public static final String SOCKET_RECEIVE_BUFFER_PROP_NAME = "javelin.tcp.socket.receive.buffer";
    /** Default SO_RCVBUF in bytes (the kernel caps it at net.core.rmem_max). */
    public static final long SOCKET_RECEIVE_BUFFER_DEFAULT_BYTES = 4 * 1024 * 1024;

    /** User-space receive buffer of each connection; grows once for a larger message. */
    public static final String RECEIVE_BUFFER_PROP_NAME = "javelin.tcp.receive.buffer";
    /** Default receive buffer in bytes. */
    public static final long RECEIVE_BUFFER_DEFAULT_BYTES = 256 * 1024;

    /** Payloads up to this size are copied next to the frame header at post instead of being referenced. */
    public static final String INLINE_LIMIT_PROP_NAME = "javelin.tcp.inline.limit";
    /** Default inline limit in bytes: copying this little costs less than creating a buffer view. */
    public static final long INLINE_LIMIT_DEFAULT_BYTES = 512;

    /** How long connecting plus the handshake to a peer may take. */
    public static final String CONNECT_TIMEOUT_PROP_NAME = "javelin.tcp.connect.timeout.ms";
    /** Default connect timeout in milliseconds. */
    public static final long CONNECT_TIMEOUT_DEFAULT_MS = 30_000;

    /** Operations in flight (all peers) above which posts return BACK_PRESSURED. */
    public static final String MAX_PENDING_OPERATIONS_PROP_NAME = "javelin.tcp.max.pending.operations";
    /** Default limit of operations in flight. */
    public static final int MAX_PENDING_OPERATIONS_DEFAULT = 65_536;

    /** Largest header of a two-sided send. */
    public static final int MAX_HEADER_BYTES = 256;
    /** Largest header plus payload of a two-sided send. */
    public static final long MAX_MESSAGE_BYTES = 64L * 1024 * 1024 + MAX_HEADER_BYTES;
    /** Largest one-sided operation: a ByteBuffer view spans at most this many bytes. */
    public static final long MAX_ONE_SIDED_BYTES = Integer.MAX_VALUE;
    /** Progress calls between two polls of the listening socket (a power of two). */
    public static final int ACCEPT_POLL_INTERVAL = 64;

    /** {@link #BIND_PROP_NAME} declared. */
    public static final ConfigKey<InetSocketAddress> BIND = ConfigKey.of(BIND_PROP_NAME, BIND_DEFAULT,
        "address the TCP transport listens on: host, host:port or [v6]:port (port 0: any free port)",
        (key, text) -> parseBindAddress(text));
    /** {@link #EAGER_LIMIT_PROP_NAME} declared. */
    public static final ConfigKey<Long> EAGER_LIMIT = ConfigKey.bytes(EAGER_LIMIT_PROP_NAME,
        EAGER_LIMIT_DEFAULT_BYTES, 0, Long.MAX_VALUE, "TCP eager limit, bytes");
    /** {@link #SOCKET_SEND_BUFFER_PROP_NAME} declared. */
    public static final ConfigKey<Long> SOCKET_SEND_BUFFER = ConfigKey.bytes(SOCKET_SEND_BUFFER_PROP_NAME,
        SOCKET_SEND_BUFFER_DEFAULT_BYTES, 0, Integer.MAX_VALUE, "SO_SNDBUF of every socket (0: kernel auto-tuning)");
    /** {@link #SOCKET_RECEIVE_BUFFER_PROP_NAME} declared. */
    public static final ConfigKey<Long> SOCKET_RECEIVE_BUFFER = ConfigKey.bytes(SOCKET_RECEIVE_BUFFER_PROP_NAME,
        SOCKET_RECEIVE_BUFFER_DEFAULT_BYTES, 0, Integer.MAX_VALUE, "SO_RCVBUF of every socket (0: kernel auto-tuning)");
    /** {@link #RECEIVE_BUFFER_PROP_NAME} declared. */
    public static final ConfigKey<Long> RECEIVE_BUFFER = ConfigKey.bytes(RECEIVE_BUFFER_PROP_NAME,
        RECEIVE_BUFFER_DEFAULT_BYTES, 4096, MAX_MESSAGE_BYTES + TcpFrame.MAX_HEADER_LENGTH,
        "user-space receive buffer of each connection, bytes (grows once for a larger message)");
    /** {@link #INLINE_LIMIT_PROP_NAME} declared. */
    public static final ConfigKey<Long> INLINE_LIMIT = ConfigKey.bytes(INLINE_LIMIT_PROP_NAME,
        INLINE_LIMIT_DEFAULT_BYTES, 0, 64 * 1024, "payloads up to this size are copied next to the frame header");
    /** {@link #CONNECT_TIMEOUT_PROP_NAME} declared. */
    public static final ConfigKey<Long> CONNECT_TIMEOUT = ConfigKey.number(CONNECT_TIMEOUT_PROP_NAME,
        CONNECT_TIMEOUT_DEFAULT_MS, 1, Integer.MAX_VALUE, "connect plus handshake limit per peer, milliseconds");
    /** {@link #MAX_PENDING_OPERATIONS_PROP_NAME} declared. */
    public static final ConfigKey<Long> MAX_PENDING_OPERATIONS = ConfigKey.number(MAX_PENDING_OPERATIONS_PROP_NAME,
        MAX_PENDING_OPERATIONS_DEFAULT, 1, Integer.MAX_VALUE,
        "operations in flight (all peers) above which posts are back-pressured");
    /** Every key of the TCP transport, for {@code javelin info}. */
    public static final List<ConfigKey<?>> KEYS = List.of(BIND, EAGER_LIMIT, SOCKET_SEND_BUFFER,
        SOCKET_RECEIVE_BUFFER, RECEIVE_BUFFER, INLINE_LIMIT, CONNECT_TIMEOUT, MAX_PENDING_OPERATIONS);

    final InetSocketAddress bindAddress;
    final long eagerLimitBytes;
    final int socketSendBufferBytes;
    final int socketReceiveBufferBytes;
    final int receiveBufferBytes;
    final int inlineLimitBytes;
    final long connectTimeoutNs;
    final int maxPendingOperations;

    private TcpConfiguration(final TransportContext context)
    {
        final Map<String, String> settings = context.properties();
        bindAddress = BIND.get(settings);
        eagerLimitBytes = EAGER_LIMIT.get(settings);
        socketSendBufferBytes = SOCKET_SEND_BUFFER.get(settings).intValue();
        socketReceiveBufferBytes = SOCKET_RECEIVE_BUFFER.get(settings).intValue();
        receiveBufferBytes = RECEIVE_BUFFER.get(settings).intValue();
        inlineLimitBytes = INLINE_LIMIT.get(settings).intValue();
        connectTimeoutNs = 1_000_000L * CONNECT_TIMEOUT.get(settings);
        maxPendingOperations = MAX_PENDING_OPERATIONS.get(settings).intValue();
        if (eagerLimitBytes > MAX_MESSAGE_BYTES - MAX_HEADER_BYTES)
        {
            throw new TransportException(EAGER_LIMIT_PROP_NAME + "=" + eagerLimitBytes + " exceeds the largest " +
                "message payload " + (MAX_MESSAGE_BYTES - MAX_HEADER_BYTES) + ": choose a smaller value, e.g. 64k");
        }
    }

    /**
     * Reads and checks the settings.
     *
     * @param context the transport's context.
     * @return the settings.
     * @throws TransportException naming the bad setting and the accepted values.
     */
    public static TcpConfiguration from(final TransportContext context)
    {
        try
        {
            return new TcpConfiguration(context);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new TransportException(ex.getMessage(), ex);
        }
    }

    /**
     * @return the address the transport listens on (port 0 = ephemeral).
     */
    public InetSocketAddress bindAddress()
    {
        return bindAddress;
    }

    /**
     * @return payload bytes up to which the eager protocol is preferred.
     */
    public long eagerLimitBytes()
    {
        return eagerLimitBytes;
    }

    static InetSocketAddress parseBindAddress(final String text)
    {
        final String value = text.trim();
        String host = value;
        int port = 0;
        final int closingBracket = value.lastIndexOf(']');
        final int colon = value.lastIndexOf(':');
        if (value.startsWith("["))
        {
            if (closingBracket < 0)
            {
                throw badBind(value);
            }
            host = value.substring(1, closingBracket);
            if (closingBracket + 1 < value.length())
            {
                if (value.charAt(closingBracket + 1) != ':')
                {
                    throw badBind(value);
                }
                port = parsePort(value, value.substring(closingBracket + 2));
            }
        }
        else if (colon >= 0 && value.indexOf(':') == colon)
        {
            host = value.substring(0, colon);
            port = parsePort(value, value.substring(colon + 1));
        }
        try
        {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        }
        catch (final UnknownHostException ex)
        {
            throw new TransportException(BIND_PROP_NAME + "=" + value + ": unknown host " + host +
                "; give an IP address of this machine, e.g. 127.0.0.1", ex);
        }
    }

    private static int parsePort(final String value, final String portText)
    {
        try
        {
            final int port = Integer.parseInt(portText);
            if (port < 0 || port > 65535)
            {
                throw new NumberFormatException();
            }
            return port;
        }
        catch (final NumberFormatException ex)
        {
            throw badBind(value);
        }
    }

    private static TransportException badBind(final String value)
    {
        return new TransportException(BIND_PROP_NAME + "=" + value + " is not an address: write host, host:port " +
            "or [ipv6]:port, e.g. 127.0.0.1:0 (port 0 picks a free port)");
    }
}
