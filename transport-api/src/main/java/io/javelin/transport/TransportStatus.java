package io.javelin.transport;

/**
 * Return codes of posts and completion codes. Non-negative is success; no exceptions on the data path.
 */
public final class TransportStatus
{
    /** Accepted (post) or done (completion). */
    public static final int OK = 0;
    /** Not accepted: resources are busy; nothing happened, try again after {@link Transport#progress()}. */
    public static final int BACK_PRESSURED = -1;
    /** Not accepted or not done: an argument is invalid (length, offset, unregistered memory). */
    public static final int INVALID_ARGUMENT = -2;
    /** The peer refused a one-sided operation: unknown remote key, or the span lies outside the region. */
    public static final int REMOTE_ACCESS_ERROR = -3;
    /** The connection to the peer failed; the operation may or may not have reached it. */
    public static final int PEER_FAILED = -4;
    /** The transport was closed while the operation was in flight. */
    public static final int CANCELLED = -5;
    /** The transport is closed. */
    public static final int CLOSED = -6;

    private TransportStatus()
    {
    }

    /**
     * @param status a status code.
     * @return its name, for messages.
     */
    public static String name(final int status)
    {
        return switch (status)
        {
            case OK -> "OK";
            case BACK_PRESSURED -> "BACK_PRESSURED";
            case INVALID_ARGUMENT -> "INVALID_ARGUMENT";
            case REMOTE_ACCESS_ERROR -> "REMOTE_ACCESS_ERROR";
            case PEER_FAILED -> "PEER_FAILED";
            case CANCELLED -> "CANCELLED";
            case CLOSED -> "CLOSED";
            default -> "UNKNOWN(" + status + ")";
        };
    }
}
