package io.javelin.transport.aeron;

import io.javelin.transport.Endpoint;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportListener;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.Map;

/**
 * Program (run by {@link AeronPeerCrashTest} as a separate JVM): rank 1 of a 2-rank job. Prints its address,
 * connects to rank 0 at the address given, and echoes every message until it is killed or 60 s pass.
 * Arguments: job secret, rank 0's address (hex), driver directory base.
 */
public final class AeronPeerProcess
{
    private AeronPeerProcess()
    {
    }

    public static void main(final String[] args)
    {
        final long secret = Long.parseLong(args[0]);
        final byte[] peerAddress = HexFormat.of().parseHex(args[1]);
        final Endpoint[] peer = new Endpoint[1];
        final TransportListener listener = new TransportListener()
        {
            public void onMessage(final Endpoint source, final MemorySegment buffer, final long offset, final int n)
            {
                final MemorySegment copy = MemorySegment.ofArray(buffer.asSlice(offset, n).toArray(
                    java.lang.foreign.ValueLayout.JAVA_BYTE));
                source.send(copy, Math.min(n, 16), copy, Math.min(n, 16), n - Math.min(n, 16), 0);
            }

            public void onCompletion(final long cookie, final int status)
            {
            }

            public void onPeerFailure(final Endpoint endpoint, final String reason)
            {
                System.exit(3);
            }
        };
        try (AeronTransport transport = new AeronTransport(new TransportContext(1, 2, secret, listener,
            Map.of(AeronConfiguration.DIR_PROP_NAME, args[2]))))
        {
            System.out.println("ADDRESS " + HexFormat.of().formatHex(transport.localAddress()));
            System.out.flush();
            peer[0] = transport.connect(0, peerAddress);
            final long deadlineNs = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() - deadlineNs < 0)
            {
                if (0 == transport.progress())
                {
                    Thread.onSpinWait();
                }
            }
        }
    }
}
