package io.javelin.messaging;

/**
 * The posted-receive queue and the unexpected-message queue, both in arrival order, which together give
 * MPI's matching rules: a message matches the earliest posted receive that accepts it; a receive matches
 * the earliest arrived message it accepts. Since a transport delivers one peer's messages in order and
 * the engine handles them in order, messages from one sender on one context never overtake each other.
 *
 * <p>Singly linked lists with head and tail: append is O(1), matching scans from the head.
 */
final class MatchQueues
{
    private ReceiveRequest postedHead;
    private ReceiveRequest postedTail;
    private UnexpectedMessage unexpectedHead;
    private UnexpectedMessage unexpectedTail;
    private int unexpectedCount;

    void appendPosted(final ReceiveRequest request)
    {
        request.next = null;
        if (null == postedTail)
        {
            postedHead = request;
        }
        else
        {
            postedTail.next = request;
        }
        postedTail = request;
    }

    /**
     * Removes and returns the earliest posted receive accepting the message, or null.
     */
    ReceiveRequest takePosted(final int context, final int source, final int tag)
    {
        ReceiveRequest previous = null;
        for (ReceiveRequest r = postedHead; null != r; r = r.next)
        {
            if (r.matches(context, source, tag))
            {
                unlinkPosted(previous, r);
                return r;
            }
            previous = r;
        }
        return null;
    }

    boolean removePosted(final ReceiveRequest request)
    {
        ReceiveRequest previous = null;
        for (ReceiveRequest r = postedHead; null != r; r = r.next)
        {
            if (r == request)
            {
                unlinkPosted(previous, r);
                return true;
            }
            previous = r;
        }
        return false;
    }

    boolean containsPosted(final ReceiveRequest request)
    {
        for (ReceiveRequest r = postedHead; null != r; r = r.next)
        {
            if (r == request)
            {
                return true;
            }
        }
        return false;
    }

    ReceiveRequest postedHead()
    {
        return postedHead;
    }

    void appendUnexpected(final UnexpectedMessage message)
    {
        message.next = null;
        if (null == unexpectedTail)
        {
            unexpectedHead = message;
        }
        else
        {
            unexpectedTail.next = message;
        }
        unexpectedTail = message;
        unexpectedCount++;
    }

    /**
     * @param remove true to take the message out of the queue (receive), false to only look (probe).
     * @return the earliest unexpected message the pattern accepts, or null.
     */
    UnexpectedMessage findUnexpected(final int context, final int source, final int tag, final boolean remove)
    {
        UnexpectedMessage previous = null;
        for (UnexpectedMessage m = unexpectedHead; null != m; m = m.next)
        {
            if (m.matches(context, source, tag))
            {
                if (remove)
                {
                    unlinkUnexpected(previous, m);
                }
                return m;
            }
            previous = m;
        }
        return null;
    }

    int unexpectedCount()
    {
        return unexpectedCount;
    }

    private void unlinkPosted(final ReceiveRequest previous, final ReceiveRequest r)
    {
        if (null == previous)
        {
            postedHead = r.next;
        }
        else
        {
            previous.next = r.next;
        }
        if (postedTail == r)
        {
            postedTail = previous;
        }
        r.next = null;
    }

    private void unlinkUnexpected(final UnexpectedMessage previous, final UnexpectedMessage m)
    {
        if (null == previous)
        {
            unexpectedHead = m.next;
        }
        else
        {
            previous.next = m.next;
        }
        if (unexpectedTail == m)
        {
            unexpectedTail = previous;
        }
        m.next = null;
        unexpectedCount--;
    }
}
