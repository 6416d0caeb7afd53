package io.javelin.transport.tcp;

import io.javelin.transport.MemoryRegion;
import io.javelin.transport.TransportStatus;
import io.javelin.transport.emulated.EmulatedMemoryRegion;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads one connection's socket and acts on each frame (see {@link TcpFrame} for the layouts).
 *
 * <p>Bytes land in a direct receive buffer; DATA messages are delivered in place from it. The body of a
 * WRITE or READ_RESPONSE is read straight from the socket into the registered memory it is meant for:
 * only the bytes that arrived together with the frame header pass through the receive buffer.
 *
 * <p>Every length and type is checked before use: a corrupt frame throws {@link TcpConnectionException}
 * (the connection is then closed), never an out-of-bounds access. Used only on the progress thread.
 */
final class TcpFrameReceiver
{
    private static final int NOT_STREAMING = 0;
    private static final int STREAM_WRITE = 1;
    private static final int STREAM_DISCARD = 2;
    private static final int STREAM_READ_RESPONSE = 3;
    private static final int STREAM_READ_CHUNK = 4;
    /** Bodies longer than this are worth an extra small read of their header to land without a copy. */
    private static final int DIRECT_BODY_THRESHOLD_BYTES = 16 * 1024;
    private static final int MAX_BUFFER_BYTES = (int)TcpConfiguration.MAX_MESSAGE_BYTES + TcpFrame.DATA_HEADER_LENGTH;

    private final TcpConnection connection;
    private final TcpTransport transport;
    private ByteBuffer buffer;
    private MemorySegment bufferSegment;
    private int readPosition;
    private int writePosition;
    /** Contiguous bytes from readPosition that the frame being parsed needs before it can be handled. */
    private int bytesNeeded = TcpFrame.PREFIX_LENGTH;

    /** A body was just streamed: the next frame is probably another long one (e.g. the next response chunk). */
    private boolean expectingBody;
    private int streamKind = NOT_STREAMING;
    private ByteBuffer streamSink;
    private long streamRemaining;
    private long streamId;
    private TcpOperation streamOperation;

    TcpFrameReceiver(final TcpConnection connection, final int bufferBytes)
    {
        this.connection = connection;
        this.transport = connection.transport;
        allocate(bufferBytes);
    }

    /**
     * Reads what the socket holds (once) and handles every complete frame.
     *
     * @return 1 when bytes were read, else 0.
     * @throws IOException when the peer closed the socket, the socket failed, or a frame is corrupt.
     */
    int receive() throws IOException
    {
        if (NOT_STREAMING != streamKind)
        {
            return receiveStream();
        }
        makeRoom();
        if (expectingBody || awaitingLargeResponse())
        {
            // read only the next frame's header, so that its body can go straight to its memory
            buffer.limit(Math.min(buffer.capacity(),
                readPosition + Math.max(bytesNeeded, TcpFrame.READ_RESPONSE_HEADER_LENGTH)));
        }
        final int read = connection.channel.read(buffer);
        if (read <= 0)
        {
            if (read < 0)
            {
                throw closedByPeer();
            }
            return 0;
        }
        writePosition += read;
        parseFrames();
        return 1;
    }

    void close()
    {
        streamKind = NOT_STREAMING;
        streamSink = null;
        streamOperation = null;
    }

    private void parseFrames() throws IOException
    {
        while (TcpConnection.ESTABLISHED == connection.state)
        {
            final int available = writePosition - readPosition;
            if (available < TcpFrame.PREFIX_LENGTH)
            {
                bytesNeeded = TcpFrame.PREFIX_LENGTH;
                return;
            }
            final int type = buffer.get(readPosition + TcpFrame.TYPE_OFFSET);
            final int flags = buffer.get(readPosition + TcpFrame.FLAGS_OFFSET);
            final int headerLength = TcpFrame.headerLength(type);
            final int allowedFlags = TcpFrame.TYPE_READ_RESPONSE == type ? TcpFrame.FLAG_MORE : 0;
            final int reserved = buffer.getShort(readPosition + TcpFrame.RESERVED_OFFSET);
            if (headerLength < 0 || 0 != (flags & ~allowedFlags) || 0 != reserved)
            {
                throw corrupt("frame header with " + TcpFrame.typeName(type) + ", flags " + flags + ", reserved " +
                    reserved);
            }
            if (available < headerLength)
            {
                bytesNeeded = headerLength;
                return;
            }
            switch (type)
            {
                case TcpFrame.TYPE_DATA ->
                {
                    if (!onData(available))
                    {
                        return;
                    }
                }
                case TcpFrame.TYPE_WRITE -> onWrite();
                case TcpFrame.TYPE_READ_REQUEST -> onReadRequest();
                case TcpFrame.TYPE_WRITE_ACK -> onWriteAck();
                default -> onReadResponse(0 != flags);
            }
            if (NOT_STREAMING != streamKind)
            {
                return;
            }
            expectingBody = false;
        }
    }

