package io.javelin.messaging;

/**
 * Unexpected-message records consumed by their receives, kept with their payload arrays for the next
 * messages that arrive before their receives: a steady stream of unexpected eager messages then allocates
 * nothing. Bounded: at most {@link #CAPACITY} records, and payload arrays above {@link #MAX_KEPT_PAYLOAD_BYTES}
 * are dropped, so the pool retains at most about 1 MiB.
 *
 * <p>Not thread-safe: used by the engine's thread.
 */
final class UnexpectedMessagePool
{
    /** Most records kept. */
    static final int CAPACITY = 64;
    /** Largest payload array kept with a record. */
    static final int MAX_KEPT_PAYLOAD_BYTES = 16 * 1024;

    private final UnexpectedMessage[] free = new UnexpectedMessage[CAPACITY];
    private int count;

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
        if (null != message.payload && message.payload.length > MAX_KEPT_PAYLOAD_BYTES)
        {
            message.payload = null;
        }
        if (count < CAPACITY)
        {
            free[count++] = message;
        }
    }
}
