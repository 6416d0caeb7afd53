package io.javelin.transport.aeron;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.protocol.DataHeaderFlyweight;
import org.agrona.concurrent.AgentInvoker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frames as {@link FrameWriter} puts them on a real IPC publication of an embedded driver: DATA and control
 * frames' bytes, their padding to the end of a cache line, and the DATA frames too long to be assembled.
 */
@Timeout(60)
class FrameWriterTest
{
    @TempDir
    Path directory;

    private MediaDriver driver;
    private Aeron aeron;
    private AgentInvoker driverInvoker;
    private ExclusivePublication publication;
    private Image image;
    private final Arena arena = Arena.ofConfined();

    @BeforeEach
    void setUp()
    {
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(directory.resolve("aeron").toString())
            .threadingMode(ThreadingMode.INVOKER)
            .asyncTaskExecutorThreads(0)
            .termBufferSparseFile(true)
            .ipcTermBufferLength(64 * 1024)
            .dirDeleteOnShutdown(true));
        driverInvoker = driver.sharedAgentInvoker();
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(driver.aeronDirectoryName())
            .useConductorAgentInvoker(true)
            .driverAgentInvoker(driverInvoker));
        final long publicationId = aeron.asyncAddExclusivePublication("aeron:ipc", 7);
        final long subscriptionId = aeron.asyncAddSubscription("aeron:ipc", 7);
        Subscription subscription = null;
        while (null == publication || null == subscription || !publication.isConnected() ||
            0 == subscription.imageCount())
        {
            driverInvoker.invoke();
            aeron.conductorAgentInvoker().invoke();
            publication = null == publication ? aeron.getExclusivePublication(publicationId) : publication;
            subscription = null == subscription ? aeron.getSubscription(subscriptionId) : subscription;
        }
        image = subscription.imageAtIndex(0);
    }

    @AfterEach
    void tearDown()
    {
        aeron.close();
        driver.close();
        arena.close();
    }

    @Test
    void shouldPadSmallFramesToTheEndOfACacheLineWithZeros()
    {
        final FrameWriter writer = new FrameWriter();
        final MemorySegment header = arena.allocate(24);
        header.fill((byte)0x11);
        // a long frame first, so that the writer's memory holds non-zero bytes past the short frames' ends
        final MemorySegment filler = arena.allocate(900);
        filler.fill((byte)0x7F);
        assertTrue(writer.data(publication, header, 24, filler, 0, 900) > 0);
        final byte[] payload = {1, 2, 3, 4, 5, 6, 7, 8};
        for (int i = 0; i < 5; i++)
        {
            assertTrue(writer.data(publication, header, 24, MemorySegment.ofArray(payload), 0, 8) > 0);
        }

        final List<Frame> frames = poll(6);
        for (final Frame frame : frames)
        {
            assertEquals(0, frame.end() % AeronFrame.CACHE_LINE_BYTES, "a frame ends on a cache line: " + frame);
            assertEquals(AeronFrame.TYPE_DATA, frame.bytes[AeronFrame.TYPE_OFFSET]);
        }
        for (final Frame frame : frames.subList(1, 6))
        {
            final int padding = frame.bytes[AeronFrame.PADDING_OFFSET] & 0xFF;
            final int length = AeronFrame.DATA_PREFIX_LENGTH + 24 + 8;
            assertEquals(length + padding, frame.bytes.length);
            assertArrayEquals(payload, Arrays.copyOfRange(frame.bytes, length - 8, length));
            for (int i = length; i < frame.bytes.length; i++)
            {
                assertEquals(0, frame.bytes[i], "padding byte " + i + " of " + frame);
            }
        }
    }

    @Test
    void shouldPutAMessageOf16BytesWithAnEagerHeaderInOneCacheLine()
    {
        final FrameWriter writer = new FrameWriter();
        final int headerLength = 20; // the engine's Eager header
        final MemorySegment header = arena.allocate(headerLength);
        header.fill((byte)0x33);
        final byte[] payload = new byte[16];
        Arrays.fill(payload, (byte)0x44);
        for (int i = 0; i < 3; i++)
        {
            assertTrue(writer.data(publication, header, headerLength, MemorySegment.ofArray(payload), 0, 16) > 0);
        }

        int termOffset = -1;
        for (final Frame frame : poll(3))
        {
            assertTrue(termOffset < 0 || frame.termOffset == termOffset + AeronFrame.CACHE_LINE_BYTES,
                "one cache line a frame: " + frame + " after the one at " + termOffset);
            assertEquals(0, frame.end() % AeronFrame.CACHE_LINE_BYTES, "a frame ends on a cache line: " + frame);
            assertEquals(0, frame.bytes[AeronFrame.PADDING_OFFSET], "nothing to pad: " + frame);
            assertEquals(AeronFrame.DATA_PREFIX_LENGTH + headerLength + 16, frame.bytes.length);
            assertEquals(AeronFrame.TYPE_DATA, frame.bytes[AeronFrame.TYPE_OFFSET]);
            assertEquals(0x33, frame.bytes[AeronFrame.DATA_PREFIX_LENGTH]);
            assertArrayEquals(payload, Arrays.copyOfRange(frame.bytes, frame.bytes.length - 16, frame.bytes.length));
            termOffset = frame.termOffset;
        }
    }

    @Test
    void shouldLayOutControlFramesWithTheirFieldsAndPadding()
    {
        final FrameWriter writer = new FrameWriter();
        assertTrue(writer.control(publication, AeronFrame.RMA_REQUEST_LENGTH, AeronFrame.TYPE_GRANT_REQUEST, 3, -7,
            11L, 22L, 33L, 44L) > 0);
        assertTrue(writer.control(publication, AeronFrame.PREFIX_LENGTH, AeronFrame.TYPE_BYE, 0, 5, 1L, 2L, 3L,
            4L) > 0);

        final List<Frame> frames = poll(2);
        final MemorySegment request = MemorySegment.ofArray(frames.get(0).bytes);
        assertEquals(AeronFrame.TYPE_GRANT_REQUEST, request.get(ValueLayout.JAVA_BYTE, AeronFrame.TYPE_OFFSET));
        assertEquals(3, request.get(ValueLayout.JAVA_BYTE, AeronFrame.FLAGS_OFFSET));
        assertEquals(-7, request.get(ValueLayout.JAVA_INT_UNALIGNED, AeronFrame.INT_FIELD_OFFSET));
        for (int i = 0; i < 4; i++)
        {
            assertEquals(11L * (i + 1), request.get(ValueLayout.JAVA_LONG_UNALIGNED, 8 + 8L * i));
        }
        final MemorySegment bye = MemorySegment.ofArray(frames.get(1).bytes);
        assertEquals(AeronFrame.TYPE_BYE, bye.get(ValueLayout.JAVA_BYTE, AeronFrame.TYPE_OFFSET));
        assertEquals(5, bye.get(ValueLayout.JAVA_INT_UNALIGNED, AeronFrame.INT_FIELD_OFFSET));
        for (final Frame frame : frames)
        {
            assertEquals(0, frame.end() % AeronFrame.CACHE_LINE_BYTES, "a frame ends on a cache line: " + frame);
        }
        final int padding = bye.get(ValueLayout.JAVA_BYTE, AeronFrame.PADDING_OFFSET) & 0xFF;
        assertEquals(AeronFrame.PREFIX_LENGTH + padding, frames.get(1).bytes.length);
        for (int i = AeronFrame.PREFIX_LENGTH; i < frames.get(1).bytes.length; i++)
        {
            assertEquals(0, frames.get(1).bytes[i], "padding byte " + i + " after the earlier, longer frame");
        }
    }

    @Test
    void shouldCarryFramesLongerThanTheAssemblyBufferWhole()
    {
        final FrameWriter writer = new FrameWriter();
        final MemorySegment header = arena.allocate(16);
        header.fill((byte)0x22);
        final int length = FrameWriter.STAGED_FRAME_BYTES + 100;
        final int[] ints = new int[length / Integer.BYTES];
        for (int i = 0; i < ints.length; i++)
        {
            ints[i] = i * 31;
        }
        final MemorySegment payload = MemorySegment.ofArray(ints);
        assertTrue(writer.data(publication, header, 16, payload, 0, (int)payload.byteSize()) > 0);

        final Frame frame = poll(1).getFirst();
        assertEquals(0, frame.bytes[AeronFrame.PADDING_OFFSET], "an offered frame is not padded");
        assertEquals(AeronFrame.DATA_PREFIX_LENGTH + 16 + payload.byteSize(), frame.bytes.length);
        final MemorySegment received = MemorySegment.ofArray(frame.bytes);
        for (int i = 0; i < ints.length; i++)
        {
            assertEquals(ints[i], received.get(ValueLayout.JAVA_INT_UNALIGNED,
                AeronFrame.DATA_PREFIX_LENGTH + 16 + (long)i * Integer.BYTES));
        }
    }

    private List<Frame> poll(final int count)
    {
        final List<Frame> frames = new ArrayList<>();
        final FragmentHandler handler = (buffer, offset, length, header) ->
        {
            // a frame starts in the reserved value of Aeron's header, the last 8 bytes before the body
            final byte[] bytes = new byte[length + AeronFrame.RESERVED_VALUE_BYTES];
            buffer.getBytes(offset - AeronFrame.RESERVED_VALUE_BYTES, bytes);
            frames.add(new Frame(header.termOffset(), bytes));
        };
        while (frames.size() < count)
        {
            if (0 == image.poll(handler, count))
            {
                driverInvoker.invoke();
            }
        }
        return frames;
    }

    private record Frame(int termOffset, byte[] bytes)
    {
        /**
         * @return the term offset where the frame ends: its bytes start in the reserved value, the last field of
         *         Aeron's header.
         */
        int end()
        {
            return termOffset + DataHeaderFlyweight.HEADER_LENGTH - AeronFrame.RESERVED_VALUE_BYTES + bytes.length;
        }

        @Override
        public String toString()
        {
            return "frame at term offset " + termOffset + " of " + bytes.length + " bytes";
        }
    }
}
