package io.javelin.messaging;

/**
 * Unexpected-message records consumed by their receives, kept with their payload arrays for the next
 * messages that arrive before their receives: a steady stream of unexpected eager messages then allocates
 * nothing. Sized for the most a rank can be sent ahead of its receives, the eager credits of every peer (a
 * root of a gather or reduce whose leaves run ahead holds that many), up to {@link #MAX_CAPACITY} records.
 * Payload arrays above {@link #MAX_KEPT_PAYLOAD_BYTES} are dropped, and arrays are kept only while the pool
 * holds at most {@link #MAX_KEPT_BYTES} of them, so the pool retains little memory whatever its size.
 *
 * <p>Not thread-safe: used by the engine's thread.
 */
final class UnexpectedMessagePool
{
    /** Fewest records kept. */
    static final int MIN_CAPACITY = 64;
    /** Most records kept. */
    static final int MAX_CAPACITY = 4096;
    /** Largest payload array kept with a record. */
    static final int MAX_KEPT_PAYLOAD_BYTES = 16 * 1024;
    /** Most payload bytes kept in all. */
    static final long MAX_KEPT_BYTES = 1024 * 1024;

    private final UnexpectedMessage[] free;
    private int count;
    private long keptBytes;

    /**
     * @param capacity records to keep: the eager credits of all peers (clamped to
     *                 {@link #MIN_CAPACITY}..{@link #MAX_CAPACITY}).
     */
    UnexpectedMessagePool(final long capacity)
    {
        free = new UnexpectedMessage[(int)Math.max(MIN_CAPACITY, Math.min(MAX_CAPACITY, capacity))];
    }

    /**
     * @return a record whose fields the caller sets; its {@code payload} may hold an old, larger array.
     */
    UnexpectedMessage take()
    {
        if (0 == count)
        {
            return new UnexpectedMessage();
        }
        final UnexpectedMessage message = free[--count];
        free[count] = null;
        if (null != message.payload)
        {
            keptBytes -= message.payload.length;
        }
        return message;
    }

    /**
     * @param length payload bytes the message needs.
     * @return the message's payload array, at least {@code length} long (reused when large enough).
     */
    static byte[] payloadOf(final UnexpectedMessage message, final int length)
    {
        if (null == message.payload || message.payload.length < length)
        {
            message.payload = new byte[length];
        }
        return message.payload;
    }

    /**
     * Takes back a record that left the unexpected queue and whose payload was copied out.
     */
    void recycle(final UnexpectedMessage message)
    {
        message.selfSend = null;
        message.next = null;
        if (count == free.length)
        {
            return;
        }
        if (null != message.payload)
        {
            if (message.payload.length > MAX_KEPT_PAYLOAD_BYTES || keptBytes + message.payload.length > MAX_KEPT_BYTES)
            {
                message.payload = null;
            }
            else
            {
                keptBytes += message.payload.length;
            }
        }
        free[count++] = message;
    }
}
