package io.javelin.messaging;

/**
 * Why a request failed; {@link #NONE} when it succeeded. The public API maps each to an error class.
 */
public enum CompletionError
{
    /** Success. */
    NONE,
    /** The message was longer than the receive buffer; the buffer holds its first bytes. */
    TRUNCATE,
    /** A peer involved failed or left. */
    PEER_FAILED,
    /** The transport reported an error (including a peer refusing a one-sided access). */
    TRANSPORT,
    /** The engine was closed before the request completed. */
    CANCELLED,
    /** An argument was invalid (detected after posting, e.g. by the transport). */
    INVALID_ARGUMENT
}
