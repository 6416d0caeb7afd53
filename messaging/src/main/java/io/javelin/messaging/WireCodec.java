package io.javelin.messaging;

import io.javelin.messaging.wire.ClearToSendEncoder;
import io.javelin.messaging.wire.CompletionCode;
import io.javelin.messaging.wire.CreditEncoder;
import io.javelin.messaging.wire.EagerEncoder;
import io.javelin.messaging.wire.FinishEncoder;
import io.javelin.messaging.wire.HelloEncoder;
import io.javelin.messaging.wire.MessageHeaderEncoder;
import io.javelin.messaging.wire.RendezvousStartEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Encodes control messages into one native scratch frame that the transport copies at post time.
 * Each encode method returns the frame length; the frame is valid until the next encode.
 *
 * <p>Not thread-safe; no allocation per message. Used by one thread at a time, not necessarily the one
 * that created it (an engine may be started on one thread and driven by another), hence a shared arena.
 */
final class WireCodec implements AutoCloseable
{
    static final int MAX_FRAME_BYTES = 256;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment frame = arena.allocate(MAX_FRAME_BYTES, 64);
    private final UnsafeBuffer buffer = new UnsafeBuffer(frame.address(), MAX_FRAME_BYTES);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final HelloEncoder hello = new HelloEncoder();
    private final EagerEncoder eager = new EagerEncoder();
    private final RendezvousStartEncoder rendezvousStart = new RendezvousStartEncoder();
    private final ClearToSendEncoder clearToSend = new ClearToSendEncoder();
    private final FinishEncoder finish = new FinishEncoder();
    private final CreditEncoder credit = new CreditEncoder();

    MemorySegment frame()
    {
        return frame;
    }

    int hello(final int rank, final int jobSize, final int protocolVersion)
    {
        hello.wrapAndApplyHeader(buffer, 0, header).rank(rank).jobSize(jobSize).protocolVersion(protocolVersion);
        return MessageHeaderEncoder.ENCODED_LENGTH + hello.encodedLength();
    }

    /**
     * @return the length of an Eager header: the payload follows it in the frame (its length is the rest of the
     *         frame; the sender is the connection's peer).
     */
    int eager(final int context, final int tag, final int sequence, final int credits)
    {
        eager.wrapAndApplyHeader(buffer, 0, header)
            .context(context).tag(tag).sequence(sequence).credits(credits);
        return MessageHeaderEncoder.ENCODED_LENGTH + eager.encodedLength();
    }

    int rendezvousStart(final int context, final int source, final int tag, final int sequence, final int credits,
        final long length, final long address, final long remoteKey, final long sendRequestId)
    {
        rendezvousStart.wrapAndApplyHeader(buffer, 0, header)
            .context(context).source(source).tag(tag).sequence(sequence).credits(credits)
            .length(length).address(address).remoteKey(remoteKey).sendRequestId(sendRequestId);
        return MessageHeaderEncoder.ENCODED_LENGTH + rendezvousStart.encodedLength();
    }

    int clearToSend(final long sendRequestId, final long receiveRequestId, final long address, final long remoteKey,
        final long length, final int credits)
    {
        clearToSend.wrapAndApplyHeader(buffer, 0, header)
            .sendRequestId(sendRequestId).receiveRequestId(receiveRequestId).address(address).remoteKey(remoteKey)
            .length(length).credits(credits);
        return MessageHeaderEncoder.ENCODED_LENGTH + clearToSend.encodedLength();
    }

    int finish(final long requestId, final CompletionCode code, final int credits)
    {
        finish.wrapAndApplyHeader(buffer, 0, header).requestId(requestId).code(code).credits(credits);
        return MessageHeaderEncoder.ENCODED_LENGTH + finish.encodedLength();
    }

    int credit(final int credits)
    {
        credit.wrapAndApplyHeader(buffer, 0, header).credits(credits);
        return MessageHeaderEncoder.ENCODED_LENGTH + credit.encodedLength();
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
