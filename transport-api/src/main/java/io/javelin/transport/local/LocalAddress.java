package io.javelin.transport.local;

import io.javelin.transport.TransportException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where a local transport lives: its fabric and rank. Encoded as the transport's {@code localAddress()}:
 * <pre>
 *  0        4        8        12
 *  +--------+--------+--------+-----------------------------+
 *  | magic  |  rank  | length | fabric name, UTF-8 (length) |
 *  +--------+--------+--------+-----------------------------+
 *  little-endian ints; magic = "JLOC"
 * </pre>
 *
 * @param fabric the fabric name.
 * @param rank   the rank in the fabric.
 */
public record LocalAddress(String fabric, int rank)
{
    private static final int MAGIC = 0x434F4C4A;
    private static final int FIXED_BYTES = 12;

    /**
     * Checks the values.
     */
    public LocalAddress
    {
        Objects.requireNonNull(fabric, "fabric");
        if (rank < 0)
        {
            throw new IllegalArgumentException("negative rank " + rank);
        }
    }

    /**
     * @return the encoded address.
     */
    public byte[] toBytes()
    {
        final byte[] name = fabric.getBytes(StandardCharsets.UTF_8);
        final ByteBuffer buffer = ByteBuffer.allocate(FIXED_BYTES + name.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(MAGIC).putInt(rank).putInt(name.length).put(name);
        return buffer.array();
    }

    /**
     * @param bytes an encoded address.
     * @return the address.
     * @throws TransportException if the bytes are not a local transport address.
     */
    public static LocalAddress fromBytes(final byte[] bytes)
    {
        if (null == bytes || bytes.length < FIXED_BYTES)
        {
            throw notLocal(bytes);
        }
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final int magic = buffer.getInt();
        final int rank = buffer.getInt();
        final int length = buffer.getInt();
        if (MAGIC != magic || rank < 0 || length != bytes.length - FIXED_BYTES)
        {
            throw notLocal(bytes);
        }
        return new LocalAddress(new String(bytes, FIXED_BYTES, length, StandardCharsets.UTF_8), rank);
    }

    private static TransportException notLocal(final byte[] bytes)
    {
        return new TransportException("peer address (" + (null == bytes ? "null" : bytes.length + " bytes") +
            ") is not a local transport address: every rank of a job must use the same transport " +
            "(--transport local only joins ranks that are threads of one JVM)");
    }

    @Override
    public String toString()
    {
        return "rank " + rank + " of local fabric '" + fabric + "'";
    }
}
