package io.javelin.messaging;

import io.javelin.transport.Endpoint;

import java.util.ArrayDeque;

/**
 * What the engine knows about one other rank: its endpoint, flow-control credits in both directions,
 * sequence numbers, and the sends waiting for credits or for the transport.
 */
final class Peer
{
    final int rank;
    final Endpoint endpoint;
    /** {@link Endpoint#sendCopiesPayload()}, asked once: eager sends and control frames then need no completion. */
    final boolean sendCopiesPayload;
    /** Eager messages (and RTS) this rank may still send to the peer before it returns credits. */
    int sendCredits;
    /** Messages from the peer consumed here whose credits have not been returned yet. */
    int creditsToReturn;
    int nextSendSequence;
    int expectedSequence;
    boolean helloSent;
    /** Non-null once the peer failed: why. */
    String failure;
    /** Sends in order, waiting for credits or transport space; the head goes first. */
    final ArrayDeque<SendRequest> dataQueue = new ArrayDeque<>();
    /** Rendezvous reads (receives) and writes (sends) the transport was too busy to take; retried in order. */
    final ArrayDeque<MessageRequest> rmaQueue = new ArrayDeque<>();
    /** Encoded control frames the transport could not take yet (rare). */
    final ArrayDeque<byte[]> controlQueue = new ArrayDeque<>();
    boolean pending;

    Peer(final int rank, final Endpoint endpoint, final int credits)
    {
        this.rank = rank;
        this.endpoint = endpoint;
        this.sendCopiesPayload = endpoint.sendCopiesPayload();
        this.sendCredits = credits;
    }

    boolean hasQueuedWork()
    {
        return !dataQueue.isEmpty() || !controlQueue.isEmpty() || !rmaQueue.isEmpty();
    }
}
