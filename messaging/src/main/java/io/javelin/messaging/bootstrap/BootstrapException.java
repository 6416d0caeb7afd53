package io.javelin.messaging.bootstrap;

/**
 * The bootstrap exchange failed or timed out; the message says what was awaited from whom.
 */
public class BootstrapException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and how to fix it.
     */
    public BootstrapException(final String message)
    {
        super(message);
    }

    /**
     * @param message what failed and how to fix it.
     * @param cause   underlying error.
     */
    public BootstrapException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
