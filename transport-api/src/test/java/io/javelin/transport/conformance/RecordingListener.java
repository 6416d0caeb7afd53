package io.javelin.transport.conformance;

import io.javelin.transport.Endpoint;
import io.javelin.transport.TransportListener;
import io.javelin.transport.TransportStatus;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A listener that records what a transport delivers, for assertions, and notes contract violations:
 * callbacks outside {@code progress()} / {@code close()}, a completion delivered twice, a message
 * outside its buffer.
 *
 * <p>Messages are kept as a CRC32 of all their bytes plus a copy of their first {@link #PREFIX_BYTES}
 * bytes (where tests put sequence numbers), so multi-MiB messages cost no memory.
 *
 * <p>Not thread-safe: used by the single thread that drives the transports.
 */
public final class RecordingListener implements TransportListener
{
    /** Bytes copied from the start of each message. */
    public static final int PREFIX_BYTES = 512;

    /**
     * One delivered message.
     *
     * @param source endpoint passed with the message.
     * @param length message bytes.
     * @param crc    CRC32 of the message bytes.
     * @param prefix copy of the first bytes of the message (up to {@link #PREFIX_BYTES}).
     */
    public record Message(Endpoint source, int length, long crc, byte[] prefix)
    {
        /**
         * @param offset byte offset in the message.
         * @return the little-endian long at that offset of the prefix.
         */
        public long longAt(final int offset)
        {
            return MemorySegment.ofArray(prefix).get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
        }
    }

    /**
     * One reported peer failure.
     *
     * @param endpoint the failed peer.
     * @param reason   the reason given.
     */
    public record PeerFailure(Endpoint endpoint, String reason)
    {
    }

    private final String name;
    private final List<Message> messages = new ArrayList<>();
    private final Map<Long, Integer> completions = new HashMap<>();
    private final List<PeerFailure> failures = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private boolean callbacksAllowed;
    private Consumer<Message> messageHook = message ->
    {
    };

    /**
     * @param name name used in messages, e.g. "rank 0".
     */
    public RecordingListener(final String name)
    {
        this.name = name;
    }

    /**
     * @param allowed whether the transport is inside progress() or close() (set by the harness).
     */
    void callbacksAllowed(final boolean allowed)
    {
        callbacksAllowed = allowed;
    }

    /**
     * @param hook called inside {@code onMessage} after the message is recorded, e.g. to post a reply from
     *             the callback as the SPI allows.
     */
    public void messageHook(final Consumer<Message> hook)
    {
        messageHook = hook;
    }

    @Override
    public void onMessage(final Endpoint source, final MemorySegment buffer, final long offset, final int length)
    {
        checkInsideDriver("onMessage");
        if (null == source)
        {
            violations.add(name + ": onMessage with a null source endpoint");
        }
        if (length < 0 || offset < 0 || offset + length > buffer.byteSize())
        {
            violations.add(name + ": onMessage offset " + offset + " length " + length + " outside buffer of " +
                buffer.byteSize() + " bytes");
            return;
        }
        final byte[] prefix = buffer.asSlice(offset, Math.min(length, PREFIX_BYTES)).toArray(ValueLayout.JAVA_BYTE);
        final Message message = new Message(source, length, TestMemory.crc(buffer, offset, length), prefix);
        messages.add(message);
        messageHook.accept(message);
    }

    @Override
    public void onCompletion(final long cookie, final int status)
    {
        checkInsideDriver("onCompletion");
        final Integer previous = completions.putIfAbsent(cookie, status);
        if (null != previous)
        {
            violations.add(name + ": cookie " + cookie + " completed twice (" + TransportStatus.name(previous) +
                ", then " + TransportStatus.name(status) + ")");
        }
    }

    @Override
    public void onPeerFailure(final Endpoint endpoint, final String reason)
    {
        checkInsideDriver("onPeerFailure");
        if (null == reason || reason.isBlank())
        {
            violations.add(name + ": onPeerFailure without a reason");
        }
        failures.add(new PeerFailure(endpoint, reason));
    }

    private void checkInsideDriver(final String callback)
    {
        if (!callbacksAllowed)
        {
            violations.add(name + ": " + callback + " called outside progress() and close()");
        }
    }

    /**
     * @return messages in arrival order (live list).
     */
    public List<Message> messages()
    {
        return messages;
    }

    /**
     * @param cookie a cookie.
     * @return whether it completed.
     */
    public boolean completed(final long cookie)
    {
        return completions.containsKey(cookie);
    }

    /**
     * @param cookie a cookie that completed.
     * @return its completion status.
     */
    public int status(final long cookie)
    {
        final Integer status = completions.get(cookie);
        if (null == status)
        {
            throw new AssertionError(name + ": cookie " + cookie + " has not completed");
        }
        return status;
    }

    /**
     * @return number of distinct cookies completed.
     */
    public int completionCount()
    {
        return completions.size();
    }

    /**
     * @return cookie to status of every completion (live map).
     */
    public Map<Long, Integer> completions()
    {
        return completions;
    }

    /**
     * @return reported peer failures (live list).
     */
    public List<PeerFailure> failures()
    {
        return failures;
    }

    /**
     * @return contract violations seen so far (live list).
     */
    public List<String> violations()
    {
        return violations;
    }

    /**
     * @return a one-line summary, for timeout messages.
     */
    public String summary()
    {
        return name + ": " + messages.size() + " messages, " + completions.size() + " completions, " +
            failures.size() + " peer failures" + (failures.isEmpty() ? "" : " " + failures);
    }
}
