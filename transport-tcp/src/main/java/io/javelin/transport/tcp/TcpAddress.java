package io.javelin.transport.tcp;

import io.javelin.transport.TransportException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/**
 * The opaque address a TCP transport publishes in the bootstrap exchange:
 *
 * <pre>
 *  0          1                  1+n         3+n
 *  +----------+------------------+-----------+
 *  | n (4|16) | IP address bytes | port (BE) |
 *  +----------+------------------+-----------+
 * </pre>
 */
final class TcpAddress
{
    private TcpAddress()
    {
    }

    static byte[] encode(final InetSocketAddress address)
    {
        final byte[] ip = address.getAddress().getAddress();
        final byte[] bytes = new byte[1 + ip.length + 2];
        bytes[0] = (byte)ip.length;
        System.arraycopy(ip, 0, bytes, 1, ip.length);
        bytes[1 + ip.length] = (byte)(address.getPort() >>> 8);
        bytes[2 + ip.length] = (byte)address.getPort();
        return bytes;
    }

    static InetSocketAddress decode(final int peerId, final byte[] bytes)
    {
        if (null == bytes || bytes.length < 1 || (bytes[0] != 4 && bytes[0] != 16) || bytes.length != bytes[0] + 3)
        {
            throw new TransportException("address of rank " + peerId + " is not a TCP transport address (" +
                (null == bytes ? "null" : HexFormat.of().formatHex(bytes)) + "): pass the bytes the peer's " +
                "TcpTransport.localAddress() returned");
        }
        final byte[] ip = new byte[bytes[0]];
        System.arraycopy(bytes, 1, ip, 0, ip.length);
        final int port = ((bytes[1 + ip.length] & 0xFF) << 8) | (bytes[2 + ip.length] & 0xFF);
        try
        {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        }
        catch (final UnknownHostException ex)
        {
            throw new TransportException("address of rank " + peerId + " is malformed", ex);
        }
    }
}
