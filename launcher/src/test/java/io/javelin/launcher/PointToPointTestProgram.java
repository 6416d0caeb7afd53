package io.javelin.launcher;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.ErrorClass;
import io.javelin.mpi.Javelin;
import io.javelin.mpi.JavelinException;
import io.javelin.mpi.Request;
import io.javelin.mpi.Status;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.CRC32;

/**
 * A rank of a real multi-process job: exercises point-to-point semantics and exits non-zero (by throwing)
 * on any wrong result. Argument: the largest message size in bytes.
 */
public final class PointToPointTestProgram
{
    private PointToPointTestProgram()
    {
    }

    public static void main(final String[] args)
    {
        final long maxBytes = Long.parseLong(args[0]);
        try (Javelin javelin = Javelin.init(args))
        {
            final Comm world = javelin.world();
            ring(world);
            orderFromEverySender(world);
            truncation(world);
            sizes(javelin, world, maxBytes);
            System.out.println("rank " + world.rank() + " of " + world.size() + " OK over " +
                javelin.transportName());
        }
    }

    private static void ring(final Comm world)
    {
        final int rank = world.rank();
        final int size = world.size();
        final int[] received = new int[1];
        world.sendrecv(Buf.of(new int[]{rank}), (rank + 1) % size, 0, Buf.of(received), (rank + size - 1) % size, 0);
        check(received[0] == (rank + size - 1) % size, "ring: got " + received[0]);
    }

    private static void orderFromEverySender(final Comm world)
    {
        final int messages = 200;
        if (world.rank() == 0)
        {
            final int[] next = new int[world.size()];
            final int[] value = new int[30_000];
            for (int i = 0; i < messages * (world.size() - 1); i++)
            {
                final Status status = world.recv(Buf.of(value), Comm.ANY_SOURCE, 1);
                check(value[0] == next[status.source()]++, "order from rank " + status.source());
            }
        }
        else
        {
            final Request[] requests = new Request[messages];
            for (int i = 0; i < messages; i++)
            {
                final int[] payload = new int[i % 40 == 3 ? 30_000 : 1 + i % 5];
                payload[0] = i;
                requests[i] = world.isend(Buf.of(payload), 0, 1);
            }
            Request.awaitAll(requests);
        }
        world.barrier();
    }

    private static void truncation(final Comm world)
    {
        if (world.rank() == 1)
        {
            world.send(Buf.of(new byte[64]), 0, 2);
        }
        else if (world.rank() == 0)
        {
            try
            {
                world.recv(Buf.of(new byte[8]), 1, 2);
                check(false, "truncation not reported");
            }
            catch (final JavelinException ex)
            {
                check(ex.errorClass() == ErrorClass.TRUNCATE, "wrong error " + ex);
            }
        }
    }

    private static void sizes(final Javelin javelin, final Comm world, final long maxBytes)
    {
        if (world.rank() > 1)
        {
            return;
        }
        final MemorySegment buffer = javelin.allocate(maxBytes);
        for (long size = 0; size <= maxBytes; size = size == 0 ? 1 : size * 4)
        {
            final MemorySegment message = buffer.asSlice(0, size);
            if (world.rank() == 0)
            {
                for (long i = 0; i < size; i++)
                {
                    message.set(ValueLayout.JAVA_BYTE, i, (byte)(i * 31 + size));
                }
                world.send(Buf.of(message), 1, 3);
                world.send(Buf.of(new long[]{crc(message)}), 1, 4);
            }
            else
            {
                message.fill((byte)0);
                final Status status = world.recv(Buf.of(message), 0, 3);
                final long[] expected = new long[1];
                world.recv(Buf.of(expected), 0, 4);
                check(status.byteCount() == size && expected[0] == crc(message), "checksum of " + size + " bytes");
            }
        }
    }

    private static long crc(final MemorySegment segment)
    {
        final CRC32 crc = new CRC32();
        crc.update(segment.asByteBuffer());
        return crc.getValue();
    }

    private static void check(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new IllegalStateException("check failed: " + what);
        }
    }
}