    /**
     * @return true when the oldest request awaiting a reply is a read whose (rest of the) response is too
     *         long to be worth copying through the receive buffer.
     */
    private boolean awaitingLargeResponse()
    {
        final TcpOperation operation = connection.oldestAwaitingReply();
        return null != operation && TcpOperation.READ == operation.kind &&
            operation.length - operation.progressBytes > DIRECT_BODY_THRESHOLD_BYTES;
    }

    private boolean onData(final int available) throws IOException
    {
        final int length = buffer.getInt(readPosition + TcpFrame.INT_FIELD_OFFSET);
        if (length < 0 || length > TcpConfiguration.MAX_MESSAGE_BYTES)
        {
            throw corrupt("DATA frame of " + length + " bytes (the largest message is " +
                TcpConfiguration.MAX_MESSAGE_BYTES + " bytes)");
        }
        final int frameLength = TcpFrame.DATA_HEADER_LENGTH + length;
        if (available < frameLength)
        {
            bytesNeeded = frameLength;
            return false;
        }
        final int messageOffset = readPosition + TcpFrame.DATA_HEADER_LENGTH;
        readPosition += frameLength;
        transport.deliverMessage(connection.endpoint, bufferSegment, messageOffset, length);
        return true;
    }

    private void onWrite() throws IOException
    {
        final long key = buffer.getLong(readPosition + TcpFrame.RMA_KEY_OFFSET);
        final long address = buffer.getLong(readPosition + TcpFrame.RMA_ADDRESS_OFFSET);
        final long length = rmaLength("WRITE");
        final long id = buffer.getLong(readPosition + TcpFrame.RMA_ID_OFFSET);
        readPosition += TcpFrame.RMA_REQUEST_HEADER_LENGTH;

        final EmulatedMemoryRegion region =
            transport.registrations().find(key, address, length, MemoryRegion.REMOTE_WRITE);
        final int buffered = (int)Math.min(writePosition - readPosition, length);
        final long regionOffset = null == region ? 0 : address - region.address();
        if (null != region && buffered > 0)
        {
            MemorySegment.copy(bufferSegment, readPosition, region.segment(), regionOffset, buffered);
        }
        readPosition += buffered;
        final long remaining = length - buffered;
        if (0 == remaining)
        {
            transport.queueWriteAck(connection, id,
                null == region ? TransportStatus.REMOTE_ACCESS_ERROR : TransportStatus.OK);
            return;
        }
        startStream(null == region ? STREAM_DISCARD : STREAM_WRITE, remaining);
        streamId = id;
        if (null != region)
        {
            streamSink = region.segment().asSlice(regionOffset + buffered, remaining).asByteBuffer();
        }
    }

    private void onReadRequest() throws IOException
    {
        final long key = buffer.getLong(readPosition + TcpFrame.RMA_KEY_OFFSET);
        final long address = buffer.getLong(readPosition + TcpFrame.RMA_ADDRESS_OFFSET);
        final long length = rmaLength("READ_REQUEST");
        final long id = buffer.getLong(readPosition + TcpFrame.RMA_ID_OFFSET);
        readPosition += TcpFrame.RMA_REQUEST_HEADER_LENGTH;

        final EmulatedMemoryRegion region =
            transport.registrations().find(key, address, length, MemoryRegion.REMOTE_READ);
        transport.queueReadResponse(connection, id, region, address, (int)length);
    }

    private void onWriteAck() throws IOException
    {
        final int status = buffer.getInt(readPosition + TcpFrame.INT_FIELD_OFFSET);
        final long id = buffer.getLong(readPosition + TcpFrame.REPLY_ID_OFFSET);
        final TcpOperation operation = awaitedReply(TcpOperation.WRITE, "WRITE_ACK", id);
        if (TransportStatus.OK != status && TransportStatus.REMOTE_ACCESS_ERROR != status)
        {
            throw corrupt("WRITE_ACK with status " + status);
        }
        readPosition += TcpFrame.WRITE_ACK_LENGTH;
        connection.removeOldestAwaitingReply();
        transport.complete(operation, status);
    }

