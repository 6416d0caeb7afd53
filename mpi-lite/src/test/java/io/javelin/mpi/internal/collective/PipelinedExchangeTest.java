package io.javelin.mpi.internal.collective;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How a pipelined exchange cuts its regions: into the configured number of whole-element segments, or into one
 * message where such segments would be longer than the channel allows.
 */
class PipelinedExchangeTest
{
    private static final long NO_LIMIT = Long.MAX_VALUE;

    @Test
    void shouldCutTheLongerRegionIntoWholeElements()
    {
        assertEquals(64 * 1024, PipelinedExchange.segmentBytes(128 * 1024, 128 * 1024, 8, 2));
        // 1001 doubles in 3 segments: 334 elements each, the last segment shorter
        assertEquals(334 * 8, PipelinedExchange.segmentBytes(1001 * 8, 1000 * 8, 8, 3));
        assertEquals(334 * 8, PipelinedExchange.segmentBytes(1000 * 8, 1001 * 8, 8, 3));
        // nothing to send: one element, so that every segment is empty but the arithmetic stays positive
        assertEquals(4, PipelinedExchange.segmentBytes(0, 0, 4, 2));
    }

    @Test
    void shouldCutOnlyIntoSegmentsUpToTheLimit()
    {
        final long eagerLimit = 64 * 1024;
        assertEquals(2, PipelinedExchange.segmentCount(1 << 20, 1 << 20, 8, 2, NO_LIMIT));
        // 2 segments of 64 KiB go eagerly: cut
        assertEquals(2, PipelinedExchange.segmentCount(128 * 1024, 128 * 1024, 8, 2, eagerLimit));
        // 2 segments of 128 KiB would be two rendezvous: the 256 KiB go as one message
        assertEquals(1, PipelinedExchange.segmentCount(256 * 1024, 256 * 1024, 8, 2, eagerLimit));
        // the longer region decides, as it does for the cut
        assertEquals(1, PipelinedExchange.segmentCount(1000, 128 * 1024 + 8, 8, 2, eagerLimit));
    }
}
