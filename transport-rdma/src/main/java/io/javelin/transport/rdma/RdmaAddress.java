package io.javelin.transport.rdma;

import io.javelin.transport.TransportException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * The bytes a rank publishes so peers can reach its RDMA CM listener:
 * <pre>
 *   0  version (1)     1  address length (4 or 16)     2  port (big-endian u16)     4  IP address bytes
 * </pre>
 */
final class RdmaAddress
{
    private static final byte VERSION = 1;

    private RdmaAddress()
    {
    }

    static byte[] encode(final InetSocketAddress address)
    {
        final byte[] ip = address.getAddress().getAddress();
        final ByteBuffer buffer = ByteBuffer.allocate(4 + ip.length);
        buffer.put(VERSION).put((byte)ip.length).putShort((short)address.getPort()).put(ip);
        return buffer.array();
    }

    static InetSocketAddress decode(final int peerId, final byte[] bytes)
    {
        if (null == bytes || bytes.length < 4 || VERSION != bytes[0] || (4 != bytes[1] && 16 != bytes[1]) ||
            bytes.length != 4 + bytes[1])
        {
            throw new TransportException("rank " + peerId + " published an address the RDMA transport cannot read " +
                "(" + (null == bytes ? "none" : bytes.length + " bytes") + "): do all ranks run the same Javelin " +
                "version and --transport rdma?");
        }
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.position(2);
        final int port = Short.toUnsignedInt(buffer.getShort());
        final byte[] ip = new byte[bytes[1]];
        buffer.get(ip);
        try
        {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        }
        catch (final UnknownHostException ex)
        {
            throw new TransportException("rank " + peerId + " published a malformed IP address", ex);
        }
    }
}
