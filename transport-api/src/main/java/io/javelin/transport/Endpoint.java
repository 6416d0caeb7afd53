package io.javelin.transport;

import java.lang.foreign.MemorySegment;

/**
 * A peer as seen by one transport: the target of two-sided sends and one-sided reads and writes.
 *
 * <p>Every post returns {@link TransportStatus#OK} when the operation was accepted (it will complete
 * through {@link TransportListener#onCompletion(long, int)}), or a negative status when it was not
 * accepted and nothing happened. The memory an operation names must stay valid and unchanged (for
 * sends and writes) until its completion.
 */
public interface Endpoint
{
    /**
     * The cookie of a send that wants no completion: allowed only where {@link #sendCopiesPayload()} is true,
     * and then the send is done when {@link #send} returns {@link TransportStatus#OK}.
     */
    long NO_COMPLETION = -1L;

    /**
     * @return the peer's rank in the job.
     */
    int peerId();

    /**
     * Whether {@link #send} copies the payload as well as the header before it returns (shared-memory
     * transports copy both into the peer's ring), so that its memory may be reused at once and the caller may
     * pass {@link #NO_COMPLETION}: a small send then costs no completion event and no lookup of its request.
     *
     * @return false unless the transport says so.
     */
    default boolean sendCopiesPayload()
    {
        return false;
    }

    /**
     * Posts a two-sided send, delivered to the peer as one message: the header bytes then the payload
     * bytes. Messages on one endpoint arrive in the order they were posted.
     *
     * @param header         header bytes, starting at offset 0; copied before this call returns.
     * @param headerLength   bytes of header, at most {@link TransportCapabilities#maxHeaderBytes()}.
     * @param payload        payload memory (heap or native); must stay unchanged until completion.
     * @param payloadOffset  byte offset of the payload in {@code payload}.
     * @param payloadLength  bytes of payload; header plus payload at most
     *                       {@link TransportCapabilities#maxMessageBytes()}.
     * @param cookie         passed back with the completion; {@link #NO_COMPLETION} for none (see
     *                       {@link #sendCopiesPayload()}).
     * @return a {@link TransportStatus} code.
     */
    int send(MemorySegment header, int headerLength, MemorySegment payload, long payloadOffset, long payloadLength,
        long cookie);

    /**
     * Posts a one-sided write of local registered memory into the peer's registered memory. Completes
     * when the data is in the peer's memory (or the peer refused it: bad key or bounds).
     *
     * @return a {@link TransportStatus} code.
     */
    int write(MemoryRegion local, long localOffset, long remoteAddress, long remoteKey, long length, long cookie);

    /**
     * Posts a one-sided read of the peer's registered memory into local registered memory. Completes
     * when the data is in local memory (or the peer refused it: bad key or bounds).
     *
     * @return a {@link TransportStatus} code.
     */
    int read(MemoryRegion local, long localOffset, long remoteAddress, long remoteKey, long length, long cookie);
}
