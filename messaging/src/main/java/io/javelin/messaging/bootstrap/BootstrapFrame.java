package io.javelin.messaging.bootstrap;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * One received {@link BootstrapProtocol} frame: its type and a cursor over its body. Every read checks the
 * remaining length first, so a corrupt frame gives a {@link BootstrapException}, never an out-of-bounds read.
 * Not thread-safe.
 */
public final class BootstrapFrame
{
    private final byte type;
    private final ByteBuffer body;

    BootstrapFrame(final byte[] frame)
    {
        this.type = frame[0];
        this.body = ByteBuffer.wrap(frame, 1, frame.length - 1).slice();
    }

    /**
     * @return the message type, one of the {@link BootstrapProtocol} constants.
     */
    public byte type()
    {
        return type;
    }

    /**
     * @return the next int of the body.
     */
    public int readInt()
    {
        require(Integer.BYTES, "int");
        return body.getInt();
    }

    /**
     * @return the next long of the body.
     */
    public long readLong()
    {
        require(Long.BYTES, "long");
        return body.getLong();
    }

    /**
     * @return the next length-prefixed byte array of the body.
     */
    public byte[] readBytes()
    {
        final int length = readInt();
        if (length < 0)
        {
            throw malformed("negative length " + length);
        }
        require(length, "byte array");
        final byte[] value = new byte[length];
        body.get(value);
        return value;
    }

    /**
     * @return the next length-prefixed UTF-8 string of the body.
     */
    public String readString()
    {
        final byte[] utf8 = readBytes();
        try
        {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(utf8))
                .toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw malformed("string is not valid UTF-8");
        }
    }

    /**
     * @return the next string, checked against {@link BootstrapProtocol#MAX_KEY_BYTES}.
     */
    public String readKey()
    {
        final int length = peekInt();
        if (length > BootstrapProtocol.MAX_KEY_BYTES)
        {
            throw malformed("key of " + length + " bytes exceeds " + BootstrapProtocol.MAX_KEY_BYTES);
        }
        return readString();
    }

    /**
     * Checks that the whole body was read.
     */
    public void expectEnd()
    {
        if (body.hasRemaining())
        {
            throw malformed(body.remaining() + " unexpected trailing bytes");
        }
    }

    private int peekInt()
    {
        require(Integer.BYTES, "int");
        return body.getInt(body.position());
    }

    private void require(final int bytes, final String what)
    {
        if (body.remaining() < bytes)
        {
            throw malformed(what + " of " + bytes + " bytes but only " + body.remaining() + " left");
        }
    }

    private BootstrapException malformed(final String detail)
    {
        return new BootstrapException("malformed bootstrap " + BootstrapProtocol.typeName(type) + " frame: " +
            detail + " (the peer does not speak the Javelin bootstrap protocol v" + BootstrapProtocol.VERSION + ")");
    }
}
