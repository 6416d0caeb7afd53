package io.javelin.transport;

import java.lang.foreign.MemorySegment;

/**
 * Receives what a transport delivers. Called only from inside {@link Transport#progress()}, on the
 * progress thread. Implementations must not call {@link Transport#progress()} re-entrantly; they may post.
 */
public interface TransportListener
{
    /**
     * A two-sided message arrived.
     *
     * @param source the endpoint of the peer that sent it.
     * @param buffer memory holding the message; valid only during this call.
     * @param offset where the message starts in {@code buffer}.
     * @param length message bytes (header plus payload as sent).
     */
    void onMessage(Endpoint source, MemorySegment buffer, long offset, int length);

    /**
     * A posted operation completed.
     *
     * @param cookie the cookie given at post.
     * @param status {@link TransportStatus#OK} or a negative error code.
     */
    void onCompletion(long cookie, int status);

    /**
     * The connection to a peer failed: every operation in flight to it has completed with an error or
     * will do so, and further posts to it fail.
     *
     * @param endpoint the peer.
     * @param reason   what happened, for the user.
     */
    void onPeerFailure(Endpoint endpoint, String reason);
}
