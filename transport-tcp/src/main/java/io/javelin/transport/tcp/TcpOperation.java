package io.javelin.transport.tcp;

import io.javelin.transport.TransportStatus;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One queued frame and, for operations a user posted, the state needed to complete it. Pooled by
 * {@link TcpOperationPool}: created at warm-up, reused for every later message.
 *
 * <p>The frame buffer holds the frame header, then (for DATA) the user's header bytes and, up to the
 * inline limit, the payload bytes. Larger payloads are not copied: {@link #payload} is a view of the
 * user's memory and is handed to the socket with the frame in one gathering write.
 */
final class TcpOperation
{
    static final int SEND = 1;
    static final int WRITE = 2;
    static final int READ = 3;
    static final int WRITE_ACK = 4;
    static final int READ_RESPONSE = 5;

    /** Bytes of a heap payload handed to the socket per write: NIO copies a heap buffer's remainder each call. */
    private static final int HEAP_CHUNK_BYTES = 256 * 1024;
    /**
     * Largest READ_RESPONSE frame: a longer response goes out in frames of this size with other frames between
     * them. 1 MiB keeps read bandwidth near send bandwidth on loopback (256 KiB measured 20-50% slower) while a
     * send queued behind a response waits for at most one chunk.
     */
    static final int RESPONSE_CHUNK_BYTES = 1024 * 1024;

    final ByteBuffer frame;
    final MemorySegment frameSegment;

    int kind;
    long cookie;
    long id;
    /** Completion status, once completed. */
    int status;
    /** Fully handed to the socket (set by the connection); a reply may only arrive after this. */
    boolean sent;
    /** Payload view (user payload, local region or target region slice), or null when inline or absent. */
    ByteBuffer payload;
    private int payloadEnd;
    private boolean payloadChunked;
    /** READ: the local memory the response lands in, at {@link #localOffset}, {@link #length} bytes. */
    MemorySegment localSegment;
    long localOffset;
    long length;
    /** READ: response bytes received so far; READ_RESPONSE: bytes put into frames so far. */
    long progressBytes;

    /** Link in the connection's send queue, then in the completion queue or the pool's free list. */
    TcpOperation next;
    /** Link in the connection's list of requests awaiting replies, or of replies waiting for their turn. */
    TcpOperation nextPending;

    TcpOperation(final int frameCapacity)
    {
        frame = ByteBuffer.allocateDirect(frameCapacity).order(ByteOrder.LITTLE_ENDIAN);
        frameSegment = MemorySegment.ofBuffer(frame);
    }

    void prepareData(
        final MemorySegment header,
        final int headerLength,
        final MemorySegment payloadSegment,
        final long payloadOffset,
        final int payloadLength,
        final long cookie,
        final int inlineLimit)
    {
        reset(SEND, cookie, 0);
        putPrefix(TcpFrame.TYPE_DATA, headerLength + payloadLength);
        int end = TcpFrame.DATA_HEADER_LENGTH;
        if (headerLength > 0)
        {
            MemorySegment.copy(header, 0, frameSegment, end, headerLength);
            end += headerLength;
        }
        if (payloadLength <= inlineLimit)
        {
            if (payloadLength > 0)
            {
                MemorySegment.copy(payloadSegment, payloadOffset, frameSegment, end, payloadLength);
                end += payloadLength;
            }
        }
        else
        {
            attachPayload(payloadSegment, payloadOffset, payloadLength);
        }
        frame.limit(end).position(0);
    }

    void prepareWrite(
        final MemorySegment local,
        final long localOffset,
        final long remoteAddress,
        final long remoteKey,
        final int length,
        final long cookie,
        final long id,
        final int inlineLimit)
    {
        reset(WRITE, cookie, id);
        putRmaRequest(TcpFrame.TYPE_WRITE, remoteKey, remoteAddress, length, id);
        int end = TcpFrame.RMA_REQUEST_HEADER_LENGTH;
        if (length <= inlineLimit)
        {
            MemorySegment.copy(local, localOffset, frameSegment, end, length);
            end += length;
        }
        else
        {
            attachPayload(local, localOffset, length);
        }
        frame.limit(end).position(0);
    }

    void prepareRead(
        final MemorySegment local,
        final long localOffset,
        final long remoteAddress,
        final long remoteKey,
        final int length,
        final long cookie,
        final long id)
    {
        reset(READ, cookie, id);
        putRmaRequest(TcpFrame.TYPE_READ_REQUEST, remoteKey, remoteAddress, length, id);
        localSegment = local;
        this.localOffset = localOffset;
        this.length = length;
        frame.limit(TcpFrame.RMA_REQUEST_HEADER_LENGTH).position(0);
    }

    void prepareWriteAck(final long id, final int status)
    {
        reset(WRITE_ACK, 0, id);
        putPrefix(TcpFrame.TYPE_WRITE_ACK, status);
        frame.putLong(TcpFrame.REPLY_ID_OFFSET, id);
        frame.limit(TcpFrame.WRITE_ACK_LENGTH).position(0);
    }

    /**
     * Prepares a reply to a READ_REQUEST. A response longer than the inline limit streams from a view of the
     * source memory, one frame of at most {@link #RESPONSE_CHUNK_BYTES} at a time
     * (see {@link #frameNextResponseChunk()}).
     *
     * @param source memory to stream from (the target's registered memory), or null for a refusal.
     */
    void prepareReadResponse(
        final long id, final int status, final MemorySegment source, final long offset, final int length,
        final int inlineLimit)
    {
        reset(READ_RESPONSE, 0, id);
        this.length = length;
        if (length <= inlineLimit)
        {
            putPrefix(TcpFrame.TYPE_READ_RESPONSE, status);
            frame.putLong(TcpFrame.REPLY_ID_OFFSET, id);
            frame.putLong(TcpFrame.READ_RESPONSE_LENGTH_OFFSET, length);
            final int end = TcpFrame.READ_RESPONSE_HEADER_LENGTH;
            if (length > 0)
            {
                MemorySegment.copy(source, offset, frameSegment, end, length);
            }
            frame.limit(end + length).position(0);
            progressBytes = length;
        }
        else
        {
            attachPayload(source, offset, length);
            frameNextResponseChunk();
        }
    }

    /**
     * @return true when this is a READ_RESPONSE with bytes not yet put into a frame.
     */
    boolean hasMoreResponseChunks()
    {
        return READ_RESPONSE == kind && progressBytes < length;
    }

    /**
     * Frames the next chunk of a long READ_RESPONSE: a header flagged {@link TcpFrame#FLAG_MORE} unless it
     * is the last, then the next bytes of the payload view.
     */
    void frameNextResponseChunk()
    {
        final int chunk = (int)Math.min(RESPONSE_CHUNK_BYTES, length - progressBytes);
        progressBytes += chunk;
        frame.clear();
        putPrefix(TcpFrame.TYPE_READ_RESPONSE, TransportStatus.OK);
        if (progressBytes < length)
        {
            frame.put(TcpFrame.FLAGS_OFFSET, TcpFrame.FLAG_MORE);
        }
        frame.putLong(TcpFrame.REPLY_ID_OFFSET, id);
        frame.putLong(TcpFrame.READ_RESPONSE_LENGTH_OFFSET, chunk);
        frame.limit(TcpFrame.READ_RESPONSE_HEADER_LENGTH).position(0);
        payloadEnd = (int)progressBytes;
        payload.limit(payloadEnd);
    }

    /**
     * Before each gathering write: exposes the next chunk of a heap payload (direct views are exposed whole).
     */
    void exposeNextChunk()
    {
        if (payloadChunked && payload.position() == payload.limit() && payload.limit() < payloadEnd)
        {
            payload.limit(Math.min(payloadEnd, payload.position() + HEAP_CHUNK_BYTES));
        }
    }

    /**
     * @return true when every byte of the frame and payload was handed to the socket.
     */
    boolean isFullyWritten()
    {
        return !frame.hasRemaining() && (null == payload || payload.position() == payloadEnd);
    }

    /**
     * Drops references to user memory so that a pooled operation does not keep it reachable.
     */
    void clearReferences()
    {
        payload = null;
        localSegment = null;
        next = null;
        nextPending = null;
    }

    private void reset(final int kind, final long cookie, final long id)
    {
        this.kind = kind;
        this.cookie = cookie;
        this.id = id;
        sent = false;
        payload = null;
        payloadChunked = false;
        localSegment = null;
        progressBytes = 0;
        next = null;
        nextPending = null;
        frame.clear();
    }

    private void putPrefix(final byte type, final int intField)
    {
        frame.putLong(0, 0L);
        frame.put(TcpFrame.TYPE_OFFSET, type);
        frame.putInt(TcpFrame.INT_FIELD_OFFSET, intField);
    }

    private void putRmaRequest(final byte type, final long key, final long address, final long length, final long id)
    {
        putPrefix(type, 0);
        frame.putLong(TcpFrame.RMA_KEY_OFFSET, key);
        frame.putLong(TcpFrame.RMA_ADDRESS_OFFSET, address);
        frame.putLong(TcpFrame.RMA_LENGTH_OFFSET, length);
        frame.putLong(TcpFrame.RMA_ID_OFFSET, id);
    }

    private void attachPayload(final MemorySegment segment, final long offset, final int length)
    {
        final MemorySegment slice = segment.asSlice(offset, length);
        // Only native memory and byte[] can be viewed as a ByteBuffer; other heap arrays (int[], double[], ...)
        // are copied: the operation then owns its bytes, as a send that completes once taken requires.
        final ByteBuffer view = slice.isNative() || slice.heapBase().orElse(null) instanceof byte[] ?
            slice.asByteBuffer() : ByteBuffer.wrap(slice.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        payloadEnd = length;
        payloadChunked = !view.isDirect();
        if (payloadChunked)
        {
            view.limit(Math.min(length, HEAP_CHUNK_BYTES));
        }
        payload = view;
    }
}
