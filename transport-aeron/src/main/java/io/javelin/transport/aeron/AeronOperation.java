package io.javelin.transport.aeron;

import java.lang.foreign.MemorySegment;

/**
 * One operation on a peer's publication: a user's write or read (from post to completion), or a message
 * this rank owes the peer (handshake, acknowledgement, read response). Pooled by {@link AeronOperationPool}.
 *
 * <p>Streams (a WRITE's data, a READ_RESPONSE's data) go out as a first frame and CONTINUE frames, each
 * claimed from the publication and filled straight from {@link #segment}; {@link #streamed} counts the bytes
 * out so far, so a stream stopped by back-pressure resumes where it stopped.
 */
final class AeronOperation
{
    static final int SEND = 1;
    static final int WRITE = 2;
    static final int READ = 3;
    static final int HELLO = 4;
    static final int ACCEPT = 5;
    static final int REFUSE = 6;
    static final int WRITE_ACK = 7;
    static final int READ_RESPONSE = 8;
    static final int GRANT = 9;

    int kind;
    long cookie;
    long id;
    /** Completion status of a user operation; status or reason sent in a reply. */
    int status;
    /** WRITE / READ: by a grant and cross-memory attach instead of through the peer's progress. */
    boolean singleCopy;
    /** Local memory: a WRITE's source, a READ's destination, a READ_RESPONSE's source (registered region). */
    MemorySegment segment;
    long offset;
    long length;
    long remoteAddress;
    long remoteKey;
    /** The first frame is out. */
    boolean started;
    /** Data bytes out so far. */
    long streamed;

    /** Link in the endpoint's send queue, then in the completion queue or the pool's free list. */
    AeronOperation next;
    /** Link in the endpoint's queue of requests waiting for their reply. */
    AeronOperation nextAwaiting;

    boolean isUserOperation()
    {
        return SEND == kind || WRITE == kind || READ == kind;
    }

    boolean awaitsReply()
    {
        return WRITE == kind || READ == kind;
    }

    void prepare(final int kind, final long cookie, final long id)
    {
        this.kind = kind;
        this.cookie = cookie;
        this.id = id;
        status = 0;
        singleCopy = false;
        segment = null;
        offset = 0;
        length = 0;
        remoteAddress = 0;
        remoteKey = 0;
        started = false;
        streamed = 0;
        next = null;
        nextAwaiting = null;
    }

    void restartStream()
    {
        started = false;
        streamed = 0;
    }

    void clearReferences()
    {
        segment = null;
        next = null;
        nextAwaiting = null;
    }
}
