package io.javelin.mpi;

/**
 * What kind of failure a {@link JavelinException} reports.
 */
public enum ErrorClass
{
    /** A bad rank, tag, buffer or option, detected at the call. */
    INVALID_ARGUMENT,
    /** A message was longer than the receive buffer; the buffer holds its first bytes. */
    TRUNCATE,
    /** A peer the operation involves failed or left the job. */
    PEER_FAILED,
    /** A time limit expired. */
    TIMEOUT,
    /** The transport failed (set-up, connection, protocol). */
    TRANSPORT,
    /** A bug in Javelin. */
    INTERNAL
}
