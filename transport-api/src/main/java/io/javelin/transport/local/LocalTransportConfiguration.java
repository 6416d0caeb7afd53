package io.javelin.transport.local;

import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportException;

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
            fabric = context.property(FABRIC_PROP_NAME, FABRIC_DEFAULT);
            eagerLimitBytes = context.sizeProperty(EAGER_LIMIT_PROP_NAME, EAGER_LIMIT_DEFAULT_BYTES);
            inboxLimitBytes = context.sizeProperty(INBOX_LIMIT_PROP_NAME, INBOX_LIMIT_DEFAULT_BYTES);
            inboxCapacity = (int)positive(context, INBOX_CAPACITY_PROP_NAME, INBOX_CAPACITY_DEFAULT, 1 << 24);
            connectTimeoutNs = TimeUnit.MILLISECONDS.toNanos(
                positive(context, CONNECT_TIMEOUT_PROP_NAME, CONNECT_TIMEOUT_DEFAULT_MS, Long.MAX_VALUE));
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
        if (inboxLimitBytes <= 0)
        {
            throw new TransportException(INBOX_LIMIT_PROP_NAME + "=" + inboxLimitBytes + " must be positive, e.g. 64m");
        }
    }

    private static long positive(final TransportContext context, final String key, final long defaultValue,
        final long max)
    {
        final String text = context.property(key, Long.toString(defaultValue)).trim();
        try
        {
            final long value = Long.parseLong(text);
            if (value > 0 && value <= max)
            {
                return value;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below
        }
        throw new IllegalArgumentException(key + "=" + text + " is not valid: give a whole number from 1 to " + max);
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
