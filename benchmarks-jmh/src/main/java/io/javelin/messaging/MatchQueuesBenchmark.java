package io.javelin.messaging;

import io.javelin.jmh.HotPathBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.lang.foreign.MemorySegment;

/**
 * Matching an incoming header: a posted receive found behind a few that do not match, and a message queued
 * as unexpected then taken by the receive posted after it. Lives in the engine's package to reach
 * {@link MatchQueues} directly.
 */
@State(Scope.Thread)
public class MatchQueuesBenchmark extends HotPathBenchmark
{
    /** Posted receives that stay queued ahead of the one that matches (other tags). */
    static final int OTHER_POSTED = 4;
    static final int CONTEXT = 7;
    static final int SOURCE = 1;
    static final int TAG = 42;

    private final MatchQueues queues = new MatchQueues();
    private final ReceiveRequest matching = new ReceiveRequest(1, CONTEXT, SOURCE, TAG, MemorySegment.NULL);
    private final UnexpectedMessage unexpected = new UnexpectedMessage();

    /**
     * Queues the receives that do not match and describes the unexpected message.
     */
    @Setup
    public void setUp()
    {
        for (int i = 0; i < OTHER_POSTED; i++)
        {
            queues.appendPosted(new ReceiveRequest(100 + i, CONTEXT, SOURCE, TAG + 1 + i, MemorySegment.NULL));
        }
        unexpected.kind = UnexpectedMessage.EAGER;
        unexpected.context = CONTEXT;
        unexpected.source = SOURCE;
        unexpected.tag = TAG;
    }

    /**
     * A header arrives for a posted receive: post it, then match the header against the posted queue.
     *
     * @return the matched receive.
     */
    @Benchmark
    public ReceiveRequest postedReceiveFound()
    {
        queues.appendPosted(matching);
        return queues.takePosted(CONTEXT, SOURCE, TAG);
    }

    /**
     * A header arrives before its receive: queue it as unexpected, then the receive finds it.
     *
     * @return the matched message.
     */
    @Benchmark
    public UnexpectedMessage unexpectedQueuedThenMatched()
    {
        queues.appendUnexpected(unexpected);
        return queues.findUnexpected(CONTEXT, SOURCE, MessagingEngine.ANY_TAG, true);
    }
}
