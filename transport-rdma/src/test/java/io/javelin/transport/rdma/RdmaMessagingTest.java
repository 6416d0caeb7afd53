package io.javelin.transport.rdma;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Javelin;
import io.javelin.mpi.Request;
import io.javelin.mpi.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The messaging engine over the RDMA transport: two ranks (threads of this JVM, each with its own
 * {@link RdmaTransport}) exchange messages below and above the eager limit, from heap arrays (staged through
 * bounce buffers) and from registered off-heap memory, with rendezvous by RGET (the receiver's RDMA READ) and by
 * RPUT (the sender's RDMA WRITE with immediate). Needs an RDMA device: skipped without one, as
 * {@link RdmaTransportConformanceTest}; {@code deploy/softroce/run-rdma-tests.sh} runs it on soft-RoCE with rank 0
 * on rxe0 and rank 1 on rxe1 ({@code JAVELIN_RDMA_ADDRESS=198.18.0.1,198.18.0.2}).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RdmaMessagingTest
{
    private static final long EAGER_LIMIT = RdmaConfiguration.EAGER_LIMIT_DEFAULT_BYTES;
    private static final long[] SIZES =
        {0, 1, 7, EAGER_LIMIT - 1, EAGER_LIMIT, EAGER_LIMIT + 1, 64 * 1024 + 3, 1 << 20, (4 << 20) - 5};

    @BeforeEach
    void requireAnRdmaDevice()
    {
        final String reason = new RdmaTransportProvider().unavailableReason();
        assumeTrue(null == reason, () -> "no usable RDMA device here: " + reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"get", "put"})
    void shouldTransferEverySizeAroundTheEagerLimitWithChecksums(final String rendezvous)
    {
        Javelin.runLocal(2, javelin ->
        {
            final Comm world = javelin.world();
            final MemorySegment offHeap = javelin.allocate(4 << 20);
            for (final long size : SIZES)
            {
                for (int useHeap = 0; useHeap < 2; useHeap++)
                {
                    final MemorySegment buffer = useHeap == 1 ? MemorySegment.ofArray(new byte[(int)size]) :
                        offHeap.asSlice(0, size);
                    final String what = size + " bytes " + (useHeap == 1 ? "heap" : "off-heap") + " by " + rendezvous;
                    if (world.rank() == 1)
                    {
                        fill(buffer, size);
                        world.send(Buf.of(buffer), 0, (int)(size & 0xFFFFFF));
                        world.send(Buf.of(new long[]{crc(buffer)}), 0, 1 << 25);
                    }
                    else
                    {
                        buffer.fill((byte)0);
                        final Status status = world.recv(Buf.of(buffer), 1, (int)(size & 0xFFFFFF));
                        final long[] expected = new long[1];
                        world.recv(Buf.of(expected), 1, 1 << 25);
                        assertEquals(size, status.byteCount(), "length of " + what);
                        assertEquals(expected[0], crc(buffer), "checksum of " + what);
                    }
                }
            }
        }, options(rendezvous));
    }

    @ParameterizedTest
    @ValueSource(strings = {"get", "put"})
    void shouldKeepManyRendezvousAndEagerMessagesInFlightInOrder(final String rendezvous)
    {
        final int messages = 32;
        final int large = 256 * 1024;
        Javelin.runLocal(2, javelin ->
        {
            final Comm world = javelin.world();
            final MemorySegment memory = javelin.allocate((long)messages * large);
            final Request[] requests = new Request[messages];
            if (world.rank() == 0)
            {
                for (int i = 0; i < messages; i++)
                {
                    final MemorySegment slot = memory.asSlice((long)i * large, large);
                    slot.fill((byte)i);
                    // alternate rendezvous and eager messages on one tag: the receiver must see them in order
                    final long length = i % 2 == 0 ? large : EAGER_LIMIT / 2;
                    requests[i] = world.isend(Buf.of(slot.asSlice(0, length)), 1, 3);
                }
                Request.awaitAll(requests);
            }
            else
            {
                for (int i = 0; i < messages; i++)
                {
                    requests[i] = world.irecv(Buf.of(memory.asSlice((long)i * large, large)), 0, 3);
                }
                Request.awaitAll(requests);
                final MemorySegment expected = MemorySegment.ofArray(new byte[large]);
                for (int i = 0; i < messages; i++)
                {
                    final long length = i % 2 == 0 ? large : EAGER_LIMIT / 2;
                    expected.fill((byte)i);
                    final long mismatch = memory.asSlice((long)i * large, length).mismatch(expected.asSlice(0, length));
                    assertEquals(-1, mismatch, "message " + i + " (" + length + " bytes) differs at byte " + mismatch);
                }
            }
            world.barrier();
        }, options(rendezvous));
    }

    private static String[] options(final String rendezvous)
    {
        return new String[]{"--javelin.transport=rdma", "--javelin.rendezvous=" + rendezvous};
    }

    private static void fill(final MemorySegment buffer, final long size)
    {
        for (long i = 0; i < size; i++)
        {
            buffer.set(ValueLayout.JAVA_BYTE, i, (byte)(i * 31 + size));
        }
    }

    private static long crc(final MemorySegment buffer)
    {
        final CRC32 crc = new CRC32();
        crc.update(buffer.asByteBuffer());
        return crc.getValue();
    }
}
