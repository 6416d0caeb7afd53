package io.javelin.benchmarks;

import io.javelin.mpi.Javelin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WarmUpTest
{
    @Test
    void shouldRunTheFixedCountAloneWhenSettlingIsOff()
    {
        final AtomicIntegerArray ran = new AtomicIntegerArray(2);
        final AtomicIntegerArray returned = new AtomicIntegerArray(2);
        Javelin.runLocal(2, javelin ->
        {
            final int rank = javelin.world().rank();
            returned.set(rank, WarmUp.run(javelin.world(), n -> ran.addAndGet(rank, n), 7, 0));
        });
        assertEquals(7, ran.get(0));
        assertEquals(7, ran.get(1));
        assertEquals(7, returned.get(0));
    }

    @Test
    void shouldRunWholeRoundsAndTheSameNumberOnEveryRankWhileOneRankCompiles()
    {
        final AtomicIntegerArray ran = new AtomicIntegerArray(3);
        final AtomicIntegerArray returned = new AtomicIntegerArray(3);
        Javelin.runLocal(3, javelin ->
        {
            final int rank = javelin.world().rank();
            returned.set(rank, WarmUp.run(javelin.world(), n ->
            {
                ran.addAndGet(rank, n);
                if (rank == 2)
                {
                    compileSomethingNew(n);
                }
            }, 5, 200));
        });
        for (int rank = 0; rank < 3; rank++)
        {
            assertEquals(ran.get(0), ran.get(rank), "rank " + rank + " ran another number of rounds");
            assertEquals(ran.get(rank), returned.get(rank));
            assertEquals(0, ran.get(rank) % 5, "whole rounds of the count");
        }
        assertTrue(ran.get(0) >= 5, "at least one round");
    }

    @Test
    void shouldStretchShortRoundsToTheShortestUsefulRound()
    {
        assertEquals(500, WarmUp.nextRoundCount(500, WarmUp.MIN_ROUND_NS), "a long enough round stays");
        assertEquals(1000, WarmUp.nextRoundCount(500, WarmUp.MIN_ROUND_NS / 2));
        assertEquals(1500, WarmUp.nextRoundCount(500, WarmUp.MIN_ROUND_NS / 2 - 1), "rounded up");
        assertEquals(WarmUp.MAX_ROUND_ITERATIONS, WarmUp.nextRoundCount(20_000, 0), "capped");
        assertEquals(20_000_000, WarmUp.nextRoundCount(20_000_000, 1), "never shrunk below the count");
    }

    @Test
    void shouldNotGoOnWhenNothingIsRun()
    {
        Javelin.runLocal(2, javelin -> assertEquals(0, WarmUp.run(javelin.world(), n ->
        {
            throw new AssertionError("no round for a count of 0");
        }, 0, 1000)));
    }

    @Test
    void shouldSettleByDefaultButNotWhenTheUserChoseTheWarmUpCount()
    {
        assertEquals(BenchmarkOptions.JIT_SETTLE_MS_DEFAULT, options().jitSettleMs());
        assertEquals(0, options("--warmup", "5").jitSettleMs());
        assertEquals(300, options("--warmup", "5", "--jit-settle-ms", "300").jitSettleMs());
        assertEquals(0, options("--jit-settle-ms", "0").jitSettleMs());
        final UsageException ex = assertThrows(UsageException.class, () -> options("--jit-settle-ms", "-1"));
        assertTrue(ex.getMessage().contains("--jit-settle-ms"), ex.getMessage());
    }

    private static BenchmarkOptions options(final String... args)
    {
        final Holder holder = new Holder();
        BenchmarkCommandLine.parse(holder, args, null);
        return holder.common;
    }

    @Command(name = "test")
    static final class Holder
    {
        @Mixin
        BenchmarkOptions common = new BenchmarkOptions();
    }

    /** Hidden classes, each with a method the JIT compiles when called often enough. */
    private static void compileSomethingNew(final int calls)
    {
        final Runnable task = () ->
        {
            long sum = 0;
            for (int i = 0; i < 100_000; i++)
            {
                sum += i * 31L ^ sum;
            }
            if (sum == 42)
            {
                throw new AssertionError();
            }
        };
        for (int i = 0; i < calls * 20; i++)
        {
            task.run();
        }
    }
}
