package io.javelin.mpi.internal.collective;

import io.javelin.messaging.ReceiveRequest;
import io.javelin.messaging.SendRequest;
import io.javelin.mpi.ElementType;

import java.lang.foreign.MemorySegment;

/**
 * Exchanges of vectors with one partner, cut into a fixed number of segments (for the large allreduce
 * {@code javelin.coll.segments}) that are all posted at once: each segment is reduced as soon as it has
 * arrived, while later ones are still on the wire, and smaller segments may go eagerly, without the
 * rendezvous handshake. Both partners cut regions of the same length into the same segments, so every
 * segment message has a matching receive of its exact length.
 *
 * <p>Where rendezvous transfers to one peer do not overlap ({@link CollectiveChannel#uncutAbove()}:
 * over TCP each waits behind the last in the connection's byte stream), a region whose segments would be
 * longer than the eager limit goes whole, as one message: more rendezvous messages would each add a handshake
 * and gain nothing (measured over loopback TCP, 2-rank allreduce of 512 KiB and 1 MiB: 2 rendezvous segments
 * per exchange took 15-25 % longer than one). Ranks that passed counts on either side of that point cut their
 * exchanges differently; the {@link MismatchDetector} finds them, as it finds other such differences.
 */
final class PipelinedExchange
{
    private PipelinedExchange()
    {
    }

    /**
     * Sends {@code out} and receives {@code in} in segments.
     */
    static void exchange(final CollectiveChannel channel, final int partner, final int tag, final MemorySegment out,
        final MemorySegment in, final int elementBytes, final int cut)
    {
        final int segments = segmentCount(out.byteSize(), in.byteSize(), elementBytes, cut, channel.uncutAbove());
        final long segment = segmentBytes(out.byteSize(), in.byteSize(), elementBytes, segments);
        final ExchangeSlots slots = channel.exchangeSlots(segments);
        final ReceiveRequest[] receives = postReceives(channel, partner, tag, in, segment, segments, slots.receives);
        final SendRequest[] sends = postSends(channel, partner, tag, out, segment, segments, slots.sends);
        for (int k = 0; k < segments; k++)
        {
            channel.awaitReceive(receives[k]);
        }
        for (int k = 0; k < segments; k++)
        {
            channel.awaitSend(sends[k]);
        }
        release(channel, receives, segments);
        release(channel, sends, segments);
    }

    /**
     * Sends {@code out}, receives the partner's contribution to {@code kept} into {@code incoming} and
     * reduces it into {@code kept} segment by segment ({@code kept[k] = keptSource[k] op incoming[k]}).
     *
     * @param keptSource this rank's operand for kept, as long as kept: kept itself, or (out of place) the same
     *                   region of the caller's send buffer, which saves copying that into kept first.
     * @param outIsKept true if out and kept are the same memory: a segment is then reduced only once it has
     *                  been sent.
     * @param cut       segments each way (the same on both partners), unless they would be longer than the
     *                  channel cuts ({@link #segmentCount}).
     * @param returned  if not null: each reduced segment of kept goes back to the partner at once (tag
     *                  {@code returnTag}), and the partner's reduced segments are received here (the
     *                  partner's kept is this rank's out, so returned may be out itself: a segment comes back
     *                  only after the partner has received it).
     */
    static void reduceExchange(final CollectiveChannel channel, final int partner, final int tag,
        final MemorySegment out, final MemorySegment kept, final MemorySegment keptSource,
        final MemorySegment incoming, final ReductionOp op, final ElementType type, final boolean outIsKept,
        final int cut, final MemorySegment returned, final int returnTag)
    {
        final int segments = segmentCount(out.byteSize(), kept.byteSize(), type.byteSize(), cut,
            channel.uncutAbove());
        final long segment = segmentBytes(out.byteSize(), kept.byteSize(), type.byteSize(), segments);
        final MemorySegment received = channel.slice(incoming, 0, kept.byteSize());
        final ExchangeSlots slots = channel.exchangeSlots(segments);
        final ReceiveRequest[] receives = postReceives(channel, partner, tag, received, segment, segments,
            slots.receives);
        final ReceiveRequest[] comebacks = null == returned ? null :
            postReceives(channel, partner, returnTag, returned, segment, segments, slots.comebacks);
        final SendRequest[] sends = postSends(channel, partner, tag, out, segment, segments, slots.sends);
        final SendRequest[] answers = null == returned ? null : slots.answers;
        for (int k = 0; k < segments; k++)
        {
            channel.awaitReceive(receives[k]);
            if (outIsKept)
            {
                channel.awaitSend(sends[k]);
            }
            final MemorySegment keptSegment = segment(channel, kept, k, segment);
            channel.reduce(op, type, keptSegment, segment(channel, keptSource, k, segment),
                segment(channel, received, k, segment));
            if (null != answers)
            {
                answers[k] = channel.sendOrPost(partner, returnTag, keptSegment);
            }
        }
        for (int k = 0; k < segments; k++)
        {
            channel.awaitSend(sends[k]);
        }
        release(channel, receives, segments);
        release(channel, sends, segments);
        if (null != answers)
        {
            for (int k = 0; k < segments; k++)
            {
                channel.awaitReceive(comebacks[k]);
            }
            for (int k = 0; k < segments; k++)
            {
                channel.awaitSend(answers[k]);
            }
            release(channel, comebacks, segments);
            release(channel, answers, segments);
        }
    }

