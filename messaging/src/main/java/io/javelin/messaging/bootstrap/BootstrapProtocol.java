package io.javelin.messaging.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The wire protocol between a rank ({@link LauncherBootstrap}) and the launcher's bootstrap server: frame
 * layout, message types and their encoders. Both sides use this class, so they cannot disagree.
 *
 * <p>It is a plain blocking protocol on one TCP connection per rank, used only at start-up; it is not SBE
 * because it is not on any data path and must stay readable without generated code.
 *
 * <pre>
 * Frame (big-endian, as java.io.DataOutputStream writes):
 *   0               4      5
 *   +---------------+------+----------------------------------+
 *   | length: int   | type | body: length - 1 bytes           |
 *   +---------------+------+----------------------------------+
 *   1 &lt;= length &lt;= MAX_FRAME_BYTES; str = int length + UTF-8 bytes; bytes = int length + bytes.
 *
 * rank -&gt; server                                   server -&gt; rank
 *                                                  GREETING      text:str, first, only if the server has one
 *   HELLO  magic:int version:int rank:int            WELCOME       (empty)
 *          size:int secret:long                      REFUSED       reason:str, then the server closes
 *   PUT    key:str value:bytes                       FENCE_DONE    count:int (key:str value:bytes)*
 *   FENCE  timeoutMs:long                            FENCE_FAILED  reason:str
 *   ABORT  exitCode:int reason:str
 *   BYE    (empty), then the rank closes
 * </pre>
 *
 * <p>A fence is answered with every key-value pair put by any rank since the previous fence (FENCE_DONE),
 * rather than each rank fetching values with GET round trips: wire-up needs every rank's address at every
 * rank, which would cost N round trips per rank (N squared in all) through one server, against one reply
 * per rank here. The rank keeps the pairs and answers {@code get} locally. The rank sends its time limit
 * with FENCE so that the server, which knows who is missing, can say so when the limit expires.
 */
public final class BootstrapProtocol
{
    /** "JVLN": first field of HELLO, so that a stray connection is recognised at once. */
    public static final int MAGIC = 0x4A564C4E;
    /** Bumped on every incompatible change. */
    public static final int VERSION = 1;
    /** Largest frame either side accepts (a FENCE_DONE carries every pair of one fence). */
    public static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;
    /** Longest key in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 4096;

    /**
     * Start of the REFUSED reason for a wrong job secret: the server belongs to another job, so a rank
     * searching for its own server ({@link SlurmBootstrap}) tries the next port.
     */
    public static final String WRONG_SECRET_REFUSAL = "wrong job secret";

    /** rank -> server: who I am and the job secret. */
    public static final byte HELLO = 1;
    /** rank -> server: publish a value. */
    public static final byte PUT = 2;
    /** rank -> server: wait for every rank. */
    public static final byte FENCE = 3;
    /** rank -> server: this rank aborts the job. */
    public static final byte ABORT = 4;
    /** rank -> server: this rank leaves the exchange. */
    public static final byte BYE = 5;
    /** server -> rank: hello accepted. */
    public static final byte WELCOME = 16;
    /** server -> rank: hello refused. */
    public static final byte REFUSED = 17;
    /** server -> rank: every rank arrived at the fence. */
    public static final byte FENCE_DONE = 18;
    /** server -> rank: the fence cannot complete (time-out, a rank left, the job aborted). */
    public static final byte FENCE_FAILED = 19;
    /**
     * server -> rank, first frame on every connection, only from a server started with a greeting: text the
     * rank needs before its HELLO (under plain srun, the munge credential that carries the job secret).
     */
    public static final byte GREETING = 20;

    private BootstrapProtocol()
    {
    }

    /**
     * @param type a message type.
     * @return its name, for error messages.
     */
    public static String typeName(final byte type)
    {
        return switch (type)
        {
            case HELLO -> "HELLO";
            case PUT -> "PUT";
            case FENCE -> "FENCE";
            case ABORT -> "ABORT";
            case BYE -> "BYE";
            case WELCOME -> "WELCOME";
            case REFUSED -> "REFUSED";
            case FENCE_DONE -> "FENCE_DONE";
            case FENCE_FAILED -> "FENCE_FAILED";
            case GREETING -> "GREETING";
            default -> "unknown type " + type;
        };
    }

    /**
     * @param rank   the rank.
     * @param size   the job size the rank believes in.
     * @param secret the job secret.
     * @return the encoded frame.
     */
    public static byte[] encodeHello(final int rank, final int size, final long secret)
    {
        final FrameBuilder frame = new FrameBuilder(HELLO);
        frame.putInt(MAGIC).putInt(VERSION).putInt(rank).putInt(size).putLong(secret);
        return frame.toBytes();
    }

