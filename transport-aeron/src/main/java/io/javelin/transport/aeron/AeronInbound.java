package io.javelin.transport.aeron;

import io.aeron.Image;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.TransportStatus;
import io.javelin.transport.emulated.EmulatedMemoryRegion;
import org.agrona.DirectBuffer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One image of this rank's subscriptions: the frames one peer sends (see {@link AeronFrame}), read in place
 * from the term buffer. The first frame must be the peer's HELLO, which binds the image to the peer's
 * endpoint. The data of WRITE and READ_RESPONSE streams is copied straight from the term buffer into the
 * registered memory it is meant for (no reassembly buffer); only a two-sided message longer than one frame
 * is reassembled (into a buffer of this image) before it is delivered.
 *
 * <p>Every length and type is checked before use: a corrupt frame fails the peer, never an out-of-bounds
 * access. Used only on the progress thread.
 */
final class AeronInbound implements FragmentHandler
{
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int NOT_STREAMING = 0;
    private static final int STREAM_WRITE = 1;
    private static final int STREAM_DISCARD = 2;
    private static final int STREAM_READ_RESPONSE = 3;

    final Image image;
    /** The peer, once its HELLO was accepted. */
    AeronEndpoint endpoint;
    /** Frames are dropped: the image did not start with an acceptable HELLO, or its peer failed. */
    boolean ignored;
    private final AeronTransport transport;
    private final DirectBuffer[] termBuffers = new DirectBuffer[4];
    private final MemorySegment[] termSegments = new MemorySegment[4];
    private MemorySegment assembly;
    private long assembled;
    private boolean assembling;

    private int streamKind = NOT_STREAMING;
    private MemorySegment streamSegment;
    private long streamOffset;
    private long streamRemaining;
    private long streamId;
    private AeronOperation streamOperation;

    AeronInbound(final AeronTransport transport, final Image image)
    {
        this.transport = transport;
        this.image = image;
    }

