package io.javelin.launcher.compare;

/**
 * A comparison cannot go on: a tool is missing, a program failed to build, or a run failed. The message says
 * what happened and how to fix it.
 */
public final class CompareException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened and the fix.
     */
    public CompareException(final String message)
    {
        super(message);
    }

    /**
     * @param message what happened and the fix.
     * @param cause   the underlying failure.
     */
    public CompareException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
