package io.javelin.messaging;

import io.javelin.messaging.bootstrap.LocalExchange;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Two engines of one job, by default over the in-JVM transport on a fabric of their own, for engine tests that
 * drive both from one thread.
 */
final class LocalEnginePair
{
    private LocalEnginePair()
    {
    }

    /**
     * @return rank 0 and rank 1, started; the caller closes both.
     */
    static MessagingEngine[] start()
    {
        return start(Map.of(Configuration.TRANSPORT_PROP_NAME, "local",
            "javelin.local.fabric", "test-" + UUID.randomUUID()));
    }

    /**
     * @param settings both ranks' settings (the transport, say).
     * @return rank 0 and rank 1, started; the caller closes both.
     */
    static MessagingEngine[] start(final Map<String, String> settings)
    {
        final LocalExchange exchange = new LocalExchange(2, 30_000);
        final CompletableFuture<MessagingEngine> other =
            CompletableFuture.supplyAsync(() -> MessagingEngine.start(exchange.bootstrap(1), settings));
        final MessagingEngine rank0 = MessagingEngine.start(exchange.bootstrap(0), settings);
        return new MessagingEngine[]{rank0, other.join()};
    }

    /**
     * @return {@code length} bytes from the arena, byte i = seed + i.
     */
    static MemorySegment pattern(final Arena arena, final int length, final int seed)
    {
        final MemorySegment segment = arena.allocate(Math.max(1, length)).asSlice(0, length);
        for (int i = 0; i < length; i++)
        {
            segment.set(ValueLayout.JAVA_BYTE, i, (byte)(seed + i));
        }
        return segment;
    }
}
