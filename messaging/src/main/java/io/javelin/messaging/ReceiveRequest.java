package io.javelin.messaging;

import java.lang.foreign.MemorySegment;

/**
 * A posted receive: waits in the posted queue until a message matches, then completes at once (eager)
 * or after the rendezvous transfer.
 */
public final class ReceiveRequest extends MessageRequest
{
    int source;
    /** Filled at match: the full length of the matched message. */
    long messageLength;
    /** Filled at match (rendezvous): the sender's request id, named in FIN. */
    long senderRequestId;
    /** Registration (or staging) the rendezvous transfer lands in. */
    RegistrationCache.Lease lease;
    /** Linked list of the posted queue. */
    ReceiveRequest next;

    ReceiveRequest(final long id, final int context, final int source, final int tag, final MemorySegment target)
    {
        super(id, context, tag, target);
        this.source = source;
    }

    void reset(final long id, final int context, final int source, final int tag, final MemorySegment target)
    {
        reset(id, context, tag, target);
        this.source = source;
        messageLength = 0;
        senderRequestId = 0;
        lease = null;
        next = null;
    }

    boolean matches(final int context, final int source, final int tag)
    {
        return this.context == context &&
            (this.source == MessagingEngine.ANY_SOURCE || this.source == source) &&
            (this.tag == MessagingEngine.ANY_TAG || this.tag == tag);
    }
}
