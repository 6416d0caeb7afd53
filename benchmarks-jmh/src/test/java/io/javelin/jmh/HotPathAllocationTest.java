package io.javelin.jmh;

import io.javelin.messaging.EngineRoundBenchmark;
import io.javelin.messaging.MatchQueuesBenchmark;
import io.javelin.messaging.RegistrationCacheBenchmark;
import io.javelin.messaging.WireCodecBenchmark;
import io.javelin.transport.local.LocalTransportBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot paths the JMH benchmarks measure allocate nothing per operation, checked here on every build
 * (the benchmarks themselves are run by hand). Each test runs the benchmark's own method.
 *
 * <p>Tolerance: the best round must allocate less than one byte per operation. Any object allocated per
 * operation costs at least 16 bytes, so this catches every per-message allocation, while a single
 * allocation during a round of {@link AllocationMeter#MEASURED_OPS} operations does not fail the test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HotPathAllocationTest
{
    private static final double TOLERANCE_BYTES_PER_OP = 1.0;

    private static void assertAllocationFree(final String path, final AllocationMeter.HotPath hotPath)
    {
        final double bytesPerOp = AllocationMeter.bytesPerOp(hotPath);
        assertTrue(bytesPerOp < TOLERANCE_BYTES_PER_OP, path + " allocates " + bytesPerOp + " bytes per " +
            "operation (best of " + AllocationMeter.ROUNDS + " rounds): find the allocation with " +
            "java -jar benchmarks-jmh/target/benchmarks.jar " + path + " -prof gc, or a JFR allocation profile");
    }

    @Test
    void shouldDetectAnAllocatingPath()
    {
        final double bytesPerOp = AllocationMeter.bytesPerOp(() ->
        {
            final long[] escapes = new long[2];
            Holder.last = escapes;
            return escapes.length;
        });
        assertTrue(bytesPerOp >= 16, "the meter saw only " + bytesPerOp + " bytes per allocating operation");
    }

    @Test
    void shouldMatchWithoutAllocating()
    {
        final MatchQueuesBenchmark benchmark = new MatchQueuesBenchmark();
        benchmark.setUp();
        assertAllocationFree("MatchQueuesBenchmark.postedReceiveFound",
            () -> null == benchmark.postedReceiveFound() ? 0 : 1);
        assertAllocationFree("MatchQueuesBenchmark.unexpectedQueuedThenMatched",
            () -> null == benchmark.unexpectedQueuedThenMatched() ? 0 : 1);
    }

    @Test
    void shouldEncodeAndDecodeWithoutAllocating()
    {
        final WireCodecBenchmark benchmark = new WireCodecBenchmark();
        benchmark.setUp();
        try
        {
            assertAllocationFree("WireCodecBenchmark.encodeEager", benchmark::encodeEager);
            assertAllocationFree("WireCodecBenchmark.encodeDecodeEager", benchmark::encodeDecodeEager);
            assertAllocationFree("WireCodecBenchmark.encodeDecodeRendezvousStart",
                benchmark::encodeDecodeRendezvousStart);
        }
        finally
        {
            benchmark.tearDown();
        }
    }

    @Test
    void shouldHitTheRegistrationCacheWithoutAllocating()
    {
        final RegistrationCacheBenchmark benchmark = new RegistrationCacheBenchmark();
        benchmark.setUp();
        try
        {
            assertAllocationFree("RegistrationCacheBenchmark.hitWholeBuffer", benchmark::hitWholeBuffer);
            assertAllocationFree("RegistrationCacheBenchmark.hitInnerSpan", benchmark::hitInnerSpan);
            assertAllocationFree("RegistrationCacheBenchmark.hitHeldByRequest", benchmark::hitHeldByRequest);
        }
        finally
        {
            benchmark.tearDown();
        }
    }

    @Test
    void shouldSendAndCompleteOnTheLocalTransportWithoutAllocating()
    {
        final LocalTransportBenchmark benchmark = new LocalTransportBenchmark();
        benchmark.setUp();
        try
        {
            assertAllocationFree("LocalTransportBenchmark.sendAndComplete", benchmark::sendAndComplete);
        }
        finally
        {
            benchmark.tearDown();
        }
    }

    @Test
    void shouldSendAndReceiveThroughTheEngineWithoutAllocating()
    {
        assertEngineRoundsAllocationFree("", (benchmark) -> benchmark.payloadBytes = 64, true);
    }

    @Test
    void shouldSendAndReceiveOverAeronIpcWithoutAllocating()
    {
        assertEngineRoundsAllocationFree(" -p transport=aeron", (benchmark) ->
        {
            benchmark.payloadBytes = 8;
            benchmark.transport = "aeron";
        }, true);
    }

    @Test
    void shouldSendAndReceiveByRendezvousThroughTheEngineWithoutAllocating()
    {
        assertEngineRoundsAllocationFree(" -p payloadBytes=65536", (benchmark) -> benchmark.payloadBytes = 65536,
            true);
    }

    @Test
    void shouldSendAndReceiveByRendezvousPutThroughTheEngineWithoutAllocating()
    {
        assertEngineRoundsAllocationFree(" -p payloadBytes=65536 -p rendezvous=put", (benchmark) ->
        {
            benchmark.payloadBytes = 65536;
            benchmark.rendezvous = "put";
        }, false);
    }

    @Test
    void shouldSendAndReceiveHeapArraysThroughTheEngineWithoutAllocating()
    {
        for (final int payloadBytes : new int[] {64, 65536})
        {
            assertEngineRoundsAllocationFree(" -p memory=heap -p payloadBytes=" + payloadBytes, (benchmark) ->
            {
                benchmark.payloadBytes = payloadBytes;
                benchmark.memory = "heap";
            }, false);
        }
    }

    /**
     * Sets up an {@link EngineRoundBenchmark} as {@code configure} says and checks its rounds allocate nothing.
     *
     * @param parameters      the JMH parameters that make the same setting, for the message.
     * @param messageFirstToo also the round in which the message arrives before the receive is posted.
     */
    private static void assertEngineRoundsAllocationFree(final String parameters,
        final Consumer<EngineRoundBenchmark> configure, final boolean messageFirstToo)
    {
        final EngineRoundBenchmark benchmark = new EngineRoundBenchmark();
        configure.accept(benchmark);
        benchmark.setUp();
        try
        {
            assertAllocationFree("EngineRoundBenchmark.receivePostedFirst" + parameters, benchmark::receivePostedFirst);
            if (messageFirstToo)
            {
                assertAllocationFree("EngineRoundBenchmark.messageArrivesFirst" + parameters,
                    benchmark::messageArrivesFirst);
            }
        }
        finally
        {
            benchmark.tearDown();
        }
    }

    /**
     * Where the meter's self-test lets an array escape.
     */
    static final class Holder
    {
        static volatile long[] last;
    }
}
