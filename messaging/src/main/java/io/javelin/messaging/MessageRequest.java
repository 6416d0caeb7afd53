package io.javelin.messaging;

import java.lang.foreign.MemorySegment;

/**
 * State shared by send and receive requests. Owned by one {@link MessagingEngine}; touched only by the thread
 * that drives it. A request completes exactly once, successfully or with a {@link CompletionError}.
 *
 * <p>Reuse: a completed request given back with {@link MessagingEngine#release} is reset and handed out again
 * by a later post, under a new id (so a late event naming the old id finds nothing).
 */
public abstract class MessageRequest
{
    long id;
    int context;
    int tag;
    MemorySegment buffer;
    /** Given back to the engine's pool: any further use by the caller is a bug. */
    boolean released;
    boolean complete;
    CompletionError error = CompletionError.NONE;
    String errorMessage;
    int statusSource;
    int statusTag;
    long statusBytes;
    /** The lease holds a staging buffer from the {@link StagingPool} rather than user memory. */
    boolean staged;
    /** Rendezvous: the remote span of the one-sided read (receive) or write (send). */
    long remoteAddress;
    long remoteKey;
    /** World rank of the peer the wire state of this request depends on, or -1. */
    int peer = -1;

    MessageRequest(final long id, final int context, final int tag, final MemorySegment buffer)
    {
        this.id = id;
        this.context = context;
        this.tag = tag;
        this.buffer = buffer;
    }

    /**
     * Makes a released request new again, as the constructor leaves it.
     */
    void reset(final long id, final int context, final int tag, final MemorySegment buffer)
    {
        this.id = id;
        this.context = context;
        this.tag = tag;
        this.buffer = buffer;
        released = false;
        complete = false;
        error = CompletionError.NONE;
        errorMessage = null;
        statusSource = 0;
        statusTag = 0;
        statusBytes = 0;
        staged = false;
        remoteAddress = 0;
        remoteKey = 0;
        peer = -1;
    }

    /**
     * @return true once the request has completed (successfully or not).
     */
    public boolean isComplete()
    {
        return complete;
    }

    /**
     * @return {@link CompletionError#NONE} or why the request failed.
     */
    public CompletionError error()
    {
        return error;
    }

    /**
     * @return what went wrong, for the user; null on success.
     */
    public String errorMessage()
    {
        return errorMessage;
    }

    /**
     * @return world rank of the sender (receives) or destination (sends).
     */
    public int statusSource()
    {
        return statusSource;
    }

    /**
     * @return the message's tag.
     */
    public int statusTag()
    {
        return statusTag;
    }

    /**
     * @return bytes of the message (for a truncated receive: the full message length).
     */
    public long statusBytes()
    {
        return statusBytes;
    }

    /**
     * @return the user memory of this request.
     */
    public MemorySegment buffer()
    {
        return buffer;
    }

    void succeed(final int source, final int tag, final long bytes)
    {
        statusSource = source;
        statusTag = tag;
        statusBytes = bytes;
        complete = true;
    }

    void fail(final CompletionError error, final String message)
    {
        if (!complete)
        {
            this.error = error;
            this.errorMessage = message;
            complete = true;
        }
    }
}
