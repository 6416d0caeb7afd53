package io.javelin.mpi.internal;

import io.javelin.messaging.MessagingEngine;
import io.javelin.messaging.ReceiveRequest;
import io.javelin.messaging.SendRequest;
import io.javelin.mpi.Buf;
import io.javelin.mpi.Comm;
import io.javelin.mpi.Op;
import io.javelin.mpi.Request;
import io.javelin.mpi.Status;
import io.javelin.mpi.internal.collective.CollectiveChannel;
import io.javelin.mpi.internal.collective.CollectiveConfiguration;
import io.javelin.mpi.internal.collective.CollectiveResources;

import java.util.Optional;

/**
 * The communicator implementation: rank translation, argument checks at the call, and point-to-point on
 * the engine; collectives are in {@link CommunicatorCollectives}. Each communicator owns two matching
 * contexts: {@code 2 * id} for user point-to-point traffic and {@code 2 * id + 1} for its collectives, which
 * therefore never match user messages. Ranks are communicator ranks at this API and world ranks at the
 * engine.
 */
public final class Communicator implements Comm
{
    private final MessagingEngine engine;
    private final int id;
    private final int pointToPointContext;
    private final int[] worldRanks;
    private final int[] communicatorRanks;
    private final int rank;
    private final int size;
    private final CommunicatorIds ids;
    private final CollectiveResources resources;
    private final CommunicatorCollectives collectives;
    private boolean closed;
    /** The status returned last, handed out again while statuses repeat (see {@link #status}). */
    private MessageStatus lastStatus;

    private Communicator(final MessagingEngine engine, final int id, final int[] worldRanks, final CommunicatorIds ids,
        final CollectiveResources resources)
    {
        this.engine = engine;
        this.id = id;
        this.pointToPointContext = 2 * id;
        this.worldRanks = worldRanks;
        this.communicatorRanks = new int[engine.size()];
        java.util.Arrays.fill(communicatorRanks, -1);
        for (int r = 0; r < worldRanks.length; r++)
        {
            communicatorRanks[worldRanks[r]] = r;
        }
        this.rank = communicatorRanks[engine.rank()];
        this.size = worldRanks.length;
        this.ids = ids;
        this.resources = resources;
        this.collectives = new CommunicatorCollectives(new CollectiveChannel(engine, 2 * id + 1, worldRanks, rank,
            resources), rank, size);
    }

    /**
     * @param engine        the rank's engine.
     * @param configuration the collectives' switch points.
     * @return the communicator of all ranks (id 0).
     */
    public static Communicator world(final MessagingEngine engine, final CollectiveConfiguration configuration)
    {
        final int[] identity = new int[engine.size()];
        for (int r = 0; r < identity.length; r++)
        {
            identity[r] = r;
        }
        return new Communicator(engine, 0, identity, new CommunicatorIds(), new CollectiveResources(configuration));
    }

    MessagingEngine engine()
    {
        return engine;
    }

    int fromWorld(final int worldRank)
    {
        return worldRank < 0 ? worldRank : communicatorRanks[worldRank];
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

    // Blocking operations wait on the engine's requests directly and hand them back to the engine for reuse
    // (no Request wrapper): a blocking send allocates nothing; a receive only its returned Status.

    @Override
    public void send(final Buf buf, final int dest, final int tag)
    {
        checkSend(buf, dest, tag);
        if (engine.trySend(pointToPointContext, worldRanks[dest], tag, buf.segment()))
        {
            return; // the payload is in the transport already: no request to wait for
        }
        final SendRequest request = engine.postSend(pointToPointContext, worldRanks[dest], tag, buf.segment());
        EngineRequest.complete(engine, request);
        engine.release(request);
    }

    @Override
    public Status recv(final Buf buf, final int source, final int tag)
    {
        final ReceiveRequest request = postReceive(buf, source, tag);
        EngineRequest.complete(engine, request);
        final Status status = EngineRequest.status(this, request, buf.type());
        engine.release(request);
        return status;
    }

    @Override
    public Status sendrecv(final Buf sendBuf, final int dest, final int sendTag, final Buf recvBuf, final int source,
        final int recvTag)
    {
        final ReceiveRequest receive = postReceive(recvBuf, source, recvTag);
        final SendRequest send = postSend(sendBuf, dest, sendTag);
        EngineRequest.complete(engine, send);
        engine.release(send);
        EngineRequest.complete(engine, receive);
        final Status status = EngineRequest.status(this, receive, recvBuf.type());
        engine.release(receive);
        return status;
    }

    @Override
    public Status probe(final int source, final int tag)
    {
        checkSource(source, "probe");
        checkReceiveTag(tag, "probe");
        final int worldSource = toWorldSource(source);
        while (!engine.probe(pointToPointContext, worldSource, tag))
        {
            engine.idle(engine.progress());
        }
        return probeStatus();
    }

    @Override
    public Request isend(final Buf buf, final int dest, final int tag)
    {
        return new EngineRequest(this, postSend(buf, dest, tag), buf.type());
    }

    @Override
    public Request irecv(final Buf buf, final int source, final int tag)
    {
        return new EngineRequest(this, postReceive(buf, source, tag), buf.type());
    }

    private SendRequest postSend(final Buf buf, final int dest, final int tag)
    {
        checkSend(buf, dest, tag);
        return engine.postSend(pointToPointContext, worldRanks[dest], tag, buf.segment());
    }

    private void checkSend(final Buf buf, final int dest, final int tag)
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
    }

