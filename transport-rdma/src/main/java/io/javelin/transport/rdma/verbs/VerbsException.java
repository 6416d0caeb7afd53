package io.javelin.transport.rdma.verbs;

import io.javelin.transport.TransportException;

/**
 * A verbs or RDMA CM call failed. The message names the call, the error number with its text, and the fix.
 */
public final class VerbsException extends TransportException
{
    private static final long serialVersionUID = 1L;

    /** The errno of the failed call, or 0 when there was none. */
    private final int errno;

    /**
     * @param message what failed and what to do.
     * @param errno   the error number (0 if none).
     */
    public VerbsException(final String message, final int errno)
    {
        super(message);
        this.errno = errno;
    }

    /**
     * @return the error number of the failed call, or 0.
     */
    public int errno()
    {
        return errno;
    }

    /**
     * @param call  the C function that failed, e.g. {@code "ibv_reg_mr"}.
     * @param errno its error number.
     * @param fix   what the user can do, or an empty string.
     * @return the exception, with the message {@code "<call> failed: <strerror> (errno N)[: fix]"}.
     */
    public static VerbsException of(final String call, final int errno, final String fix)
    {
        return new VerbsException(call + " failed: " + NativeAccess.strerror(errno) + " (errno " + errno + ")" +
            (fix.isEmpty() ? "" : "; " + fix), errno);
    }
}
