package io.javelin.mpi.internal;

import io.javelin.messaging.MessagingEngine;
import io.javelin.messaging.ReceiveRequest;
import io.javelin.messaging.SendRequest;
import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.ElementType;
import io.javelin.mpi.Op;
import io.javelin.mpi.Request;
import io.javelin.mpi.Status;

import java.util.Optional;

/**
 * The communicator implementation: rank translation, argument checks at the call, and point-to-point on
 * the engine. Each communicator owns two matching contexts: {@code 2 * id} for user point-to-point traffic
 * and {@code 2 * id + 1} for its collectives, which therefore never match user messages.
 */
public final class Communicator implements Comm
{
    private static final int BARRIER_TAG = 1;

    private final MessagingEngine engine;
    private final int id;
    private final int pointToPointContext;
    private final int collectiveContext;
    private final int rank;
    private final int size;

    /**
     * @param engine the rank's engine.
     * @param id     communicator id (0 for world).
     */
    public Communicator(final MessagingEngine engine, final int id)
    {
        this.engine = engine;
        this.id = id;
        this.pointToPointContext = 2 * id;
        this.collectiveContext = 2 * id + 1;
        this.rank = engine.rank();
        this.size = engine.size();
    }

    MessagingEngine engine()
    {
        return engine;
    }

    int fromWorld(final int worldRank)
    {
        return worldRank;
    }

    @Override
    public int rank()
    {
        return rank;
    }

    @Override
    public int size()
    {
        return size;
    }

    @Override
    public void send(final Buf buf, final int dest, final int tag)
    {
        isend(buf, dest, tag).await();
    }

    @Override
    public Status recv(final Buf buf, final int source, final int tag)
    {
        return irecv(buf, source, tag).await();
    }

    @Override
    public Status sendrecv(final Buf sendBuf, final int dest, final int sendTag, final Buf recvBuf, final int source,
        final int recvTag)
    {
        final Request receive = irecv(recvBuf, source, recvTag);
        final Request send = isend(sendBuf, dest, sendTag);
        send.await();
        return receive.await();
    }

    @Override
    public Status probe(final int source, final int tag)
    {
        checkSource(source, "probe");
        checkReceiveTag(tag, "probe");
        while (!engine.probe(pointToPointContext, source, tag))
        {
            engine.idle(engine.progress());
        }
        return probeStatus();
    }

    @Override
    public Request isend(final Buf buf, final int dest, final int tag)
    {
        checkBuf(buf, "send");
        if (dest < 0 || dest >= size)
        {
            throw Errors.invalid("send: destination rank " + dest + " is outside 0.." + (size - 1));
        }
        if (tag < 0)
        {
            throw Errors.invalid("send: tag " + tag + " is negative; tags are 0.." + Integer.MAX_VALUE);
        }
        final SendRequest request = engine.postSend(pointToPointContext, dest, tag, buf.segment());
        return new EngineRequest(this, request, buf.type());
    }

    @Override
    public Request irecv(final Buf buf, final int source, final int tag)
    {
        checkBuf(buf, "recv");
        checkSource(source, "recv");
        checkReceiveTag(tag, "recv");
        final ReceiveRequest request = engine.postReceive(pointToPointContext, source, tag, buf.segment());
        return new EngineRequest(this, request, buf.type());
    }

    @Override
    public Optional<Status> iprobe(final int source, final int tag)
    {
        checkSource(source, "iprobe");
        checkReceiveTag(tag, "iprobe");
        engine.progress();
        return engine.probe(pointToPointContext, source, tag) ? Optional.of(probeStatus()) : Optional.empty();
    }

    /**
     * Dissemination barrier: ceil(log2(size)) rounds; in round k each rank signals rank + 2^k and waits for
     * rank - 2^k.
     */
    @Override
    public void barrier()
    {
        final java.lang.foreign.MemorySegment empty = java.lang.foreign.MemorySegment.NULL;
        for (int distance = 1; distance < size; distance <<= 1)
        {
            final int to = (rank + distance) % size;
            final int from = (rank - distance + size) % size;
            final ReceiveRequest receive = engine.postReceive(collectiveContext, from, BARRIER_TAG, empty);
            final SendRequest send = engine.postSend(collectiveContext, to, BARRIER_TAG, empty);
            new EngineRequest(this, send, ElementType.BYTE).await();
            new EngineRequest(this, receive, ElementType.BYTE).await();
        }
    }

    @Override
    public void bcast(final Buf buf, final int root)
    {
        throw notYet("bcast");
    }

    @Override
    public void reduce(final Buf send, final Buf recv, final Op op, final int root)
    {
        throw notYet("reduce");
    }

    @Override
    public void allreduce(final Buf send, final Buf recv, final Op op)
    {
        throw notYet("allreduce");
    }

    @Override
    public void gather(final Buf send, final Buf recv, final int root)
    {
        throw notYet("gather");
    }

    @Override
    public void scatter(final Buf send, final Buf recv, final int root)
    {
        throw notYet("scatter");
    }

    @Override
    public void allgather(final Buf send, final Buf recv)
    {
        throw notYet("allgather");
    }

    @Override
    public void alltoall(final Buf send, final Buf recv)
    {
        throw notYet("alltoall");
    }

    @Override
    public void reduceScatterBlock(final Buf send, final Buf recv, final Op op)
    {
        throw notYet("reduceScatterBlock");
    }

    @Override
    public void scan(final Buf send, final Buf recv, final Op op)
    {
        throw notYet("scan");
    }

    @Override
    public void exscan(final Buf send, final Buf recv, final Op op)
    {
        throw notYet("exscan");
    }

    @Override
    public Comm split(final int color, final int key)
    {
        throw notYet("split");
    }

    @Override
    public Comm dup()
    {
        throw notYet("dup");
    }

    @Override
    public void close()
    {
        if (id == 0)
        {
            throw Errors.invalid("the world communicator cannot be closed: close the Javelin instead");
        }
    }

    private Status probeStatus()
    {
        final long bytes = engine.probeLength();
        return new MessageStatus(fromWorld(engine.probeSource()), engine.probeTag(), (int)Math.min(bytes,
            Integer.MAX_VALUE), bytes);
    }

    private void checkBuf(final Buf buf, final String operation)
    {
        if (null == buf)
        {
            throw Errors.invalid(operation + ": buffer is null; pass Buf.of(...)");
        }
    }

    private void checkSource(final int source, final String operation)
    {
        if (source != ANY_SOURCE && (source < 0 || source >= size))
        {
            throw Errors.invalid(operation + ": source rank " + source + " is outside 0.." + (size - 1) +
                " (or ANY_SOURCE)");
        }
    }

    private static void checkReceiveTag(final int tag, final String operation)
    {
        if (tag < 0 && tag != ANY_TAG)
        {
            throw Errors.invalid(operation + ": tag " + tag + " is negative; tags are 0.." + Integer.MAX_VALUE +
                " or ANY_TAG");
        }
    }

    private static UnsupportedOperationException notYet(final String operation)
    {
        return new UnsupportedOperationException(operation + " is not implemented yet: collectives beyond" +
            " barrier arrive with the collectives work (issue #4)");
    }
}