    private ReceiveRequest postReceive(final Buf buf, final int source, final int tag)
    {
        checkBuf(buf, "recv");
        checkSource(source, "recv");
        checkReceiveTag(tag, "recv");
        return engine.postReceive(pointToPointContext, toWorldSource(source), tag, buf.segment());
    }

    @Override
    public Optional<Status> iprobe(final int source, final int tag)
    {
        checkSource(source, "iprobe");
        checkReceiveTag(tag, "iprobe");
        engine.progress();
        return engine.probe(pointToPointContext, toWorldSource(source), tag) ? Optional.of(probeStatus()) :
            Optional.empty();
    }

    @Override
    public void barrier()
    {
        checkOpen("barrier");
        collectives.barrier();
    }

    @Override
    public void bcast(final Buf buf, final int root)
    {
        checkOpen("bcast");
        collectives.bcast(buf, root);
    }

    @Override
    public void reduce(final Buf send, final Buf recv, final Op op, final int root)
    {
        checkOpen("reduce");
        collectives.reduce(send, recv, op, root);
    }

    @Override
    public void allreduce(final Buf send, final Buf recv, final Op op)
    {
        checkOpen("allreduce");
        collectives.allreduce(send, recv, op, "allreduce");
    }

    @Override
    public void gather(final Buf send, final Buf recv, final int root)
    {
        checkOpen("gather");
        collectives.gather(send, recv, root);
    }

    @Override
    public void gatherv(final Buf send, final Buf recv, final int[] counts, final int[] displacements, final int root)
    {
        checkOpen("gatherv");
        collectives.gatherv(send, recv, counts, displacements, root);
    }

    @Override
    public void scatter(final Buf send, final Buf recv, final int root)
    {
        checkOpen("scatter");
        collectives.scatter(send, recv, root);
    }

    @Override
    public void scatterv(final Buf send, final int[] counts, final int[] displacements, final Buf recv, final int root)
    {
        checkOpen("scatterv");
        collectives.scatterv(send, counts, displacements, recv, root);
    }

    @Override
    public void allgather(final Buf send, final Buf recv)
    {
        checkOpen("allgather");
        collectives.allgather(send, recv, "allgather");
    }

    @Override
    public void allgatherv(final Buf send, final Buf recv, final int[] counts, final int[] displacements)
    {
        checkOpen("allgatherv");
        collectives.allgatherv(send, recv, counts, displacements);
    }

    @Override
    public void alltoall(final Buf send, final Buf recv)
    {
        checkOpen("alltoall");
        collectives.alltoall(send, recv);
    }

    @Override
    public void alltoallv(final Buf send, final int[] sendCounts, final int[] sendDisplacements, final Buf recv,
        final int[] recvCounts, final int[] recvDisplacements)
    {
        checkOpen("alltoallv");
        collectives.alltoallv(send, sendCounts, sendDisplacements, recv, recvCounts, recvDisplacements);
    }

    @Override
    public void reduceScatterBlock(final Buf send, final Buf recv, final Op op)
    {
        checkOpen("reduceScatterBlock");
        collectives.reduceScatterBlock(send, recv, op);
    }