    /**
     * @param uncutAbove {@link CollectiveChannel#uncutAbove()}.
     * @return messages each way: {@code cut}, or 1 when the segments of that cut would be longer than
     *         {@code uncutAbove}.
     */
    static int segmentCount(final long a, final long b, final int elementBytes, final int cut,
        final long uncutAbove)
    {
        return segmentBytes(a, b, elementBytes, cut) > uncutAbove ? 1 : cut;
    }

    /**
     * The segment length: the longer region cut into the given number of segments, in whole elements.
     * Every exchange has exactly that many messages each way whatever the lengths, so that ranks that passed
     * different counts still exchange the same messages (and report the lengths) rather than wait for ever,
     * as long as they cut into as many segments.
     */
    static long segmentBytes(final long a, final long b, final int elementBytes, final int segments)
    {
        final long elements = (Math.max(a, b) / elementBytes + segments - 1) / segments;
        return Math.max(1, elements) * elementBytes;
    }


    /**
     * Segment k of a region, as {@link CollectiveChannel#slice}: the region itself when one segment covers it.
     */
    private static MemorySegment segment(final CollectiveChannel channel, final MemorySegment region, final int k,
        final long segment)
    {
        final long length = region.byteSize();
        final long start = Math.min(k * segment, length);
        return channel.slice(region, start, Math.min(segment, length - start));
    }

    private static ReceiveRequest[] postReceives(final CollectiveChannel channel, final int partner, final int tag,
        final MemorySegment region, final long segment, final int segments, final ReceiveRequest[] receives)
    {
        for (int k = 0; k < segments; k++)
        {
            receives[k] = channel.postReceive(partner, tag, segment(channel, region, k, segment));
        }
        return receives;
    }

    private static SendRequest[] postSends(final CollectiveChannel channel, final int partner, final int tag,
        final MemorySegment region, final long segment, final int segments, final SendRequest[] sends)
    {
        for (int k = 0; k < segments; k++)
        {
            sends[k] = channel.sendOrPost(partner, tag, segment(channel, region, k, segment));
        }
        return sends;
    }

    private static void release(final CollectiveChannel channel, final ReceiveRequest[] receives, final int count)
    {
        for (int k = 0; k < count; k++)
        {
            channel.release(receives[k]);
            receives[k] = null;
        }
    }

    private static void release(final CollectiveChannel channel, final SendRequest[] sends, final int count)
    {
        for (int k = 0; k < count; k++)
        {
            channel.release(sends[k]);
            sends[k] = null;
        }
    }

    /**
     * The request arrays of one exchange, kept by the channel and reused by every exchange (exchanges do not
     * nest) and by the rooted collectives' sends and receives ({@link CollectiveChannel#sendSlots}), so that a
     * warm collective allocates nothing. Entries are cleared when their requests go back to
     * the engine; after a failure they are left and overwritten by the next exchange.
     */
    static final class ExchangeSlots
    {
        final ReceiveRequest[] receives;
        final ReceiveRequest[] comebacks;
        final SendRequest[] sends;
        final SendRequest[] answers;

        ExchangeSlots(final int segments)
        {
            receives = new ReceiveRequest[segments];
            comebacks = new ReceiveRequest[segments];
            sends = new SendRequest[segments];
            answers = new SendRequest[segments];
        }

        int capacity()
        {
            return receives.length;
        }
    }
}
