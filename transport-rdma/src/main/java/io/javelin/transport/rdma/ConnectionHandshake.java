package io.javelin.transport.rdma;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The private data of RDMA CM connect requests, accepts and rejects (at most 56 bytes in a request). A
 * request and an accept carry who the sender is, the job secret, and where the peer writes credit updates:
 * <pre>
 *   0  magic 'JVRD'   4  version (u16)   6  kind (u16)   8  rank   12  job size   16  job secret (8)
 *   24 credit word address (8)   32 credit word rkey   36 receive depth   40 buffer bytes     (44 bytes)
 * </pre>
 * A reject carries magic, version, kind REJECT, the reason at 8 and the rejecting rank at 12.
 */
final class ConnectionHandshake
{
    static final int MAGIC = 0x4A565244;
    static final short VERSION = 1;
    static final short KIND_REQUEST = 1;
    static final short KIND_ACCEPT = 2;
    static final short KIND_REJECT = 3;
    static final int LENGTH = 44;
    static final int REJECT_LENGTH = 16;

    /** The request's job secret differs from ours. */
    static final int REASON_SECRET = 1;
    /** Both ranks connected at once; the lower rank's connection wins, the higher rank waits for it. */
    static final int REASON_CROSSED = 2;
    /** The request names a rank outside the job or this rank itself. */
    static final int REASON_BAD_RANK = 3;
    /** This rank already has a connection to the requester, or is closing. */
    static final int REASON_DUPLICATE = 4;
    /** This rank could not set up the queue pair. */
    static final int REASON_RESOURCES = 5;

    short kind;
    int rank;
    int jobSize;
    long jobSecret;
    long creditAddress;
    int creditRkey;
    int receiveDepth;
    int bufferBytes;
    int reason;

    byte[] encode()
    {
        final ByteBuffer buffer = ByteBuffer.allocate(KIND_REJECT == kind ? REJECT_LENGTH : LENGTH)
            .order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(MAGIC).putShort(VERSION).putShort(kind);
        if (KIND_REJECT == kind)
        {
            buffer.putInt(reason).putInt(rank);
        }
        else
        {
            buffer.putInt(rank).putInt(jobSize).putLong(jobSecret).putLong(creditAddress).putInt(creditRkey)
                .putInt(receiveDepth).putInt(bufferBytes);
        }
        return buffer.array();
    }

    /**
     * @return null when the bytes are a handshake of this version, else what is wrong with them.
     */
    String decode(final byte[] bytes)
    {
        if (bytes.length < REJECT_LENGTH)
        {
            return "no Javelin handshake (" + bytes.length + " bytes of private data)";
        }
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (MAGIC != buffer.getInt() || VERSION != buffer.getShort())
        {
            return "no Javelin handshake of version " + VERSION + " (another program, or another Javelin version)";
        }
        kind = buffer.getShort();
        if (KIND_REJECT == kind)
        {
            reason = buffer.getInt();
            rank = buffer.getInt();
            return null;
        }
        if ((KIND_REQUEST != kind && KIND_ACCEPT != kind) || bytes.length < LENGTH)
        {
            return "a handshake of unknown kind " + kind + " or length " + bytes.length;
        }
        rank = buffer.getInt();
        jobSize = buffer.getInt();
        jobSecret = buffer.getLong();
        creditAddress = buffer.getLong();
        creditRkey = buffer.getInt();
        receiveDepth = buffer.getInt();
        bufferBytes = buffer.getInt();
        return null;
    }

    static String reasonText(final int reason)
    {
        return switch (reason)
        {
            case REASON_SECRET -> "its job secret differs (a rank of another job, or a stale address?)";
            case REASON_CROSSED -> "both ranks connected at once";
            case REASON_BAD_RANK -> "the rank is not part of its job";
            case REASON_DUPLICATE -> "it already has a connection to this rank, or it is closing";
            case REASON_RESOURCES -> "it could not create a queue pair (see its log)";
            default -> "reason " + reason;
        };
    }
}