    @Override
    public void scan(final Buf send, final Buf recv, final Op op)
    {
        checkOpen("scan");
        collectives.scan(send, recv, op, true);
    }

    @Override
    public void exscan(final Buf send, final Buf recv, final Op op)
    {
        checkOpen("exscan");
        collectives.scan(send, recv, op, false);
    }

    /**
     * Splits by color, ordered by key then rank. One allgather of (color, key, next free id) over this
     * communicator gives every rank its new group and the new id at once (the maximum of the next free ids).
     */
    @Override
    public Comm split(final int color, final int key)
    {
        checkOpen("split");
        final int[] mine = {Math.max(color, UNDEFINED), key, ids.next()};
        final int[] all = new int[3 * size];
        collectives.allgather(Buf.of(mine), Buf.of(all), "split");
        int agreed = 0;
        int members = 0;
        for (int r = 0; r < size; r++)
        {
            agreed = Math.max(agreed, all[3 * r + 2]);
            if (color >= 0 && all[3 * r] == color)
            {
                members++;
            }
        }
        ids.taken(agreed);
        if (color < 0)
        {
            return null;
        }
        final Integer[] group = new Integer[members];
        int next = 0;
        for (int r = 0; r < size; r++)
        {
            if (all[3 * r] == color)
            {
                group[next++] = r;
            }
        }
        java.util.Arrays.sort(group, (a, b) -> all[3 * a + 1] != all[3 * b + 1] ?
            Integer.compare(all[3 * a + 1], all[3 * b + 1]) : Integer.compare(a, b));
        final int[] newWorldRanks = new int[members];
        for (int i = 0; i < members; i++)
        {
            newWorldRanks[i] = worldRanks[group[i]];
        }
        return new Communicator(engine, agreed, newWorldRanks, ids, resources);
    }

    /**
     * Duplicates: one allreduce (MAX) of the next free id over this communicator.
     */
    @Override
    public Comm dup()
    {
        checkOpen("dup");
        final int[] next = {ids.next()};
        collectives.allreduce(Buf.of(next), Buf.of(next), Op.MAX, "dup");
        ids.taken(next[0]);
        return new Communicator(engine, next[0], worldRanks, ids, resources);
    }

    /**
     * Frees this communicator: further calls on it are INVALID_ARGUMENT. Local (no communication);
     * idempotent. Its id is never reused.
     */
    @Override
    public void close()
    {
        if (id == 0)
        {
            throw Errors.invalid("the world communicator cannot be closed: close the Javelin instead");
        }
        closed = true;
    }

    private void checkOpen(final String operation)
    {
        if (closed)
        {
            throw Errors.invalid(operation + ": this communicator was closed; use it before close()");
        }
    }

    @Override
    public String toString()
    {
        return "Communicator[id " + id + ", rank " + rank + " of " + size + "]";
    }

    private int toWorldSource(final int source)
    {
        return source == ANY_SOURCE ? MessagingEngine.ANY_SOURCE : worldRanks[source];
    }

    private Status probeStatus()
    {
        final long bytes = engine.probeLength();
        return status(engine.probeSource(), engine.probeTag(), (int)Math.min(bytes, Integer.MAX_VALUE), bytes);
    }

    /**
     * The public status of a message. Statuses are immutable, so when a message looks like the last one (a
     * ping-pong, a halo exchange) the last instance is returned again: a blocking receive then allocates
     * nothing, and fresh heap pages are not touched (a page fault costs microseconds) on the data path.
     *
     * @param worldSource the sender's world rank.
     * @param tag         the message's tag.
     * @param count       elements.
     * @param bytes       bytes.
     * @return a status, possibly the one returned last.
     */
    Status status(final int worldSource, final int tag, final int count, final long bytes)
    {
        final int source = fromWorld(worldSource);
        final MessageStatus last = lastStatus;
        if (null != last && last.source() == source && last.tag() == tag && last.count() == count &&
            last.byteCount() == bytes)
        {
            return last;
        }
        final MessageStatus status = new MessageStatus(source, tag, count, bytes);
        lastStatus = status;
        return status;
    }

    private void checkBuf(final Buf buf, final String operation)
    {
        checkOpen(operation);
        if (null == buf)
        {
            throw Errors.invalid(operation + ": buffer is null; pass Buf.of(...)");
        }
    }

    private void checkSource(final int source, final String operation)
    {
        checkOpen(operation);
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
}
