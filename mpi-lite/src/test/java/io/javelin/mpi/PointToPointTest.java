package io.javelin.mpi;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Point-to-point semantics over every transport that can run ranks as threads of one JVM.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PointToPointTest
{
    private static String[] options(final String transport)
    {
        return new String[]{"--javelin.transport=" + transport};
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void shouldMatchWildcardsAndReportSourceAndTag(final String transport)
    {
        Javelin.runLocal(3, javelin ->
        {
            final Comm world = javelin.world();
            if (world.rank() == 0)
            {
                final List<String> seen = new ArrayList<>();
                for (int i = 0; i < 4; i++)
                {
                    final int[] value = new int[1];
                    final Status status = world.recv(Buf.of(value), Comm.ANY_SOURCE, Comm.ANY_TAG);
                    assertEquals(status.source() * 100 + status.tag(), value[0]);
                    assertEquals(1, status.count());
                    seen.add(status.source() + ":" + status.tag());
                }
                seen.sort(String::compareTo);
                assertEquals(List.of("1:5", "1:6", "2:5", "2:7"), seen);
            }
            else
            {
                final int other = world.rank() == 1 ? 6 : 7;
                world.send(Buf.of(new int[]{world.rank() * 100 + 5}), 0, 5);
                world.send(Buf.of(new int[]{world.rank() * 100 + other}), 0, other);
            }
        }, options(transport));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void shouldKeepEachSendersOrderWithManySenders(final String transport)
    {
        final int messages = 400;
        Javelin.runLocal(4, javelin ->
        {
            final Comm world = javelin.world();
            if (world.rank() == 0)
            {
                final int[] next = new int[world.size()];
                final long[] buffer = new long[20_000];
                for (int i = 0; i < messages * 3; i++)
                {
                    final Status status = world.recv(Buf.of(buffer), Comm.ANY_SOURCE, 3);
                    assertEquals(next[status.source()]++, buffer[0], "order from rank " + status.source());
                    assertEquals(lengthOf((int)buffer[0]), status.count());
                }
                for (int r = 1; r < world.size(); r++)
                {
                    assertEquals(messages, next[r]);
                }
            }
            else
            {
                final List<Request> requests = new ArrayList<>();
                for (int i = 0; i < messages; i++)
                {
                    final long[] payload = new long[lengthOf(i)];
                    payload[0] = i;
                    requests.add(world.isend(Buf.of(payload), 0, 3));
                }
                Request.awaitAll(requests.toArray(new Request[0]));
            }
        }, options(transport));
    }

    private static int lengthOf(final int i)
    {
        return i % 50 == 7 ? 20_000 : 1 + i % 13;
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void shouldProbeBeforeReceiving(final String transport)
    {
        Javelin.runLocal(2, javelin ->
        {
            final Comm world = javelin.world();
            if (world.rank() == 0)
            {
                assertEquals(Optional.empty(), world.iprobe(1, 9));
                world.barrier();
                final Status probed = world.probe(Comm.ANY_SOURCE, Comm.ANY_TAG);
                assertEquals(1, probed.source());
                assertEquals(9, probed.tag());
                assertEquals(3 * 8, probed.byteCount());
                final double[] data = new double[(int)(probed.byteCount() / 8)];
                final Status status = world.recv(Buf.of(data), probed.source(), probed.tag());
                assertEquals(3, status.count());
                assertArrayEquals(new double[]{1.5, 2.5, 3.5}, data);
            }
            else
            {
                world.barrier();
                world.send(Buf.of(new double[]{1.5, 2.5, 3.5}), 0, 9);
            }
        }, options(transport));
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 1 << 20})
    void shouldReportTruncationAndKeepTheFirstBytes(final int length)
    {
        Javelin.runLocal(2, javelin ->
        {
            final Comm world = javelin.world();
            if (world.rank() == 0)
            {
                final byte[] small = new byte[length / 2];
                final JavelinException ex = assertThrows(JavelinException.class,
                    () -> world.recv(Buf.of(small), 1, 0));
                assertEquals(ErrorClass.TRUNCATE, ex.errorClass());
                for (int i = 0; i < small.length; i++)
                {
                    assertEquals((byte)i, small[i]);
                }
                final int[] after = new int[1];
                world.recv(Buf.of(after), 1, 1);
                assertEquals(42, after[0]);
            }
            else
            {
                final byte[] data = new byte[length];
                for (int i = 0; i < length; i++)
                {
                    data[i] = (byte)i;
                }
                world.send(Buf.of(data), 0, 0);
                world.send(Buf.of(new int[]{42}), 0, 1);
            }
        }, options("tcp"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void shouldTransferEverySizeAroundTheEagerLimitWithChecksums(final String transport)
    {
        final long eagerLimit = "tcp".equals(transport) ? 64 * 1024 : 16 * 1024;
        final long[] sizes = {0, 1, 7, eagerLimit - 1, eagerLimit, eagerLimit + 1, 1 << 20, 4 << 20};
        Javelin.runLocal(2, javelin ->
        {
            final Comm world = javelin.world();
            final MemorySegment offHeap = javelin.allocate(4 << 20);
            for (final long size : sizes)
            {
                for (int useHeap = 0; useHeap < 2; useHeap++)
                {
                    final MemorySegment buffer = useHeap == 1 ? MemorySegment.ofArray(new byte[(int)size]) :
                        offHeap.asSlice(0, size);
                    if (world.rank() == 1)
                    {
                        fill(buffer, size);
                        world.send(Buf.of(buffer), 0, (int)size);
                        world.send(Buf.of(new long[]{crc(buffer)}), 0, 1);
                    }
                    else
                    {
                        buffer.fill((byte)0);
                        final Status status = world.recv(Buf.of(buffer), 1, (int)size);
                        final long[] expected = new long[1];
                        world.recv(Buf.of(expected), 1, 1);
                        assertEquals(size, status.byteCount());
                        assertEquals(expected[0], crc(buffer), "checksum of " + size + " bytes");
                    }
                }
            }
        }, options(transport));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void shouldSendToSelfAndExchangeInARing(final String transport)
    {
        Javelin.runLocal(4, javelin ->
        {
            final Comm world = javelin.world();
            final int rank = world.rank();
            final int size = world.size();
            final long[] received = new long[1];
            world.sendrecv(Buf.of(new long[]{rank}), (rank + 1) % size, 0, Buf.of(received), (rank + size - 1) % size,
                0);
            assertEquals((rank + size - 1) % size, received[0]);
            final byte[] big = new byte[300_000];
            big[299_999] = 5;
            final Request toSelf = world.isend(Buf.of(big), rank, 4);
            final byte[] back = new byte[300_000];
            world.recv(Buf.of(back), rank, 4);
            toSelf.await();
            assertEquals(5, back[299_999]);
        }, options(transport));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void shouldReceiveOutOfOrderBeyondTheEagerCredits(final String transport)
    {
        Javelin.runLocal(2, javelin ->
        {
            final Comm world = javelin.world();
            final int count = 300;
            if (world.rank() == 1)
            {
                final Request[] requests = new Request[count];
                for (int i = 0; i < count; i++)
                {
                    requests[i] = world.isend(Buf.of(new int[]{i}), 0, i);
                }
                Request.awaitAll(requests);
            }
            else
            {
                final int[] value = new int[1];
                for (int i = count - 1; i >= 0; i--)
                {
                    world.recv(Buf.of(value), 1, i);
                    assertEquals(i, value[0]);
                }
            }
        }, "--javelin.transport=" + transport, "--javelin.eager.credits=8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"get", "put"})
    void shouldRetryRendezvousTransfersTheTransportIsTooBusyToTake(final String protocol)
    {
        final int messages = 48;
        final int bytes = 256 * 1024;
        Javelin.runLocal(2, javelin ->
        {
            final Comm world = javelin.world();
            final Request[] requests = new Request[messages];
            final byte[][] buffers = new byte[messages][bytes];
            for (int i = 0; i < messages; i++)
            {
                if (world.rank() == 0)
                {
                    java.util.Arrays.fill(buffers[i], (byte)i);
                    requests[i] = world.isend(Buf.of(buffers[i]), 1, i);
                }
                else
                {
                    requests[i] = world.irecv(Buf.of(buffers[i]), 0, i);
                }
            }
            Request.awaitAll(requests);
            if (world.rank() == 1)
            {
                for (int i = 0; i < messages; i++)
                {
                    assertEquals((byte)i, buffers[i][bytes - 1], "message " + i);
                }
            }
        }, "--javelin.transport=tcp", "--javelin.rendezvous=" + protocol, "--javelin.tcp.max.pending.operations=4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void shouldRejectInvalidArgumentsAtTheCall(final String transport)
    {
        Javelin.runLocal(2, javelin ->
        {
            final Comm world = javelin.world();
            final Buf buf = Buf.of(new byte[4]);
            assertInvalid(() -> world.send(buf, 2, 0));
            assertInvalid(() -> world.send(buf, -1, 0));
            assertInvalid(() -> world.isend(buf, 0, -5));
            assertInvalid(() -> world.irecv(buf, 7, 0));
            assertInvalid(() -> world.irecv(buf, 0, -2));
            assertInvalid(() -> world.send(null, 0, 0));
            assertInvalid(() -> Buf.of(new int[3], 2, 2));
            assertInvalid(() -> javelin.allocate(-1));
            assertInvalid(world::close);
        }, options(transport));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void shouldRunOddJobSizes(final int ranks)
    {
        Javelin.runLocal(ranks, javelin ->
        {
            final Comm world = javelin.world();
            assertEquals(ranks, world.size());
            world.barrier();
            final int[] token = {world.rank() == 0 ? 1 : 0};
            if (world.rank() > 0)
            {
                world.recv(Buf.of(token), world.rank() - 1, 0);
                token[0]++;
            }
            if (world.rank() < ranks - 1)
            {
                world.send(Buf.of(token), world.rank() + 1, 0);
            }
            else
            {
                assertEquals(ranks, token[0]);
            }
        }, options("tcp"));
    }

    @org.junit.jupiter.api.Test
    void shouldRethrowARanksFailureAndReleaseTheOthers()
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> Javelin.runLocal(2,
            javelin ->
            {
                if (javelin.world().rank() == 1)
                {
                    throw new IllegalStateException("rank 1 gives up");
                }
                javelin.world().recv(Buf.of(new byte[1]), 1, 0);
            }));
        assertTrue(ex.getMessage().contains("gives up"));
    }

    private static void assertInvalid(final org.junit.jupiter.api.function.Executable call)
    {
        final JavelinException ex = assertThrows(JavelinException.class, call);
        assertEquals(ErrorClass.INVALID_ARGUMENT, ex.errorClass(), ex.getMessage());
    }

    static void fill(final MemorySegment buffer, final long seed)
    {
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (long i = 0; i < buffer.byteSize(); i++)
        {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            buffer.set(ValueLayout.JAVA_BYTE, i, (byte)x);
        }
    }

    static long crc(final MemorySegment buffer)
    {
        final CRC32 crc = new CRC32();
        crc.update(buffer.asByteBuffer());
        return crc.getValue();
    }
}
