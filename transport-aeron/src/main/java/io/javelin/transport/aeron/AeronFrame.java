package io.javelin.transport.aeron;

/**
 * Wire layout of the Aeron transport's messages. Each is one Aeron message on the publication from one
 * rank to another (Aeron fragments and orders them); integers are little-endian. Every message but DATA
 * starts with the same 8 bytes:
 *
 * <pre>
 *  0       1       2       3       4                               8
 *  +-------+-------+-------+-------+-------------------------------+
 *  | type  | flags |padding| res.=0| int32 (meaning per type)      |
 *  +-------+-------+-------+-------+-------------------------------+
 * </pre>
 *
 * The first {@link #RESERVED_VALUE_BYTES} bytes of a message travel in the reserved value of Aeron's data header (of
 * the first fragment, if Aeron fragments the message), the header's last field: in the term they lie just before
 * the frame's body, so the receiver reads the message whole in place, and Aeron's 32-byte header costs a small
 * message only 24 bytes of its cache line.
 *
 * <p>{@code padding}: bytes at the end of the message that are not part of it. The sender pads a frame so that it
 * ends on a 64-byte boundary of the term, and so the next one starts on one: a small message is then one cache
 * line for the receiving core to pull, not the ends of two.
 *
 * <pre>
 *  HELLO          int32 = version; @8 job secret, @16 rank (int32), @20 job size (int32), then
 *                 the sender's address: @24 its length (int16), @26 its bytes
 *  ACCEPT         int32 = rank of the sender: your HELLO was accepted, post away
 *  REFUSE         int32 = reason (REFUSED_*); @8 rank of the sender: your HELLO was refused
 *  BYE            int32 = rank of the sender: it is closing
 *  DATA           only 4 bytes of prefix (type, flags = 0, padding, reserved = 0), then the two-sided message (header
 *                 bytes + payload bytes): with the 24 bytes of Aeron's frame header before the reserved value and
 *                 the engine's 20-byte Eager header, a message of up to 16 bytes is one 64-byte frame, one cache
 *                 line to move between cores, and one of up to 80 bytes two
 *  WRITE          @8 rkey, @16 address, @24 length, @32 id (int64 each); then the first bytes
 *  READ_REQUEST   @8 rkey, @16 address, @24 length, @32 id
 *  GRANT_REQUEST  flags = access wanted (MemoryRegion.REMOTE_READ or REMOTE_WRITE); then as READ_REQUEST:
 *                 may I copy that span myself (cross-memory attach)?
 *  CONTINUE       then the next bytes of the WRITE or READ_RESPONSE being streamed
 *  WRITE_ACK      int32 = status; @8 id
 *  READ_RESPONSE  int32 = status; @8 id, @16 length; then the first bytes (none unless status is OK)
 *  GRANT          int32 = status; @8 id: OK means the span was checked and the requester may copy it
 * </pre>
 *
 * <p>The first message on a publication is HELLO (or REFUSE); a rank posts only after the peer's ACCEPT.
 * A WRITE or READ_RESPONSE longer than one frame continues in CONTINUE messages, each one unfragmented
 * frame, which nothing else interleaves; the receiver copies every frame straight from the term buffer
 * into the registered memory it is meant for. Replies (WRITE_ACK, READ_RESPONSE, GRANT) travel back on the
 * peer's publication in the order of the requests, so {@code id} must match the oldest request awaiting one.
 */
final class AeronFrame
{
    static final byte TYPE_HELLO = 1;
    static final byte TYPE_ACCEPT = 2;
    static final byte TYPE_REFUSE = 3;
    static final byte TYPE_BYE = 4;
    static final byte TYPE_DATA = 5;
    static final byte TYPE_WRITE = 6;
    static final byte TYPE_READ_REQUEST = 7;
    static final byte TYPE_GRANT_REQUEST = 8;
    static final byte TYPE_CONTINUE = 9;
    static final byte TYPE_WRITE_ACK = 10;
    static final byte TYPE_READ_RESPONSE = 11;
    static final byte TYPE_GRANT = 12;

    static final int TYPE_OFFSET = 0;
    static final int FLAGS_OFFSET = 1;
    static final int PADDING_OFFSET = 2;
    /** What the sender aligns frame ends to. */
    static final int CACHE_LINE_BYTES = 64;
    static final int INT_FIELD_OFFSET = 4;
    static final int PREFIX_LENGTH = 8;
    /** Bytes of a message carried in the reserved value of Aeron's data header (a shorter one is padded). */
    static final int RESERVED_VALUE_BYTES = 8;
    /** The prefix of a DATA message: type, flags, padding and a reserved byte. */
    static final int DATA_PREFIX_LENGTH = 4;

    static final int HELLO_SECRET_OFFSET = 8;
    static final int HELLO_RANK_OFFSET = 16;
    static final int HELLO_JOB_SIZE_OFFSET = 20;
    static final int HELLO_ADDRESS_LENGTH_OFFSET = 24;
    static final int HELLO_ADDRESS_OFFSET = 26;
    static final int HELLO_VERSION = 1;

    static final int REFUSE_RANK_OFFSET = 8;
    static final int REFUSE_LENGTH = 12;

    static final int RMA_KEY_OFFSET = 8;
    static final int RMA_ADDRESS_OFFSET = 16;
    static final int RMA_LENGTH_OFFSET = 24;
    static final int RMA_ID_OFFSET = 32;
    static final int RMA_REQUEST_LENGTH = 40;

    static final int REPLY_ID_OFFSET = 8;
    static final int WRITE_ACK_LENGTH = 16;
    static final int GRANT_LENGTH = 16;
    static final int READ_RESPONSE_LENGTH_OFFSET = 16;
    static final int READ_RESPONSE_HEADER_LENGTH = 24;

    static final int REFUSED_SECRET = 1;
    static final int REFUSED_JOB = 2;
    static final int REFUSED_VERSION = 3;

    private AeronFrame()
    {
    }

    static String refusal(final int reason)
    {
        return switch (reason)
        {
            case REFUSED_SECRET -> "job secret mismatch (the peer belongs to another job or was started with " +
                "another secret: start all ranks from the same launch)";
            case REFUSED_JOB -> "rank or job size mismatch (the peer runs a job of another size)";
            case REFUSED_VERSION -> "protocol version mismatch (run the same Javelin version on every rank)";
            default -> "unknown refusal " + reason;
        };
    }

    static String typeName(final int type)
    {
        return switch (type)
        {
            case TYPE_HELLO -> "HELLO";
            case TYPE_ACCEPT -> "ACCEPT";
            case TYPE_REFUSE -> "REFUSE";
            case TYPE_BYE -> "BYE";
            case TYPE_DATA -> "DATA";
            case TYPE_WRITE -> "WRITE";
            case TYPE_READ_REQUEST -> "READ_REQUEST";
            case TYPE_GRANT_REQUEST -> "GRANT_REQUEST";
            case TYPE_CONTINUE -> "CONTINUE";
            case TYPE_WRITE_ACK -> "WRITE_ACK";
            case TYPE_READ_RESPONSE -> "READ_RESPONSE";
            case TYPE_GRANT -> "GRANT";
            default -> "unknown type " + type;
        };
    }
}
