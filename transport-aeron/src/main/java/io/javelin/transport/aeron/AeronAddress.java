package io.javelin.transport.aeron;

import io.javelin.transport.TransportException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * What a rank publishes so that peers can reach it, as the opaque bytes of {@code Transport.localAddress()}
 * (little-endian):
 *
 * <pre>
 *  0         1            9         17      18       19     19+n    21+n        23+n
 *  +---------+------------+---------+-------+--------+------+-------+-----------+----------------+
 *  | version | host id    | pid     | flags | n(=4)  | IPv4 | port  | dir bytes | driver dir     |
 *  |   = 1   | int64      | int64   |       |        |      | BE    | int16 = m | UTF-8, m bytes |
 *  +---------+------------+---------+-------+--------+------+-------+-----------+----------------+
 * </pre>
 *
 * <p>The host id ({@link HostIdentity}) decides between IPC and UDP; the pid is the target of single-copy
 * transfers; flag {@link #FLAG_CMA} says the rank grants them; the driver directory is where a peer on the
 * same host publishes by IPC.
 *
 * @param hostId          identity of the host (and namespaces) the rank runs in.
 * @param pid             the rank's process id.
 * @param grantsCma       the rank grants single-copy access to its registered memory.
 * @param udpEndpoint     where the rank receives UDP.
 * @param driverDirectory the rank's Aeron driver directory.
 */
record AeronAddress(long hostId, long pid, boolean grantsCma, InetSocketAddress udpEndpoint, String driverDirectory)
{
    static final byte VERSION = 1;
    static final int FLAG_CMA = 1;
    private static final int MAX_LENGTH = 4096;

    byte[] encode()
    {
        final byte[] ip = udpEndpoint.getAddress().getAddress();
        final byte[] dir = driverDirectory.getBytes(StandardCharsets.UTF_8);
        final ByteBuffer bytes = ByteBuffer.allocate(19 + ip.length + 4 + dir.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put(VERSION).putLong(hostId).putLong(pid).put((byte)(grantsCma ? FLAG_CMA : 0)).put((byte)ip.length);
        bytes.put(ip).put((byte)(udpEndpoint.getPort() >>> 8)).put((byte)udpEndpoint.getPort());
        bytes.putShort((short)dir.length).put(dir);
        return bytes.array();
    }

    static AeronAddress decode(final int peerId, final byte[] bytes)
    {
        try
        {
            if (null == bytes || bytes.length < 23 || bytes.length > MAX_LENGTH || VERSION != bytes[0] ||
                4 != bytes[18])
            {
                throw new IllegalArgumentException();
            }
            final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            buffer.position(1);
            final long hostId = buffer.getLong();
            final long pid = buffer.getLong();
            final int flags = buffer.get();
            final byte[] ip = new byte[buffer.get()];
            buffer.get(ip);
            final int port = ((buffer.get() & 0xFF) << 8) | (buffer.get() & 0xFF);
            final int dirLength = buffer.getShort();
            if (dirLength < 1 || dirLength != buffer.remaining())
            {
                throw new IllegalArgumentException();
            }
            final byte[] dir = new byte[dirLength];
            buffer.get(dir);
            return new AeronAddress(hostId, pid, 0 != (flags & FLAG_CMA),
                new InetSocketAddress(InetAddress.getByAddress(ip), port), new String(dir, StandardCharsets.UTF_8));
        }
        catch (final IllegalArgumentException | java.nio.BufferUnderflowException | UnknownHostException ex)
        {
            throw new TransportException("address of rank " + peerId + " is not an Aeron transport address (" +
                (null == bytes ? "null" : HexFormat.of().formatHex(bytes)) + "): pass the bytes the peer's " +
                "AeronTransport.localAddress() returned, and give every rank the same --transport");
        }
    }

    @Override
    public String toString()
    {
        return "udp " + udpEndpoint.getAddress().getHostAddress() + ":" + udpEndpoint.getPort() + ", ipc " +
            driverDirectory + ", pid " + pid + ", host " + Long.toHexString(hostId);
    }
}