    int poll(final int fragmentLimit)
    {
        return image.poll(this, fragmentLimit);
    }

    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        transport.consumed(length);
        if (ignored || (null != endpoint && null != endpoint.failure))
        {
            return;
        }
        final MemorySegment term = termSegment(buffer);
        final byte flags = header.flags();
        // a frame starts in the reserved value of Aeron's header, just before the body (see FrameWriter); a
        // fragmented message in that of its first fragment
        final int reserved = AeronFrame.RESERVED_VALUE_BYTES;
        if ((flags & FrameDescriptor.UNFRAGMENTED) == FrameDescriptor.UNFRAGMENTED)
        {
            onMessage(term, offset - reserved, length + reserved);
            return;
        }
        final boolean first = (flags & FrameDescriptor.BEGIN_FRAG_FLAG) != 0;
        if (first)
        {
            assembling = true;
            assembled = 0;
        }
        else if (!assembling)
        {
            corrupt("a message fragment without its beginning");
            return;
        }
        final long start = first ? offset - reserved : offset;
        final int bytes = first ? length + reserved : length;
        if (assembled + bytes > transport.maxMessageBytes() + AeronFrame.PREFIX_LENGTH)
        {
            corrupt("a message longer than " + transport.maxMessageBytes() + " bytes");
            return;
        }
        ensureAssemblyCapacity(assembled + bytes);
        MemorySegment.copy(term, start, assembly, assembled, bytes);
        assembled += bytes;
        if ((flags & FrameDescriptor.END_FRAG_FLAG) != 0)
        {
            assembling = false;
            onMessage(assembly, 0, (int)assembled);
        }
    }

    void clearStream()
    {
        streamKind = NOT_STREAMING;
        streamSegment = null;
        streamOperation = null;
    }

    private void onMessage(final MemorySegment buffer, final long offset, final int paddedLength)
    {
        if (paddedLength < AeronFrame.DATA_PREFIX_LENGTH)
        {
            corrupt("a frame of " + paddedLength + " bytes");
            return;
        }
        final int padding = buffer.get(ValueLayout.JAVA_BYTE, offset + AeronFrame.PADDING_OFFSET) & 0xFF;
        final int length = paddedLength - padding;
        final int type = buffer.get(ValueLayout.JAVA_BYTE, offset + AeronFrame.TYPE_OFFSET);
        if (length < AeronFrame.DATA_PREFIX_LENGTH || AeronFrame.TYPE_DATA != type && length < AeronFrame.PREFIX_LENGTH)
        {
            corrupt("a " + AeronFrame.typeName(type) + " frame of " + length + " bytes (" + padding + " of padding)");
            return;
        }
        if (null == endpoint)
        {
            switch (type)
            {
                case AeronFrame.TYPE_HELLO -> transport.handshake().onHello(this, buffer, offset, length);
                case AeronFrame.TYPE_REFUSE -> transport.handshake().onRefused(this, buffer, offset, length);
                default -> corrupt(AeronFrame.typeName(type) + " before HELLO");
            }
            return;
        }
        if (NOT_STREAMING != streamKind && AeronFrame.TYPE_CONTINUE != type)
        {
            corrupt(AeronFrame.typeName(type) + " inside a stream");
            return;
        }
        switch (type)
        {
            case AeronFrame.TYPE_DATA ->
                transport.deliverMessage(endpoint, buffer, offset + AeronFrame.DATA_PREFIX_LENGTH,
                length - AeronFrame.DATA_PREFIX_LENGTH);
            case AeronFrame.TYPE_CONTINUE -> onContinue(buffer, offset, length);
            case AeronFrame.TYPE_WRITE -> onWrite(buffer, offset, length);
            case AeronFrame.TYPE_READ_REQUEST -> onReadRequest(buffer, offset, length);
            case AeronFrame.TYPE_GRANT_REQUEST -> onGrantRequest(buffer, offset, length);
            case AeronFrame.TYPE_WRITE_ACK, AeronFrame.TYPE_GRANT -> onReply(type, buffer, offset, length);
            case AeronFrame.TYPE_READ_RESPONSE -> onReadResponse(buffer, offset, length);
            case AeronFrame.TYPE_ACCEPT -> transport.handshake().onAccepted(endpoint);
            case AeronFrame.TYPE_BYE -> transport.failPeer(endpoint, "peer " + endpoint.peerId() +
                " closed its transport");
            case AeronFrame.TYPE_REFUSE -> transport.handshake().onRefused(this, buffer, offset, length);
            default -> corrupt(AeronFrame.typeName(type) + " after the handshake");
        }
    }

    private void onWrite(final MemorySegment buffer, final long offset, final int length)
    {
        if (length < AeronFrame.RMA_REQUEST_LENGTH)
        {
            corrupt("WRITE of " + length + " bytes");
            return;
        }
        final long key = buffer.get(LONG, offset + AeronFrame.RMA_KEY_OFFSET);
        final long address = buffer.get(LONG, offset + AeronFrame.RMA_ADDRESS_OFFSET);
        final long total = buffer.get(LONG, offset + AeronFrame.RMA_LENGTH_OFFSET);
        final long id = buffer.get(LONG, offset + AeronFrame.RMA_ID_OFFSET);
        final int chunk = length - AeronFrame.RMA_REQUEST_LENGTH;
        if (total < chunk || total < 0)
        {
            corrupt("WRITE of " + total + " bytes carrying " + chunk);
            return;
        }
        final EmulatedMemoryRegion region = transport.registrations().find(key, address, total,
            MemoryRegion.REMOTE_WRITE);
        final long regionOffset = null == region ? 0 : address - region.address();
        if (null != region && chunk > 0)
        {
            MemorySegment.copy(buffer, offset + AeronFrame.RMA_REQUEST_LENGTH, region.segment(), regionOffset, chunk);
        }
        if (total == chunk)
        {
            transport.queueReply(endpoint, AeronOperation.WRITE_ACK, id,
                null == region ? TransportStatus.REMOTE_ACCESS_ERROR : TransportStatus.OK);
            return;
        }
        streamKind = null == region ? STREAM_DISCARD : STREAM_WRITE;
        streamSegment = null == region ? null : region.segment();
        streamOffset = regionOffset + chunk;
        streamRemaining = total - chunk;
        streamId = id;
    }

    private void onContinue(final MemorySegment buffer, final long offset, final int length)
    {
        final int chunk = length - AeronFrame.PREFIX_LENGTH;
        if (NOT_STREAMING == streamKind || chunk > streamRemaining || chunk <= 0)
        {
            corrupt("CONTINUE of " + chunk + " bytes where " + (NOT_STREAMING == streamKind ? "no stream is open" :
                streamRemaining + " bytes remain"));
            return;
        }
        if (STREAM_DISCARD != streamKind)
        {
            MemorySegment.copy(buffer, offset + AeronFrame.PREFIX_LENGTH, streamSegment, streamOffset, chunk);
        }
        streamOffset += chunk;
        streamRemaining -= chunk;
        if (0 == streamRemaining)
        {
            final int kind = streamKind;
            final AeronOperation operation = streamOperation;
            clearStream();
            switch (kind)
            {
                case STREAM_WRITE -> transport.queueReply(endpoint, AeronOperation.WRITE_ACK, streamId,
                    TransportStatus.OK);
                case STREAM_DISCARD -> transport.queueReply(endpoint, AeronOperation.WRITE_ACK, streamId,
                    TransportStatus.REMOTE_ACCESS_ERROR);
                default ->
                {
                    endpoint.removeOldestAwaitingReply();
                    transport.complete(operation, TransportStatus.OK);
                }
            }
        }
    }

    private void onReadRequest(final MemorySegment buffer, final long offset, final int length)
    {
        if (length != AeronFrame.RMA_REQUEST_LENGTH)
        {
            corrupt("READ_REQUEST of " + length + " bytes");
            return;
        }
        final long key = buffer.get(LONG, offset + AeronFrame.RMA_KEY_OFFSET);
        final long address = buffer.get(LONG, offset + AeronFrame.RMA_ADDRESS_OFFSET);
        final long total = buffer.get(LONG, offset + AeronFrame.RMA_LENGTH_OFFSET);
        final long id = buffer.get(LONG, offset + AeronFrame.RMA_ID_OFFSET);
        final EmulatedMemoryRegion region = transport.registrations().find(key, address, total,
            MemoryRegion.REMOTE_READ);
        transport.queueReadResponse(endpoint, id, region, address, total);
    }

    private void onGrantRequest(final MemorySegment buffer, final long offset, final int length)
    {
        final int access = buffer.get(ValueLayout.JAVA_BYTE, offset + AeronFrame.FLAGS_OFFSET);
        if (length != AeronFrame.RMA_REQUEST_LENGTH ||
            (MemoryRegion.REMOTE_READ != access && MemoryRegion.REMOTE_WRITE != access))
        {
            corrupt("GRANT_REQUEST of " + length + " bytes for access " + access);
            return;
        }
        final long key = buffer.get(LONG, offset + AeronFrame.RMA_KEY_OFFSET);
        final long address = buffer.get(LONG, offset + AeronFrame.RMA_ADDRESS_OFFSET);
        final long total = buffer.get(LONG, offset + AeronFrame.RMA_LENGTH_OFFSET);
        final long id = buffer.get(LONG, offset + AeronFrame.RMA_ID_OFFSET);
        final EmulatedMemoryRegion region = transport.registrations().find(key, address, total, access);
        transport.queueReply(endpoint, AeronOperation.GRANT, id,
            null == region ? TransportStatus.REMOTE_ACCESS_ERROR : TransportStatus.OK);
    }

    private void onReply(final int type, final MemorySegment buffer, final long offset, final int length)
    {
        final int expectedLength = AeronFrame.TYPE_GRANT == type ? AeronFrame.GRANT_LENGTH :
            AeronFrame.WRITE_ACK_LENGTH;
        final int status = buffer.get(INT, offset + AeronFrame.INT_FIELD_OFFSET);
        final AeronOperation operation = awaitedReply(type, buffer, offset, length, expectedLength);
        if (null == operation)
        {
            return;
        }
        if (TransportStatus.OK != status && TransportStatus.REMOTE_ACCESS_ERROR != status)
        {
            corrupt(AeronFrame.typeName(type) + " with status " + status);
            return;
        }
        endpoint.removeOldestAwaitingReply();
        if (AeronFrame.TYPE_GRANT == type)
        {
            transport.onGrant(endpoint, operation, status);
        }
        else
        {
            transport.complete(operation, status);
        }
    }

    private void onReadResponse(final MemorySegment buffer, final long offset, final int length)
    {
        final AeronOperation operation = awaitedReply(AeronFrame.TYPE_READ_RESPONSE, buffer, offset, length,
            -AeronFrame.READ_RESPONSE_HEADER_LENGTH);
        if (null == operation)
        {
            return;
        }
        final int status = buffer.get(INT, offset + AeronFrame.INT_FIELD_OFFSET);
        final long total = buffer.get(LONG, offset + AeronFrame.READ_RESPONSE_LENGTH_OFFSET);
        final int chunk = length - AeronFrame.READ_RESPONSE_HEADER_LENGTH;
        final long expected = TransportStatus.OK == status ? operation.length : 0;
        if ((TransportStatus.OK != status && TransportStatus.REMOTE_ACCESS_ERROR != status) || total != expected ||
            chunk > total)
        {
            corrupt("READ_RESPONSE with status " + status + " and " + total + " bytes (expected " + expected + ")");
            return;
        }
        if (chunk > 0)
        {
            MemorySegment.copy(buffer, offset + AeronFrame.READ_RESPONSE_HEADER_LENGTH, operation.segment,
                operation.offset, chunk);
        }
        if (total == chunk)
        {
            endpoint.removeOldestAwaitingReply();
            transport.complete(operation, status);
            return;
        }
        streamKind = STREAM_READ_RESPONSE;
        streamOperation = operation;
        streamSegment = operation.segment;
        streamOffset = operation.offset + chunk;
        streamRemaining = total - chunk;
    }

    /**
     * @param expectedLength the exact frame length, or minus the least length.
     * @return the oldest request awaiting a reply when the frame answers it, else null (the peer is failed).
     */
    private AeronOperation awaitedReply(
        final int type, final MemorySegment buffer, final long offset, final int length, final int expectedLength)
    {
        final long id = length >= AeronFrame.REPLY_ID_OFFSET + 8 ?
            buffer.get(LONG, offset + AeronFrame.REPLY_ID_OFFSET) : -1;
        final AeronOperation operation = endpoint.oldestAwaitingReply();
        final boolean grant = AeronFrame.TYPE_GRANT == type;
        final int kind = AeronFrame.TYPE_READ_RESPONSE == type ? AeronOperation.READ : AeronOperation.WRITE;
        if ((expectedLength >= 0 ? length != expectedLength : length < -expectedLength) || null == operation ||
            operation.id != id || operation.singleCopy != grant || (!grant && kind != operation.kind))
        {
            corrupt(AeronFrame.typeName(type) + " for request " + id + " does not answer the oldest outstanding " +
                "request (" + (null == operation ? "none" : "request " + operation.id) + ")");
            return null;
        }
        return operation;
    }

    private MemorySegment termSegment(final DirectBuffer buffer)
    {
        for (int i = 0; i < termBuffers.length; i++)
        {
            if (termBuffers[i] == buffer)
            {
                return termSegments[i];
            }
            if (null == termBuffers[i])
            {
                termBuffers[i] = buffer;
                termSegments[i] = MemorySegment.ofAddress(buffer.addressOffset()).reinterpret(buffer.capacity());
                return termSegments[i];
            }
        }
        return MemorySegment.ofAddress(buffer.addressOffset()).reinterpret(buffer.capacity());
    }

    private void ensureAssemblyCapacity(final long bytes)
    {
        if (null == assembly || assembly.byteSize() < bytes)
        {
            final long capacity = Math.min(transport.maxMessageBytes() + AeronFrame.PREFIX_LENGTH,
                Math.max(bytes, null == assembly ? 64 * 1024 : 2 * assembly.byteSize()));
            final MemorySegment grown = MemorySegment.ofBuffer(ByteBuffer.allocateDirect((int)capacity));
            if (null != assembly && assembled > 0)
            {
                MemorySegment.copy(assembly, 0, grown, 0, assembled);
            }
            assembly = grown;
        }
    }

    private void corrupt(final String what)
    {
        transport.onCorruptFrame(this, what);
    }
}
