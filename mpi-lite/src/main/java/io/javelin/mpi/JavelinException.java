package io.javelin.mpi;

/**
 * Every failure of the public API: unchecked, with an {@link ErrorClass} and a message that names the fix.
 */
public class JavelinException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final ErrorClass errorClass;

    /**
     * @param errorClass what kind of failure.
     * @param message    what happened and how to fix it.
     */
    public JavelinException(final ErrorClass errorClass, final String message)
    {
        super(message);
        this.errorClass = errorClass;
    }

    /**
     * @param errorClass what kind of failure.
     * @param message    what happened and how to fix it.
     * @param cause      underlying error.
     */
    public JavelinException(final ErrorClass errorClass, final String message, final Throwable cause)
    {
        super(message, cause);
        this.errorClass = errorClass;
    }

    /**
     * @return what kind of failure this is.
     */
    public ErrorClass errorClass()
    {
        return errorClass;
    }

    @Override
    public String getMessage()
    {
        return errorClass + ": " + super.getMessage();
    }
}