    /**
     * One frame of a READ_RESPONSE: the whole response, or a chunk of it when {@code more} frames follow.
     */
    private void onReadResponse(final boolean more) throws IOException
    {
        final int status = buffer.getInt(readPosition + TcpFrame.INT_FIELD_OFFSET);
        final long id = buffer.getLong(readPosition + TcpFrame.REPLY_ID_OFFSET);
        final long length = buffer.getLong(readPosition + TcpFrame.READ_RESPONSE_LENGTH_OFFSET);
        final TcpOperation operation = awaitedReply(TcpOperation.READ, "READ_RESPONSE", id);
        final long received = operation.progressBytes;
        final long expected = operation.length - received;
        final boolean valid = TransportStatus.OK == status ?
            more ? length > 0 && length < expected : length == expected :
            TransportStatus.REMOTE_ACCESS_ERROR == status && 0 == length && !more && 0 == received;
        if (!valid)
        {
            throw corrupt("READ_RESPONSE with status " + status + " and " + length + " bytes" +
                (more ? " (more to come)" : "") + " (expected " + (TransportStatus.OK == status ? expected : 0) +
                " bytes)");
        }
        readPosition += TcpFrame.READ_RESPONSE_HEADER_LENGTH;
        final int buffered = (int)Math.min(writePosition - readPosition, length);
        final long target = operation.localOffset + received;
        if (buffered > 0)
        {
            MemorySegment.copy(bufferSegment, readPosition, operation.localSegment, target, buffered);
        }
        readPosition += buffered;
        operation.progressBytes += length;
        final long remaining = length - buffered;
        if (0 == remaining)
        {
            if (!more)
            {
                connection.removeOldestAwaitingReply();
                transport.complete(operation, status);
            }
            return;
        }
        startStream(more ? STREAM_READ_CHUNK : STREAM_READ_RESPONSE, remaining);
        streamOperation = operation;
        streamSink = operation.localSegment.asSlice(target + buffered, remaining).asByteBuffer();
    }

    private long rmaLength(final String frame) throws IOException
    {
        final long length = buffer.getLong(readPosition + TcpFrame.RMA_LENGTH_OFFSET);
        if (length < 0 || length > TcpConfiguration.MAX_ONE_SIDED_BYTES)
        {
            throw corrupt(frame + " frame of " + length + " bytes (at most " + TcpConfiguration.MAX_ONE_SIDED_BYTES +
                " bytes)");
        }
        return length;
    }

    private TcpOperation awaitedReply(final int kind, final String frame, final long id) throws IOException
    {
        final TcpOperation operation = connection.oldestAwaitingReply();
        if (null == operation || kind != operation.kind || id != operation.id || !operation.sent)
        {
            throw corrupt(frame + " for request " + id + " does not answer the oldest outstanding request (" +
                (null == operation ? "none" : "request " + operation.id) + ")");
        }
        return operation;
    }

    private void startStream(final int kind, final long remaining)
    {
        streamKind = kind;
        streamRemaining = remaining;
        readPosition = 0;
        writePosition = 0;
        bytesNeeded = TcpFrame.PREFIX_LENGTH;
    }

    private int receiveStream() throws IOException
    {
        final int read;
        if (STREAM_DISCARD == streamKind)
        {
            buffer.limit((int)Math.min(buffer.capacity(), streamRemaining)).position(0);
            read = connection.channel.read(buffer);
        }
        else
        {
            read = connection.channel.read(streamSink);
        }
        if (read <= 0)
        {
            if (read < 0)
            {
                throw closedByPeer();
            }
            return 0;
        }
        streamRemaining -= read;
        if (0 == streamRemaining)
        {
            expectingBody = true;
            final int kind = streamKind;
            final TcpOperation operation = streamOperation;
            close();
            switch (kind)
            {
                case STREAM_WRITE -> transport.queueWriteAck(connection, streamId, TransportStatus.OK);
                case STREAM_DISCARD ->
                    transport.queueWriteAck(connection, streamId, TransportStatus.REMOTE_ACCESS_ERROR);
                case STREAM_READ_CHUNK ->
                {
                    // more frames of this response follow
                }
                default ->
                {
                    connection.removeOldestAwaitingReply();
                    transport.complete(operation, TransportStatus.OK);
                }
            }
        }
        return 1;
    }

    private void makeRoom()
    {
        if (readPosition == writePosition)
        {
            readPosition = 0;
            writePosition = 0;
        }
        if (buffer.capacity() - readPosition < bytesNeeded)
        {
            final int pending = writePosition - readPosition;
            if (bytesNeeded > buffer.capacity())
            {
                final ByteBuffer oldBuffer = buffer;
                final MemorySegment oldSegment = bufferSegment;
                allocate((int)Math.min(MAX_BUFFER_BYTES, Math.max(bytesNeeded, 2L * oldBuffer.capacity())));
                MemorySegment.copy(oldSegment, readPosition, bufferSegment, 0, pending);
            }
            else
            {
                MemorySegment.copy(bufferSegment, readPosition, bufferSegment, 0, pending);
            }
            readPosition = 0;
            writePosition = pending;
        }
        buffer.limit(buffer.capacity()).position(writePosition);
    }

    private void allocate(final int bytes)
    {
        buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        bufferSegment = MemorySegment.ofBuffer(buffer);
    }

    private IOException closedByPeer()
    {
        final boolean midFrame = NOT_STREAMING != streamKind || writePosition != readPosition;
        return new TcpConnectionException("peer " + connection.endpoint.peerId() + " closed the connection" +
            (midFrame ? " in the middle of a frame" : ""), !midFrame);
    }

    private TcpConnectionException corrupt(final String what)
    {
        return new TcpConnectionException("corrupt frame on the " + connection.describe() + ": " + what +
            "; closing the connection");
    }
}
