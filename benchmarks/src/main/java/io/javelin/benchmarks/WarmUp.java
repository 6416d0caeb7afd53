package io.javelin.benchmarks;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Op;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The untimed iterations before each size: rounds of OSU's warm-up count until no rank's JIT compiler
 * worked during two rounds in a row (no compilation finished and the compiler threads used no CPU time), up
 * to a time limit.
 *
 * <p>Why: a JVM compiles a code path only after it has run thousands of times, and a size that takes a new
 * path (rendezvous, another collective algorithm) starts compiling in the middle of the timed iterations.
 * With as many busy ranks as cores, a compiler thread then takes a rank's CPU for a scheduler time slice
 * (milliseconds) while the other ranks wait, and OSU's average carries it. Settling times compiled code,
 * which is what a long-running job runs; the limit keeps a JVM that never stops compiling from stalling the
 * benchmark. The ranks agree after every round (an allreduce), so they all run the same number of rounds.
 */
final class WarmUp
{
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    /**
     * Rounds in a row without compiler work before the timed iterations start: one quiet round can fall
     * between two compilations.
     */
    private static final int QUIET_ROUNDS = 2;
    /** The shortest round that can tell a settled JIT: a few scheduler time slices. */
    static final long MIN_ROUND_NS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Most iterations a round is stretched to. */
    static final int MAX_ROUND_ITERATIONS = 10_000_000;

    private WarmUp()
    {
    }

    /**
     * @param settleMs the limit per size, 0 for OSU's fixed count alone.
     * @return a header line describing the warm-up.
     */
    static String describe(final long settleMs)
    {
        return 0 == settleMs || !canSettle() ? "Warm-up: a fixed number of untimed iterations per size" :
            "Warm-up: untimed rounds (OSU's count, then at least " +
            TimeUnit.NANOSECONDS.toMillis(MIN_ROUND_NS) + " ms) per size until no rank's JIT compiler worked " +
            "during two rounds in a row (at least two rounds, at most " + settleMs + " ms; --jit-settle-ms)";
    }

    /**
     * Runs the warm-up of one size. Every rank of {@code world} calls this with the same count and limit.
     *
     * @param world    the job (the ranks agree on it after every round).
     * @param rounds   runs this rank's part of n untimed iterations; a rank with no part passes a no-op.
     * @param count    OSU's warm-up count: iterations per round.
     * @param settleMs how long the rounds may go on while the JIT compiles, 0 for one round.
     * @return untimed iterations run.
     */
    static int run(final Comm world, final IntConsumer rounds, final int count, final long settleMs)
    {
        if (0 == count)
        {
            return 0;
        }
        if (0 == settleMs || !canSettle())
        {
            rounds.accept(count);
            return count;
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settleMs);
        final long[] local = new long[3];
        final long[] agreed = new long[3];
        int total = 0;
        int roundCount = count;
        int quietRounds = 0;
        while (true)
        {
            final long compiledMs = JIT.getTotalCompilationTime();
            final long compilerTicks = CompilerThreads.cpuTicks();
            final long startNs = System.nanoTime();
            rounds.accept(roundCount);
            total += roundCount;
            final long endNs = System.nanoTime();
            local[0] = JIT.getTotalCompilationTime() != compiledMs || CompilerThreads.cpuTicks() != compilerTicks ?
                1 : 0;
            local[1] = endNs - deadlineNs >= 0 ? 1 : 0;
            local[2] = endNs - startNs;
            world.allreduce(Buf.of(local), Buf.of(agreed), Op.MAX);
            quietRounds = 0 == agreed[0] ? quietRounds + 1 : 0;
            if (QUIET_ROUNDS == quietRounds || 1 == agreed[1])
            {
                return total;
            }
            roundCount = nextRoundCount(roundCount, agreed[2]);
        }
    }

    /**
     * A round shorter than {@link #MIN_ROUND_NS} (on the slowest rank) says little about the JIT: the next one
     * runs proportionally more iterations. Every rank computes the same count from the agreed duration.
     */
    static int nextRoundCount(final int roundCount, final long slowestRoundNs)
    {
        if (slowestRoundNs >= MIN_ROUND_NS)
        {
            return roundCount;
        }
        final long roundNs = Math.max(1, slowestRoundNs);
        final long scaled = roundCount * ((MIN_ROUND_NS + roundNs - 1) / roundNs);
        return (int)Math.min(scaled, Math.max(roundCount, MAX_ROUND_ITERATIONS));
    }

    private static boolean canSettle()
    {
        return null != JIT && JIT.isCompilationTimeMonitoringSupported();
    }
}
