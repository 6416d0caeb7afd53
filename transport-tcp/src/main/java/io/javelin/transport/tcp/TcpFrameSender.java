package io.javelin.transport.tcp;

import io.javelin.transport.TransportStatus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The sending side of one connection: the FIFO of frames waiting for the socket, the requests awaiting
 * their replies, and the replies owed to the peer. Frames go to the socket by gathering writes of each
 * frame's header buffer and a view of its payload, so payloads are never copied in user space.
 *
 * <p>Requests keep their order. Replies go out one at a time in the order of the requests they answer;
 * a long READ_RESPONSE re-enters the FIFO chunk by chunk, so requests posted meanwhile are not held up
 * behind all of it. Used only on the progress thread.
 */
final class TcpFrameSender
{
    /** Operations gathered into one write: two buffers each, far below the kernel's IOV_MAX. */
    private static final int MAX_OPERATIONS_PER_WRITE = 32;

    private final TcpConnection connection;
    private final TcpTransport transport;
    private final ByteBuffer[] gather = new ByteBuffer[2 * MAX_OPERATIONS_PER_WRITE];
    private TcpOperation sendHead;
    private TcpOperation sendTail;
    private TcpOperation awaitingHead;
    private TcpOperation awaitingTail;
    /** Replies owed to the peer, oldest first; the oldest has a frame in the send FIFO. */
    private TcpOperation replyHead;
    private TcpOperation replyTail;
    private boolean flushing;

    TcpFrameSender(final TcpConnection connection)
    {
        this.connection = connection;
        this.transport = connection.transport;
    }

    boolean hasQueuedFrames()
    {
        return null != sendHead;
    }

    /**
     * @return true while {@link #flush()} runs (a frame queued meanwhile goes out in the same flush).
     */
    boolean isFlushing()
    {
        return flushing;
    }

    /**
     * Queues a request this rank posted; writes and reads also wait for their reply.
     */
    void enqueueRequest(final TcpOperation operation)
    {
        if (TcpOperation.WRITE == operation.kind || TcpOperation.READ == operation.kind)
        {
            if (null == awaitingTail)
            {
                awaitingHead = operation;
            }
            else
            {
                awaitingTail.nextPending = operation;
            }
            awaitingTail = operation;
        }
        append(operation);
    }

    /**
     * Queues a reply owed to the peer; it goes out after the replies queued before it.
     *
     * @return true when it entered the send FIFO at once (no older reply is pending).
     */
    boolean enqueueReply(final TcpOperation operation)
    {
        final boolean first = null == replyHead;
        if (first)
        {
            replyHead = operation;
        }
        else
        {
            replyTail.nextPending = operation;
        }
        replyTail = operation;
        if (first)
        {
            append(operation);
        }
        return first;
    }

    /**
     * @return the oldest request awaiting its reply, or null.
     */
    TcpOperation oldestAwaitingReply()
    {
        return awaitingHead;
    }

    void removeOldestAwaitingReply()
    {
        final TcpOperation operation = awaitingHead;
        awaitingHead = operation.nextPending;
        operation.nextPending = null;
        if (null == awaitingHead)
        {
            awaitingTail = null;
        }
    }

    /**
     * Takes over the requests of a connection that never sent a frame (it lost a simultaneous connect), after
     * the requests already queued here.
     */
    void adoptRequests(final TcpFrameSender loser)
    {
        if (null != loser.sendHead)
        {
            if (null == sendTail)
            {
                sendHead = loser.sendHead;
            }
            else
            {
                sendTail.next = loser.sendHead;
            }
            sendTail = loser.sendTail;
        }
        if (null != loser.awaitingHead)
        {
            if (null == awaitingTail)
            {
                awaitingHead = loser.awaitingHead;
            }
            else
            {
                awaitingTail.nextPending = loser.awaitingHead;
            }
            awaitingTail = loser.awaitingTail;
        }
        loser.sendHead = null;
        loser.sendTail = null;
        loser.awaitingHead = null;
        loser.awaitingTail = null;
    }

    /**
     * Hands queued frames to the socket until it is full or nothing is left.
     *
     * @return operations whose frames were fully written.
     */
    int flush() throws IOException
    {
        int work = 0;
        flushing = true;
        try
        {
            while (null != sendHead)
            {
                int count = 0;
                long requested = 0;
                for (TcpOperation op = sendHead; null != op && count < gather.length - 1; op = op.next)
                {
                    op.exposeNextChunk();
                    gather[count++] = op.frame;
                    requested += op.frame.remaining();
                    if (null != op.payload)
                    {
                        gather[count++] = op.payload;
                        requested += op.payload.remaining();
                        if (!op.payload.isDirect())
                        {
                            break; // NIO copies each heap buffer it is given: give it one chunk per write
                        }
                    }
                }
                final long written = 1 == count ?
                    connection.channel.write(gather[0]) : connection.channel.write(gather, 0, count);
                Arrays.fill(gather, 0, count, null);
                work += retireWritten();
                if (written < requested)
                {
                    break;
                }
            }
        }
        finally
        {
            flushing = false;
        }
        return work;
    }

    /**
     * Completes everything queued with {@code status} (sends, writes, reads) and drops the replies owed.
     */
    void cancel(final int status)
    {
        TcpOperation operation = sendHead;
        sendHead = null;
        sendTail = null;
        while (null != operation)
        {
            final TcpOperation next = operation.next;
            operation.next = null;
            if (TcpOperation.SEND == operation.kind)
            {
                transport.complete(operation, status);
            }
            // writes and reads complete through the awaiting list, replies are released through theirs
            operation = next;
        }
        operation = awaitingHead;
        awaitingHead = null;
        awaitingTail = null;
        while (null != operation)
        {
            final TcpOperation next = operation.nextPending;
            operation.nextPending = null;
            transport.complete(operation, status);
            operation = next;
        }
        operation = replyHead;
        replyHead = null;
        replyTail = null;
        while (null != operation)
        {
            final TcpOperation next = operation.nextPending;
            transport.release(operation);
            operation = next;
        }
    }

    private void append(final TcpOperation operation)
    {
        operation.next = null;
        if (null == sendTail)
        {
            sendHead = operation;
        }
        else
        {
            sendTail.next = operation;
        }
        sendTail = operation;
    }

    private int retireWritten()
    {
        int retired = 0;
        while (null != sendHead && sendHead.isFullyWritten())
        {
            final TcpOperation operation = sendHead;
            sendHead = operation.next;
            if (null == sendHead)
            {
                sendTail = null;
            }
            operation.next = null;
            operation.sent = true;
            retired++;
            switch (operation.kind)
            {
                case TcpOperation.SEND -> transport.complete(operation, TransportStatus.OK);
                case TcpOperation.WRITE_ACK, TcpOperation.READ_RESPONSE -> replyFrameWritten(operation);
                default ->
                {
                    // WRITE and READ complete when their reply arrives
                }
            }
        }
        return retired;
    }

    /**
     * A frame of the oldest reply went out: queue its next chunk, or retire it and start the next reply.
     */
    private void replyFrameWritten(final TcpOperation reply)
    {
        if (reply.hasMoreResponseChunks())
        {
            reply.frameNextResponseChunk();
            append(reply);
            return;
        }
        replyHead = reply.nextPending;
        if (null == replyHead)
        {
            replyTail = null;
        }
        transport.release(reply);
        if (null != replyHead)
        {
            append(replyHead);
        }
    }
}
