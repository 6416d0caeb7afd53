package io.javelin.transport.local;

import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportException;
import io.javelin.transport.config.ConfigKey;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Settings of the local transport: property names, defaults and units, read once from a
 * {@link TransportContext} and checked.
 */
public final class LocalTransportConfiguration
{
    /** Name of the fabric that groups the ranks of one job in this JVM. */
    public static final String FABRIC_PROP_NAME = "javelin.local.fabric";
    /** Default fabric. */
    public static final String FABRIC_DEFAULT = "default";

    /** Payload size up to which the eager protocol is preferred (bytes, k/m/g suffix allowed). */
    public static final String EAGER_LIMIT_PROP_NAME = "javelin.local.eager.limit";
    /** Default eager limit. */
    public static final long EAGER_LIMIT_DEFAULT_BYTES = 16 * 1024;

    /** Messages an inbox holds before senders are back-pressured. */
    public static final String INBOX_CAPACITY_PROP_NAME = "javelin.local.inbox.capacity";
    /** Default inbox capacity (messages). */
    public static final int INBOX_CAPACITY_DEFAULT = 4096;

    /** Bytes queued in an inbox before senders are back-pressured (k/m/g suffix allowed). */
    public static final String INBOX_LIMIT_PROP_NAME = "javelin.local.inbox.limit";
    /** Default inbox byte limit. */
    public static final long INBOX_LIMIT_DEFAULT_BYTES = 64L * 1024 * 1024;

    /** How long posts wait for a peer to appear in the fabric before failing (milliseconds). */
    public static final String CONNECT_TIMEOUT_PROP_NAME = "javelin.local.connect.timeout.ms";
    /** Default connect timeout. */
    public static final long CONNECT_TIMEOUT_DEFAULT_MS = 30_000;

    /** {@link #FABRIC_PROP_NAME} declared. */
    public static final ConfigKey<String> FABRIC = ConfigKey.text(FABRIC_PROP_NAME, FABRIC_DEFAULT,
        "name of the in-JVM fabric that groups the ranks of one job");
    /** {@link #EAGER_LIMIT_PROP_NAME} declared. */
    public static final ConfigKey<Long> EAGER_LIMIT = ConfigKey.bytes(EAGER_LIMIT_PROP_NAME,
        EAGER_LIMIT_DEFAULT_BYTES, 0, Long.MAX_VALUE, "local transport eager limit, bytes");
    /** {@link #INBOX_CAPACITY_PROP_NAME} declared. */
    public static final ConfigKey<Long> INBOX_CAPACITY = ConfigKey.number(INBOX_CAPACITY_PROP_NAME,
        INBOX_CAPACITY_DEFAULT, 1, 1 << 24, "messages an inbox holds before senders are back-pressured");
    /** {@link #INBOX_LIMIT_PROP_NAME} declared. */
    public static final ConfigKey<Long> INBOX_LIMIT = ConfigKey.bytes(INBOX_LIMIT_PROP_NAME,
        INBOX_LIMIT_DEFAULT_BYTES, 1, Long.MAX_VALUE, "bytes queued in an inbox before senders are back-pressured");
    /** {@link #CONNECT_TIMEOUT_PROP_NAME} declared. */
    public static final ConfigKey<Long> CONNECT_TIMEOUT = ConfigKey.number(CONNECT_TIMEOUT_PROP_NAME,
        CONNECT_TIMEOUT_DEFAULT_MS, 1, Long.MAX_VALUE, "how long posts wait for a peer to appear, milliseconds");
    /** Every key of the local transport, for {@code javelin info}. */
    public static final List<ConfigKey<?>> KEYS = List.of(
        FABRIC, EAGER_LIMIT, INBOX_CAPACITY, INBOX_LIMIT, CONNECT_TIMEOUT);

    /** Largest header of a two-sided send. */
    public static final int MAX_HEADER_BYTES = 256;
    /** Largest message (header plus payload): the largest Java array, as messages may be heap-backed. */
    public static final long MAX_MESSAGE_BYTES = Integer.MAX_VALUE - 8;

    private final String fabric;
    private final long eagerLimitBytes;
    private final int inboxCapacity;
    private final long inboxLimitBytes;
    private final long connectTimeoutNs;

    /**
     * Reads and checks the settings.
     *
     * @param context the transport's context.
     * @throws TransportException naming the bad setting and what it accepts.
     */
    public LocalTransportConfiguration(final TransportContext context)
    {
        try
        {
            fabric = FABRIC.get(context.properties());
            eagerLimitBytes = EAGER_LIMIT.get(context.properties());
            inboxLimitBytes = INBOX_LIMIT.get(context.properties());
            inboxCapacity = INBOX_CAPACITY.get(context.properties()).intValue();
            connectTimeoutNs = TimeUnit.MILLISECONDS.toNanos(CONNECT_TIMEOUT.get(context.properties()));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new TransportException(ex.getMessage(), ex);
        }
        if (fabric.isBlank())
        {
            throw new TransportException(FABRIC_PROP_NAME + " is blank: give a name unique to the job, or leave it " +
                "unset for '" + FABRIC_DEFAULT + "'");
        }
    }

    /**
     * @return the fabric name.
     */
    public String fabric()
    {
        return fabric;
    }

    /**
     * @return payload bytes up to which eager sends are preferred.
     */
    public long eagerLimitBytes()
    {
        return eagerLimitBytes;
    }

    /**
     * @return messages an inbox holds.
     */
    public int inboxCapacity()
    {
        return inboxCapacity;
    }

    /**
     * @return bytes an inbox holds before back-pressure (one larger message is always let through into an
     *         empty inbox).
     */
    public long inboxLimitBytes()
    {
        return inboxLimitBytes;
    }

    /**
     * @return nanoseconds posts wait for a peer to appear before failing it.
     */
    public long connectTimeoutNs()
    {
        return connectTimeoutNs;
    }

    @Override
    public String toString()
    {
        return FABRIC_PROP_NAME + "=" + fabric + ", " + EAGER_LIMIT_PROP_NAME + "=" + eagerLimitBytes + ", " +
            INBOX_CAPACITY_PROP_NAME + "=" + inboxCapacity + ", " + INBOX_LIMIT_PROP_NAME + "=" + inboxLimitBytes +
            ", " + CONNECT_TIMEOUT_PROP_NAME + "=" + TimeUnit.NANOSECONDS.toMillis(connectTimeoutNs);
    }
}
