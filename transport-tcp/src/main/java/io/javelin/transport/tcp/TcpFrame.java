package io.javelin.transport.tcp;

/**
 * Wire layout of the TCP transport's frames and of the connection handshake. All integers are
 * little-endian. Every frame starts with the same 8 bytes:
 *
 * <pre>
 *  0       1       2               4                               8
 *  +-------+-------+---------------+-------------------------------+
 *  | type  | flags |  reserved = 0 | int32 (meaning per type)      |
 *  +-------+-------+---------------+-------------------------------+
 * </pre>
 *
 * <pre>
 *  DATA          (8 B)  int32 = message length; then the message (header bytes + payload bytes)
 *  WRITE         (40 B) int32 = 0; @8 rkey, @16 address, @24 length, @32 id (int64 each); then length bytes
 *  READ_REQUEST  (40 B) int32 = 0; @8 rkey, @16 address, @24 length, @32 id
 *  WRITE_ACK     (16 B) int32 = status; @8 id
 *  READ_RESPONSE (24 B) int32 = status; @8 id, @16 length; then length bytes (0 unless status is OK)
 * </pre>
 *
 * <p>One socket joins each pair of ranks and carries frames both ways. Requests (DATA, WRITE,
 * READ_REQUEST) keep their order. Replies (WRITE_ACK, READ_RESPONSE) come in the order of the requests
 * they answer, so {@code id} (the requester's sequence number) must match its oldest request awaiting a
 * reply. A long READ_RESPONSE is split into frames flagged {@link #FLAG_MORE} except the last, so that
 * the responder's own requests can travel between them. The flags byte is 0 in every other frame.
 *
 * <p>Handshake: the connecting rank sends a 24-byte hello, the accepting rank answers one status byte
 * ({@code HANDSHAKE_*}) and closes the socket unless it is {@link #HANDSHAKE_ACCEPTED}. When two ranks
 * connect to each other at once, the socket opened by the lower rank wins: the higher rank's attempt is
 * answered {@link #HANDSHAKE_LOST_RACE}, and its queued frames move to the winning socket.
 *
 * <pre>
 *  0               4       6       8               12              16                              24
 *  +---------------+-------+-------+---------------+---------------+-------------------------------+
 *  | magic "JVTC"  |version| 0     | rank          | job size      | job secret                    |
 *  +---------------+-------+-------+---------------+---------------+-------------------------------+
 * </pre>
 */
final class TcpFrame
{
    static final byte TYPE_DATA = 1;
    static final byte TYPE_WRITE = 2;
    static final byte TYPE_READ_REQUEST = 3;
    static final byte TYPE_WRITE_ACK = 4;
    static final byte TYPE_READ_RESPONSE = 5;

    static final int TYPE_OFFSET = 0;
    static final int FLAGS_OFFSET = 1;
    static final int RESERVED_OFFSET = 2;
    static final int INT_FIELD_OFFSET = 4;
    static final int PREFIX_LENGTH = 8;
    /** READ_RESPONSE flag: more frames of this response follow. */
    static final byte FLAG_MORE = 1;

    static final int DATA_HEADER_LENGTH = 8;

    static final int RMA_KEY_OFFSET = 8;
    static final int RMA_ADDRESS_OFFSET = 16;
    static final int RMA_LENGTH_OFFSET = 24;
    static final int RMA_ID_OFFSET = 32;
    static final int RMA_REQUEST_HEADER_LENGTH = 40;

    static final int REPLY_ID_OFFSET = 8;
    static final int WRITE_ACK_LENGTH = 16;
    static final int READ_RESPONSE_LENGTH_OFFSET = 16;
    static final int READ_RESPONSE_HEADER_LENGTH = 24;

    static final int MAX_HEADER_LENGTH = RMA_REQUEST_HEADER_LENGTH;

    static final int HANDSHAKE_MAGIC = 0x4354564A; // "JVTC" read as little-endian
    static final short HANDSHAKE_VERSION = 1;
    static final int HELLO_MAGIC_OFFSET = 0;
    static final int HELLO_VERSION_OFFSET = 4;
    static final int HELLO_RANK_OFFSET = 8;
    static final int HELLO_JOB_SIZE_OFFSET = 12;
    static final int HELLO_SECRET_OFFSET = 16;
    static final int HELLO_LENGTH = 24;

    static final byte HANDSHAKE_ACCEPTED = 0;
    static final byte HANDSHAKE_BAD_PROTOCOL = 1;
    static final byte HANDSHAKE_SECRET_MISMATCH = 2;
    static final byte HANDSHAKE_BAD_RANK = 3;
    static final byte HANDSHAKE_DUPLICATE = 4;
    static final byte HANDSHAKE_LOST_RACE = 5;
    static final byte HANDSHAKE_PEER_FAILED = 6;

    private TcpFrame()
    {
    }

    /**
     * @param type a frame type byte.
     * @return the fixed header length of that type, or -1 when the type is unknown.
     */
    static int headerLength(final int type)
    {
        return switch (type)
        {
            case TYPE_DATA -> DATA_HEADER_LENGTH;
            case TYPE_WRITE, TYPE_READ_REQUEST -> RMA_REQUEST_HEADER_LENGTH;
            case TYPE_WRITE_ACK -> WRITE_ACK_LENGTH;
            case TYPE_READ_RESPONSE -> READ_RESPONSE_HEADER_LENGTH;
            default -> -1;
        };
    }

    static String typeName(final int type)
    {
        return switch (type)
        {
            case TYPE_DATA -> "DATA";
            case TYPE_WRITE -> "WRITE";
            case TYPE_READ_REQUEST -> "READ_REQUEST";
            case TYPE_WRITE_ACK -> "WRITE_ACK";
            case TYPE_READ_RESPONSE -> "READ_RESPONSE";
            default -> "unknown type " + type;
        };
    }

    static String handshakeRefusal(final int code)
    {
        return switch (code)
        {
            case HANDSHAKE_BAD_PROTOCOL -> "protocol magic or version mismatch (is a Javelin TCP transport of the " +
                "same version listening there?)";
            case HANDSHAKE_SECRET_MISMATCH -> "job secret mismatch (the peer belongs to another job or was " +
                "started with another secret: start all ranks from the same launch)";
            case HANDSHAKE_BAD_RANK -> "rank or job size mismatch (the peer runs a job of another size)";
            case HANDSHAKE_DUPLICATE -> "a connection from this rank already exists";
            case HANDSHAKE_LOST_RACE -> "both ranks connected at once and the other connection is used";
            case HANDSHAKE_PEER_FAILED -> "it has already declared this rank failed";
            default -> "unknown handshake reply " + code;
        };
    }
}