    /**
     * @param key   the key.
     * @param value the value.
     * @return the encoded frame.
     */
    public static byte[] encodePut(final String key, final byte[] value)
    {
        return new FrameBuilder(PUT).putString(key).putBytes(value).toBytes();
    }

    /**
     * @param timeoutMs how long the rank will wait.
     * @return the encoded frame.
     */
    public static byte[] encodeFence(final long timeoutMs)
    {
        return new FrameBuilder(FENCE).putLong(timeoutMs).toBytes();
    }

    /**
     * @param exitCode the exit code the job should report.
     * @param reason   what happened.
     * @return the encoded frame.
     */
    public static byte[] encodeAbort(final int exitCode, final String reason)
    {
        return new FrameBuilder(ABORT).putInt(exitCode).putString(reason).toBytes();
    }

    /**
     * @param type a message type without a body (BYE, WELCOME).
     * @return the encoded frame.
     */
    public static byte[] encodeEmpty(final byte type)
    {
        return new FrameBuilder(type).toBytes();
    }

    /**
     * @param type   REFUSED or FENCE_FAILED.
     * @param reason why.
     * @return the encoded frame.
     */
    public static byte[] encodeReason(final byte type, final String reason)
    {
        return new FrameBuilder(type).putString(reason).toBytes();
    }

    /**
     * @param pairs every pair put since the previous fence.
     * @return the encoded frame.
     */
    public static byte[] encodeFenceDone(final Map<String, byte[]> pairs)
    {
        final FrameBuilder frame = new FrameBuilder(FENCE_DONE).putInt(pairs.size());
        for (final Map.Entry<String, byte[]> pair : pairs.entrySet())
        {
            frame.putString(pair.getKey()).putBytes(pair.getValue());
        }
        return frame.toBytes();
    }

    /**
     * Reads one frame.
     *
     * @param in the stream.
     * @return the frame, or null at a clean end of stream (between frames).
     * @throws IOException           when the stream fails or ends inside a frame.
     * @throws BootstrapException    when the length field is out of range.
     */
    public static BootstrapFrame readFrame(final InputStream in) throws IOException
    {
        final int b0 = in.read();
        if (b0 < 0)
        {
            return null;
        }
        final DataInputStream data = new DataInputStream(in);
        final int length = (b0 << 24) | (data.readUnsignedByte() << 16) | (data.readUnsignedShort());
        if (length < 1 || length > MAX_FRAME_BYTES)
        {
            throw new BootstrapException("bootstrap frame length " + length + " outside 1.." + MAX_FRAME_BYTES +
                ": the peer does not speak the Javelin bootstrap protocol v" + VERSION);
        }
        final byte[] frame = new byte[length];
        try
        {
            data.readFully(frame);
        }
        catch (final EOFException ex)
        {
            throw new EOFException("connection closed inside a bootstrap frame of " + length + " bytes");
        }
        return new BootstrapFrame(frame);
    }

    /**
     * Builds one frame in memory so that it is written with a single call.
     */
    private static final class FrameBuilder
    {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        private final DataOutputStream out = new DataOutputStream(bytes);

        FrameBuilder(final byte type)
        {
            putInt(0);
            bytes.write(type);
        }

        FrameBuilder putInt(final int value)
        {
            try
            {
                out.writeInt(value);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            return this;
        }

        FrameBuilder putLong(final long value)
        {
            try
            {
                out.writeLong(value);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            return this;
        }

        FrameBuilder putString(final String value)
        {
            return putBytes(value.getBytes(StandardCharsets.UTF_8));
        }

        FrameBuilder putBytes(final byte[] value)
        {
            putInt(value.length);
            bytes.writeBytes(value);
            return this;
        }

        byte[] toBytes()
        {
            final byte[] frame = bytes.toByteArray();
            final int length = frame.length - 4;
            if (length > MAX_FRAME_BYTES)
            {
                throw new BootstrapException("bootstrap message of " + length + " bytes exceeds the limit of " +
                    MAX_FRAME_BYTES + " bytes: publish less (addresses, not data) through the bootstrap");
            }
            frame[0] = (byte)(length >>> 24);
            frame[1] = (byte)(length >>> 16);
            frame[2] = (byte)(length >>> 8);
            frame[3] = (byte)length;
            return frame;
        }
    }
}
