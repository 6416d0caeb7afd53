package io.javelin.transport.tcp;

import java.io.IOException;

/**
 * A connection failed for a reason this transport phrased itself: a corrupt frame, a refused or timed-out
 * handshake, the peer closing the socket. The message is the reason reported to the user; the connection
 * is closed.
 */
final class TcpConnectionException extends IOException
{
    private static final long serialVersionUID = 1L;

    /** The peer closed the socket between frames: the usual end of a job, not worth a warning. */
    final boolean orderly;

    TcpConnectionException(final String message)
    {
        this(message, false);
    }

    TcpConnectionException(final String message, final boolean orderly)
    {
        super(message);
        this.orderly = orderly;
    }
}
