package io.javelin.launcher;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Javelin;
import io.javelin.transport.aeron.AeronTransport;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.CRC32;

/**
 * Rank 0 sends rank 1 a large message from registered memory (rendezvous, which the receiver reads); every
 * rank then prints how many one-sided transfers its Aeron transport made by single copy. Argument: bytes.
 */
public final class AeronSingleCopyTestProgram
{
    private AeronSingleCopyTestProgram()
    {
    }

    public static void main(final String[] args)
    {
        final long bytes = Long.parseLong(args[0]);
        try (Javelin javelin = Javelin.init(args))
        {
            final Comm world = javelin.world();
            final MemorySegment message = javelin.allocate(bytes);
            final long[] crc = new long[1];
            if (0 == world.rank())
            {
                for (long i = 0; i < bytes; i += 8)
                {
                    message.set(ValueLayout.JAVA_LONG_UNALIGNED, i, i * 0x9E3779B97F4A7C15L);
                }
                crc[0] = crc(message);
                world.send(Buf.of(message), 1, 1);
                world.send(Buf.of(crc), 1, 2);
            }
            else if (1 == world.rank())
            {
                world.recv(Buf.of(message), 0, 1);
                world.recv(Buf.of(crc), 0, 2);
                if (crc[0] != crc(message))
                {
                    throw new IllegalStateException("rank 1 received a corrupt message");
                }
            }
            world.barrier();
            System.out.println("rank " + world.rank() + " over " + javelin.transportName() + ": single-copy " +
                "operations " + AeronTransport.processSingleCopyOperations() + " bytes " +
                AeronTransport.processSingleCopyBytes());
        }
    }

    private static long crc(final MemorySegment segment)
    {
        final CRC32 crc = new CRC32();
        crc.update(segment.asByteBuffer());
        return crc.getValue();
    }
}
