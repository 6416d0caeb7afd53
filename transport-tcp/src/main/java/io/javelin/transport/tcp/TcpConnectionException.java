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

    TcpConnectionException(final String message)
    {
        super(message);
    }
}
