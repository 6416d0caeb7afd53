package io.javelin.messaging;

import java.lang.foreign.MemorySegment;

/**
 * A send in flight: eager (completes when the transport has taken the bytes) or rendezvous (completes
 * when the receiver's FIN arrives).
 */
public final class SendRequest extends MessageRequest
{
    int destination;
    /** Large, or sent when the receiver had no eager credit left for this rank. */
    boolean rendezvous;
    /** RPUT: the receiver's request id, named in the FIN after the write. */
    long remoteReceiveId;
    /** RPUT: bytes the receiver asked for. */
    long writeLength;
    /** Registration (or staging) holding the payload for a rendezvous; released at completion. */
    RegistrationCache.Lease lease;

    SendRequest(final long id, final int context, final int destination, final int tag, final MemorySegment payload,
        final boolean rendezvous)
    {
        super(id, context, tag, payload);
        this.destination = destination;
        this.rendezvous = rendezvous;
        this.peer = destination;
    }

    void reset(final long id, final int context, final int destination, final int tag, final MemorySegment payload,
        final boolean rendezvous)
    {
        reset(id, context, tag, payload);
        this.destination = destination;
        this.rendezvous = rendezvous;
        this.peer = destination;
        remoteReceiveId = 0;
        writeLength = 0;
        lease = null;
    }
}
