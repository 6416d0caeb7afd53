package io.javelin.transport.aeron;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.ReservedValueSupplier;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.protocol.DataHeaderFlyweight;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Puts {@link AeronFrame}s on a publication. Control frames and small two-sided messages are assembled in this
 * writer's memory and offered whole ({@link #offerAssembled}); a larger message is offered as two buffers (frame
 * prefix with the user's header, then a view of the payload), which Aeron copies into the term and fragments
 * where it must. The handshake's frames and those of WRITE and READ_RESPONSE streams are claimed
 * ({@code tryClaim}) and filled in place, a stream's data copied once from the registered memory into the term.
 *
 * <p>The first {@link AeronFrame#RESERVED_VALUE_BYTES} bytes of every frame go in the reserved value of Aeron's data
 * header, which lies just before the frame's body in the term: the receiver reads the frame whole from there, and a
 * small message takes a cache line less.
 *
 * <p>Results are Aeron's: a positive position when the frame is in the term, else a negative
 * {@link Publication} code. Used only on the progress thread; one per transport.
 */
final class FrameWriter
{
    /** Every native byte, addressed absolutely: the claimed term space is a raw address. */
    private static final MemorySegment ALL_MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ORDER);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ORDER);
    /**
     * Largest two-sided message (prefix, header and payload) assembled before it is offered ({@link #offerAssembled});
     * longer ones are offered as two buffers, the user's payload copied by Aeron straight into the term.
     */
    static final int STAGED_FRAME_BYTES = 1024;

    private final BufferClaim claim = new BufferClaim();
    /** The first bytes of the frame being offered, as Aeron puts them into its header's reserved value. */
    private long reservedValue;
    private final ReservedValueSupplier firstBytes = (termBuffer, termOffset, frameLength) -> reservedValue;
    private final UnsafeBuffer prefix;
    private final MemorySegment prefixSegment;
    private final UnsafeBuffer payloadView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer frame;
    private final MemorySegment frameSegment;
    private ByteBuffer staging;
    /** Bytes of padding at the end of the frame claimed last. */
    private int padding;
    /** {@link #frame}'s bytes from here on are zero: the end of the longest frame assembled since they were. */
    private int frameDirtyEnd;

    FrameWriter()
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(
            AeronFrame.PREFIX_LENGTH + AeronConfiguration.MAX_HEADER_BYTES).order(ORDER);
        prefix = new UnsafeBuffer(buffer);
        prefixSegment = MemorySegment.ofBuffer(buffer);
        final ByteBuffer frameMemory = ByteBuffer.allocateDirect(STAGED_FRAME_BYTES + AeronFrame.CACHE_LINE_BYTES);
        frame = new UnsafeBuffer(frameMemory);
        frameSegment = MemorySegment.ofBuffer(frameMemory);
    }

    long data(
        final ExclusivePublication publication,
        final MemorySegment header,
        final int headerLength,
        final MemorySegment payload,
        final long payloadOffset,
        final int payloadLength)
    {
        final int length = AeronFrame.DATA_PREFIX_LENGTH + headerLength + payloadLength;
        if (length <= STAGED_FRAME_BYTES)
        {
            frame.putInt(0, AeronFrame.TYPE_DATA); // flags 0, padding (set on offer), reserved 0
            if (headerLength > 0)
            {
                MemorySegment.copy(header, 0, frameSegment, AeronFrame.DATA_PREFIX_LENGTH, headerLength);
            }
            if (payloadLength > 0)
            {
                MemorySegment.copy(payload, payloadOffset, frameSegment,
                    AeronFrame.DATA_PREFIX_LENGTH + headerLength, payloadLength);
            }
            return offerAssembled(publication, length);
        }
        prefix.putInt(0, AeronFrame.TYPE_DATA);
        if (headerLength > 0)
        {
            MemorySegment.copy(header, 0, prefixSegment, AeronFrame.DATA_PREFIX_LENGTH, headerLength);
        }
        // the reserved value takes the frame's first bytes: the payload's first too if the header is that short
        final int prefixLength = AeronFrame.DATA_PREFIX_LENGTH + headerLength;
        final int borrowed = Math.max(0, AeronFrame.RESERVED_VALUE_BYTES - prefixLength);
        if (borrowed > 0)
        {
            MemorySegment.copy(payload, payloadOffset, prefixSegment, prefixLength, borrowed);
        }
        reservedValue = prefix.getLong(0, ORDER);
        wrapPayload(payload, payloadOffset + borrowed, payloadLength - borrowed);
        long result;
        do
        {
            result = publication.offer(prefix, AeronFrame.RESERVED_VALUE_BYTES,
                prefixLength + borrowed - AeronFrame.RESERVED_VALUE_BYTES, payloadView, 0, payloadLength - borrowed,
                firstBytes);
        }
        while (Publication.ADMIN_ACTION == result);
        payloadView.wrap(0, 0);
        return result;
    }

    /**
     * A fixed-length frame: prefix, then up to four longs at offsets 8, 16, 24 and 32.
     */
    long control(
        final ExclusivePublication publication,
        final int length,
        final byte type,
        final int flags,
        final int intField,
        final long at8,
        final long at16,
        final long at24,
        final long at32)
    {
        frame.putLong(0, 0L);
        frame.putByte(AeronFrame.TYPE_OFFSET, type);
        frame.putByte(AeronFrame.FLAGS_OFFSET, (byte)flags);
        frame.putInt(AeronFrame.INT_FIELD_OFFSET, intField, ORDER);
        if (length >= 16)
        {
            frame.putLong(8, at8, ORDER);
        }
        if (length >= 24)
        {
            frame.putLong(16, at16, ORDER);
        }
        if (length >= 32)
        {
            frame.putLong(24, at24, ORDER);
        }
        if (length >= 40)
        {
            frame.putLong(32, at32, ORDER);
        }
        return offerAssembled(publication, length);
    }

    /**
     * Offers the frame of {@code length} bytes assembled in {@link #frame}, padded at its end so that it ends on a
     * cache line (see {@link #claim}; the padding byte of its prefix is set here). The receiver spins on the
     * frame's first cache line; offering a finished frame writes that line only for as long as Aeron's copy takes,
     * whereas a claimed frame filled field by field gives the spinning reader time to pull the line back between
     * the sender's stores, and each such round costs a transfer between cores (measured here: 8 B one-way 0.59
     * against 0.37 us when the two ranks' CPUs are far apart).
     */
    private long offerAssembled(final ExclusivePublication publication, final int length)
    {
        final int pad = padding(publication, length);
        frame.putByte(AeronFrame.PADDING_OFFSET, (byte)pad);
        // nothing of an earlier, longer frame (maybe to another peer) goes along in the padding; bytes past the
        // longest frame since the last zeroing are zero still, so frames of one length zero nothing
        final int dirty = Math.min(frameDirtyEnd, length + pad) - length;
        if (dirty > 0)
        {
            frame.setMemory(length, dirty, (byte)0);
        }
        frameDirtyEnd = frameDirtyEnd > length + pad ? frameDirtyEnd : length;
        reservedValue = frame.getLong(0, ORDER);
        long result;
        do
        {
            result = publication.offer(frame, AeronFrame.RESERVED_VALUE_BYTES,
                length + pad - AeronFrame.RESERVED_VALUE_BYTES, firstBytes);
        }
        while (Publication.ADMIN_ACTION == result);
        return result;
    }

    long refuse(final ExclusivePublication publication, final int reason, final int rank)
    {
        final long result = claim(publication, AeronFrame.REFUSE_LENGTH);
        if (result > 0)
        {
            final long address = claimedAddress();
            putPrefix(address, AeronFrame.TYPE_REFUSE, 0, reason);
            ALL_MEMORY.set(INT, address + AeronFrame.REFUSE_RANK_OFFSET, rank);
            claim.commit();
        }
        return result;
    }

    long hello(
        final ExclusivePublication publication, final long secret, final int rank, final int jobSize,
        final byte[] address)
    {
        final int length = AeronFrame.HELLO_ADDRESS_OFFSET + address.length;
        final long result = claim(publication, length);
        if (result > 0)
        {
            final MutableDirectBuffer buffer = claim.buffer();
            final int base = claim.offset() - AeronFrame.RESERVED_VALUE_BYTES;
            buffer.putLong(base, 0L);
            buffer.putByte(base + AeronFrame.TYPE_OFFSET, AeronFrame.TYPE_HELLO);
            buffer.putByte(base + AeronFrame.PADDING_OFFSET, (byte)padding);
            buffer.putInt(base + AeronFrame.INT_FIELD_OFFSET, AeronFrame.HELLO_VERSION, ORDER);
            buffer.putLong(base + AeronFrame.HELLO_SECRET_OFFSET, secret, ORDER);
            buffer.putInt(base + AeronFrame.HELLO_RANK_OFFSET, rank, ORDER);
            buffer.putInt(base + AeronFrame.HELLO_JOB_SIZE_OFFSET, jobSize, ORDER);
            buffer.putShort(base + AeronFrame.HELLO_ADDRESS_LENGTH_OFFSET, (short)address.length, ORDER);
            buffer.putBytes(base + AeronFrame.HELLO_ADDRESS_OFFSET, address);
            claim.commit();
        }
        return result;
    }

    /**
     * Emits the frames of a stream (WRITE or READ_RESPONSE header frame, then CONTINUE frames) from where it
     * stopped until it is complete or the publication pushes back.
     *
     * @param operation  the stream; its {@code segment}, {@code offset}, {@code length} are the source.
     * @param headerType {@link AeronFrame#TYPE_WRITE} or {@link AeronFrame#TYPE_READ_RESPONSE}.
     * @return 1 when the whole stream is out, else the (negative) Aeron code that stopped it.
     */
    long stream(final ExclusivePublication publication, final AeronOperation operation, final byte headerType)
    {
        final int maxFrame = publication.maxPayloadLength();
        while (!operation.started || operation.streamed < operation.length)
        {
            final int headerLength = operation.started ? AeronFrame.PREFIX_LENGTH :
                AeronFrame.TYPE_WRITE == headerType ? AeronFrame.RMA_REQUEST_LENGTH :
                AeronFrame.READ_RESPONSE_HEADER_LENGTH;
            final int chunk = (int)Math.min(operation.length - operation.streamed,
                maxFrame + AeronFrame.RESERVED_VALUE_BYTES - headerLength);
            final long result = claim(publication, headerLength + chunk);
            if (result < 0)
            {
                return result;
            }
            final long address = claimedAddress();
            if (operation.started)
            {
                putPrefix(address, AeronFrame.TYPE_CONTINUE, 0, 0);
            }
            else if (AeronFrame.TYPE_WRITE == headerType)
            {
                putPrefix(address, AeronFrame.TYPE_WRITE, 0, 0);
                ALL_MEMORY.set(LONG, address + AeronFrame.RMA_KEY_OFFSET, operation.remoteKey);
                ALL_MEMORY.set(LONG, address + AeronFrame.RMA_ADDRESS_OFFSET, operation.remoteAddress);
                ALL_MEMORY.set(LONG, address + AeronFrame.RMA_LENGTH_OFFSET, operation.length);
                ALL_MEMORY.set(LONG, address + AeronFrame.RMA_ID_OFFSET, operation.id);
            }
            else
            {
                putPrefix(address, AeronFrame.TYPE_READ_RESPONSE, 0, operation.status);
                ALL_MEMORY.set(LONG, address + AeronFrame.REPLY_ID_OFFSET, operation.id);
                ALL_MEMORY.set(LONG, address + AeronFrame.READ_RESPONSE_LENGTH_OFFSET, operation.length);
            }
            if (chunk > 0)
            {
                MemorySegment.copy(operation.segment, operation.offset + operation.streamed, ALL_MEMORY,
                    address + headerLength, chunk);
            }
            claim.commit();
            operation.started = true;
            operation.streamed += chunk;
        }
        return 1;
    }

    /**
     * Claims a frame for a message of {@code length} bytes, padded at its end ({@link #padding}, which the caller
     * writes into the prefix) so that the frame ends on a cache line: the next frame then starts on one, and a
     * small message (an 8-byte send is a 64-byte frame) is one cache line for the receiving core to pull rather
     * than the ends of two. Frames too long to pad are claimed as they are. The frame starts at
     * {@link #claimedAddress}, in the reserved value of Aeron's header; {@code length} is at least that long.
     */
    private long claim(final ExclusivePublication publication, final int length)
    {
        padding = padding(publication, length);
        long result;
        do
        {
            result = publication.tryClaim(length + padding - AeronFrame.RESERVED_VALUE_BYTES, claim);
        }
        while (Publication.ADMIN_ACTION == result);
        return result;
    }

    /**
     * @return bytes to add to a message of {@code length} bytes put on the publication next so that its frame ends
     *         on a cache line, or 0 when the padded frame would no longer fit one Aeron frame.
     */
    private static int padding(final ExclusivePublication publication, final int length)
    {
        final int body = length - AeronFrame.RESERVED_VALUE_BYTES;
        final long end = publication.position() + DataHeaderFlyweight.HEADER_LENGTH + body;
        final int pad = (int)(-end & (AeronFrame.CACHE_LINE_BYTES - 1));
        return body + pad > publication.maxPayloadLength() ? 0 : pad;
    }

    /**
     * @return where the claimed frame starts: at the reserved value of Aeron's header, just before the body.
     */
    private long claimedAddress()
    {
        return claim.buffer().addressOffset() + claim.offset() - AeronFrame.RESERVED_VALUE_BYTES;
    }

    private void putPrefix(final long address, final byte type, final int flags, final int intField)
    {
        ALL_MEMORY.set(LONG, address, 0L);
        ALL_MEMORY.set(ValueLayout.JAVA_BYTE, address + AeronFrame.TYPE_OFFSET, type);
        ALL_MEMORY.set(ValueLayout.JAVA_BYTE, address + AeronFrame.FLAGS_OFFSET, (byte)flags);
        ALL_MEMORY.set(ValueLayout.JAVA_BYTE, address + AeronFrame.PADDING_OFFSET, (byte)padding);
        ALL_MEMORY.set(INT, address + AeronFrame.INT_FIELD_OFFSET, intField);
    }

    private void wrapPayload(final MemorySegment payload, final long offset, final int length)
    {
        if (payload.isNative())
        {
            payloadView.wrap(payload.address() + offset, length);
            return;
        }
        final Object base = payload.heapBase().orElse(null);
        if (base instanceof byte[] array)
        {
            payloadView.wrap(array, (int)(payload.address() + offset), length);
            return;
        }
        if (null == staging || staging.capacity() < length)
        {
            staging = ByteBuffer.allocateDirect(Math.max(length, 64 * 1024));
        }
        MemorySegment.copy(payload, offset, MemorySegment.ofBuffer(staging), 0, length);
        payloadView.wrap(staging, 0, length);
    }
}
