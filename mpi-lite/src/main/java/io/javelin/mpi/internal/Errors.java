package io.javelin.mpi.internal;

import io.javelin.messaging.CompletionError;
import io.javelin.mpi.ErrorClass;
import io.javelin.mpi.JavelinException;

/**
 * Maps engine errors to the public error classes.
 */
public final class Errors
{
    private Errors()
    {
    }

    /**
     * @param error   engine error.
     * @param message what happened.
     * @return the exception to throw.
     */
    public static JavelinException toException(final CompletionError error, final String message)
    {
        final ErrorClass errorClass = switch (error)
        {
            case TRUNCATE -> ErrorClass.TRUNCATE;
            case PEER_FAILED -> ErrorClass.PEER_FAILED;
            case INVALID_ARGUMENT -> ErrorClass.INVALID_ARGUMENT;
            case TRANSPORT, CANCELLED -> ErrorClass.TRANSPORT;
            case NONE -> ErrorClass.INTERNAL;
        };
        return new JavelinException(errorClass, message);
    }

    /**
     * @param message what is wrong and how to fix it.
     * @return an INVALID_ARGUMENT exception.
     */
    public static JavelinException invalid(final String message)
    {
        return new JavelinException(ErrorClass.INVALID_ARGUMENT, message);
    }
}
