package io.javelin.transport;

/**
 * A transport could not be set up or used. The message names the cause and the fix.
 */
public class TransportException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message cause and fix.
     */
    public TransportException(final String message)
    {
        super(message);
    }

    /**
     * @param message cause and fix.
     * @param cause   underlying error.
     */
    public TransportException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
