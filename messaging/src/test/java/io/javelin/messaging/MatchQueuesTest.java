package io.javelin.messaging;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatchQueuesTest
{
    private long nextId = 1;

    private ReceiveRequest receive(final int context, final int source, final int tag)
    {
        return new ReceiveRequest(nextId++, context, source, tag, MemorySegment.NULL);
    }

    private static UnexpectedMessage message(final int context, final int source, final int tag)
    {
        final UnexpectedMessage m = new UnexpectedMessage();
        m.context = context;
        m.source = source;
        m.tag = tag;
        return m;
    }

    @Test
    void shouldMatchTheEarliestPostedReceiveThatAcceptsTheMessage()
    {
        final MatchQueues queues = new MatchQueues();
        final ReceiveRequest specific = receive(0, 2, 7);
        final ReceiveRequest anySource = receive(0, MessagingEngine.ANY_SOURCE, 7);
        final ReceiveRequest anyTag = receive(0, 1, MessagingEngine.ANY_TAG);
        queues.appendPosted(specific);
        queues.appendPosted(anySource);
        queues.appendPosted(anyTag);

        assertSame(anySource, queues.takePosted(0, 1, 7));
        assertSame(anyTag, queues.takePosted(0, 1, 7));
        assertNull(queues.takePosted(0, 1, 7));
        assertNull(queues.takePosted(1, 2, 7), "another context never matches");
        assertSame(specific, queues.takePosted(0, 2, 7));
        assertNull(queues.postedHead());
    }

    @Test
    void shouldFindUnexpectedMessagesInArrivalOrderAndProbeWithoutRemoving()
    {
        final MatchQueues queues = new MatchQueues();
        final UnexpectedMessage first = message(0, 1, 3);
        final UnexpectedMessage second = message(0, 1, 3);
        final UnexpectedMessage other = message(0, 2, 4);
        queues.appendUnexpected(first);
        queues.appendUnexpected(other);
        queues.appendUnexpected(second);

        assertSame(first, queues.findUnexpected(0, MessagingEngine.ANY_SOURCE, 3, false));
        assertEquals(3, queues.unexpectedCount());
        assertSame(first, queues.findUnexpected(0, 1, MessagingEngine.ANY_TAG, true));
        assertSame(other, queues.findUnexpected(0, MessagingEngine.ANY_SOURCE, MessagingEngine.ANY_TAG, true));
        assertSame(second, queues.findUnexpected(0, 1, 3, true));
        assertEquals(0, queues.unexpectedCount());
        assertNull(queues.findUnexpected(0, MessagingEngine.ANY_SOURCE, MessagingEngine.ANY_TAG, false));
    }

    @Test
    void shouldRemoveAPostedReceiveFromTheMiddle()
    {
        final MatchQueues queues = new MatchQueues();
        final ReceiveRequest a = receive(0, 1, 1);
        final ReceiveRequest b = receive(0, 1, 2);
        final ReceiveRequest c = receive(0, 1, 3);
        queues.appendPosted(a);
        queues.appendPosted(b);
        queues.appendPosted(c);
        assertTrue(queues.removePosted(b));
        assertSame(a, queues.takePosted(0, 1, 1));
        assertSame(c, queues.takePosted(0, 1, 3));
        final ReceiveRequest d = receive(0, 1, 4);
        queues.appendPosted(d);
        assertSame(d, queues.takePosted(0, 1, 4), "tail is maintained after removals");
    }
}
