package io.javelin.transport.tcp;

import io.javelin.transport.conformance.TransportHarness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

/**
 * A hand-driven socket that speaks (or breaks) the TCP transport's wire protocol, for tests of what a
 * transport does with a misbehaving peer. Non-blocking: waits drive the harness's transports.
 */
final class RawPeer implements AutoCloseable
{
    private final SocketChannel channel;
    private final TransportHarness harness;

    RawPeer(final SocketChannel channel, final TransportHarness harness) throws IOException
    {
        this.channel = channel;
        this.harness = harness;
        channel.configureBlocking(false);
    }

    static RawPeer connect(final TransportHarness harness, final byte[] transportAddress) throws IOException
    {
        final InetSocketAddress address = TcpAddress.decode(0, transportAddress);
        return new RawPeer(SocketChannel.open(address), harness);
    }

    static ByteBuffer hello(final int rank, final int jobSize, final long secret)
    {
        final ByteBuffer hello = ByteBuffer.allocate(TcpFrame.HELLO_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        hello.putInt(TcpFrame.HANDSHAKE_MAGIC).putShort(TcpFrame.HANDSHAKE_VERSION).putShort((short)0)
            .putInt(rank).putInt(jobSize).putLong(secret);
        return hello.flip();
    }

    static ByteBuffer frame(final int bytes)
    {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    void write(final ByteBuffer bytes)
    {
        harness.await("the raw peer to write " + bytes.remaining() + " bytes", () ->
        {
            try
            {
                channel.write(bytes);
            }
            catch (final IOException ex)
            {
                throw new AssertionError("raw peer write failed", ex);
            }
            return !bytes.hasRemaining();
        });
    }

    /**
     * Reads exactly {@code bytes} bytes, driving the transports while waiting.
     */
    ByteBuffer read(final int bytes)
    {
        final ByteBuffer buffer = frame(bytes);
        harness.await("the raw peer to read " + bytes + " bytes", () ->
        {
            if (readSome(buffer) < 0)
            {
                throw new AssertionError("the transport closed the socket after " + buffer.position() + " of " +
                    bytes + " bytes");
            }
            return !buffer.hasRemaining();
        });
        return buffer.flip();
    }

    /**
     * Waits until the transport closes the socket (bytes still arriving are dropped).
     */
    void awaitClosedByTransport()
    {
        final ByteBuffer sink = frame(4096);
        harness.await("the transport to close the raw peer's socket", () ->
        {
            sink.clear();
            return readSome(sink) < 0;
        });
    }

    private int readSome(final ByteBuffer buffer)
    {
        try
        {
            return channel.read(buffer);
        }
        catch (final IOException ex)
        {
            return -1; // reset by the transport: closed as well
        }
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
