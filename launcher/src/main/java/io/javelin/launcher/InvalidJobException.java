package io.javelin.launcher;

/**
 * The user asked for a job that cannot run (bad option value, missing class or jar); the message names
 * the fix. {@link Main} prints it and exits with code 2, as for a command-line syntax error.
 */
final class InvalidJobException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    InvalidJobException(final String message)
    {
        super(message);
    }
}
