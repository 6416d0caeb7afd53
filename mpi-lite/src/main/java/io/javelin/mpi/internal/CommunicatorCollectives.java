package io.javelin.mpi.internal;

import io.javelin.mpi.Buf;
import io.javelin.mpi.Op;
import io.javelin.mpi.internal.collective.Allgather;
import io.javelin.mpi.internal.collective.Allreduce;
import io.javelin.mpi.internal.collective.BinomialReduce;
import io.javelin.mpi.internal.collective.BlockLayout;
import io.javelin.mpi.internal.collective.Broadcast;
import io.javelin.mpi.internal.collective.CollectiveChannel;
import io.javelin.mpi.internal.collective.DisseminationBarrier;
import io.javelin.mpi.internal.collective.LinearGather;
import io.javelin.mpi.internal.collective.PairwiseAlltoall;
import io.javelin.mpi.internal.collective.PrefixScan;
import io.javelin.mpi.internal.collective.ReduceScatterBlock;
import io.javelin.mpi.internal.collective.ReductionOp;

import static io.javelin.mpi.internal.CollectiveArguments.buf;
import static io.javelin.mpi.internal.CollectiveArguments.count;
import static io.javelin.mpi.internal.CollectiveArguments.layout;
import static io.javelin.mpi.internal.CollectiveArguments.root;
import static io.javelin.mpi.internal.CollectiveArguments.sameType;

/**
 * The collectives of one communicator: arguments checked at the call, then the algorithm (package
 * {@code io.javelin.mpi.internal.collective}) between {@link CollectiveChannel#begin} and
 * {@link CollectiveChannel#end}. The channel turns calls that do not match between ranks (other counts, also
 * on either side of an algorithm switch point) into a JavelinException on the ranks concerned, never a hang.
 */
final class CommunicatorCollectives
{
    private final CollectiveChannel channel;
    private final int rank;
    private final int size;
    // where the blocks lie in the send and receive buffers of the rooted and vector collectives; set at each
    // call, so that a warm collective allocates no layout
    private final BlockLayout sendLayout;
    private final BlockLayout receiveLayout;

    CommunicatorCollectives(final CollectiveChannel channel, final int rank, final int size)
    {
        this.channel = channel;
        this.rank = rank;
        this.size = size;
        this.sendLayout = new BlockLayout(size);
        this.receiveLayout = new BlockLayout(size);
    }

    void barrier()
    {
        channel.begin("barrier");
        DisseminationBarrier.barrier(channel);
        channel.end();
    }

    void bcast(final Buf buf, final int root)
    {
        buf(buf, "the", "bcast");
        root(root, size, "bcast");
        channel.begin("bcast");
        Broadcast.bcast(channel, buf.segment(), root);
        channel.end();
    }

    void reduce(final Buf send, final Buf recv, final Op op, final int root)
    {
        final String operation = "reduce";
        buf(send, "send", operation);
        root(root, size, operation);
        final ReductionOp reduction = ReductionOp.of(op, send.type(), operation);
        if (rank == root)
        {
            buf(recv, "recv", operation);
            sameType(send, recv, operation);
            count(recv, "recv", send.count(), "as many as send", operation);
        }
        channel.begin(operation);
        BinomialReduce.reduce(channel, send.segment(), rank == root ? recv.segment() : null, reduction, send.type(),
            root);
        channel.end();
    }

    void allreduce(final Buf send, final Buf recv, final Op op, final String operation)
    {
        final ReductionOp reduction = sameLength(send, recv, op, operation);
        channel.begin(operation);
        Allreduce.allreduce(channel, send.segment(), recv.segment(), reduction, send.type());
        channel.end();
    }

    void scan(final Buf send, final Buf recv, final Op op, final boolean inclusive)
    {
        final String operation = inclusive ? "scan" : "exscan";
        final ReductionOp reduction = sameLength(send, recv, op, operation);
        channel.begin(operation);
        if (inclusive)
        {
            PrefixScan.scan(channel, send.segment(), recv.segment(), reduction, send.type());
        }
        else
        {
            PrefixScan.exscan(channel, send.segment(), recv.segment(), reduction, send.type());
        }
        channel.end();
    }

    void reduceScatterBlock(final Buf send, final Buf recv, final Op op)
    {
        final String operation = "reduceScatterBlock";
        buf(send, "send", operation);
        buf(recv, "recv", operation);
        sameType(send, recv, operation);
        final ReductionOp reduction = ReductionOp.of(op, send.type(), operation);
        count(send, "send", (long)size * recv.count(), "size() blocks of recv's length", operation);
        channel.begin(operation);
        ReduceScatterBlock.reduceScatter(channel, send.segment(), recv.segment(), reduction, send.type());
        channel.end();
    }

    void gather(final Buf send, final Buf recv, final int root)
    {
        final String operation = "gather";
        buf(send, "send", operation);
        root(root, size, operation);
        BlockLayout layout = null;
        if (rank == root)
        {
            buf(recv, "recv", operation);
            sameType(send, recv, operation);
            count(recv, "recv", (long)size * send.count(), "size() blocks of send's length", operation);
            layout = receiveLayout.equal(send.byteSize());
        }
        channel.begin(operation);
        LinearGather.gather(channel, send.segment(), rank == root ? recv.segment() : null, layout, root);
        channel.end();
    }

    void gatherv(final Buf send, final Buf recv, final int[] counts, final int[] displacements, final int root)
    {
        final String operation = "gatherv";
        buf(send, "send", operation);
        root(root, size, operation);
        BlockLayout layout = null;
        if (rank == root)
        {
            buf(recv, "recv", operation);
            sameType(send, recv, operation);
            layout = layout(counts, displacements, recv, size, "counts and displacements", operation,
                receiveLayout);
            checkOwnCount(counts[root], send, "counts", operation);
        }
        channel.begin(operation);
        LinearGather.gather(channel, send.segment(), rank == root ? recv.segment() : null, layout, root);
        channel.end();
    }

    void scatter(final Buf send, final Buf recv, final int root)
    {
        final String operation = "scatter";
        buf(recv, "recv", operation);
        root(root, size, operation);
        BlockLayout layout = null;
        if (rank == root)
        {
            buf(send, "send", operation);
            sameType(send, recv, operation);
            count(send, "send", (long)size * recv.count(), "size() blocks of recv's length", operation);
            layout = sendLayout.equal(recv.byteSize());
        }
        channel.begin(operation);
        LinearGather.scatter(channel, rank == root ? send.segment() : null, layout, recv.segment(), root);
        channel.end();
    }

    void scatterv(final Buf send, final int[] counts, final int[] displacements, final Buf recv, final int root)
    {
        final String operation = "scatterv";
        buf(recv, "recv", operation);
        root(root, size, operation);
        BlockLayout layout = null;
        if (rank == root)
        {
            buf(send, "send", operation);
            sameType(send, recv, operation);
            layout = layout(counts, displacements, send, size, "counts and displacements", operation, sendLayout);
            checkOwnCount(counts[root], recv, "counts", operation);
        }
        channel.begin(operation);
        LinearGather.scatter(channel, rank == root ? send.segment() : null, layout, recv.segment(), root);
        channel.end();
    }

    void allgather(final Buf send, final Buf recv, final String operation)
    {
        buf(send, "send", operation);
        buf(recv, "recv", operation);
        sameType(send, recv, operation);
        count(recv, "recv", (long)size * send.count(), "size() blocks of send's length", operation);
        channel.begin(operation);
        Allgather.allgather(channel, send.segment(), recv.segment());
        channel.end();
    }

    void allgatherv(final Buf send, final Buf recv, final int[] counts, final int[] displacements)
    {
        final String operation = "allgatherv";
        buf(send, "send", operation);
        buf(recv, "recv", operation);
        sameType(send, recv, operation);
        final BlockLayout layout = layout(counts, displacements, recv, size, "counts and displacements", operation,
            receiveLayout);
        checkOwnCount(counts[rank], send, "counts", operation);
        channel.begin(operation);
        Allgather.allgatherv(channel, send.segment(), recv.segment(), layout);
        channel.end();
    }

    void alltoall(final Buf send, final Buf recv)
    {
        final String operation = "alltoall";
        buf(send, "send", operation);
        buf(recv, "recv", operation);
        sameType(send, recv, operation);
        count(recv, "recv", send.count(), "as many as send", operation);
        if (send.count() % size != 0)
        {
            throw Errors.invalid(operation + ": send holds " + send.count() + " elements, not a multiple of the " +
                size + " ranks: send and recv hold one equal block per rank");
        }
        final long blockBytes = send.byteSize() / size;
        channel.begin(operation);
        PairwiseAlltoall.alltoall(channel, send.segment(), sendLayout.equal(blockBytes), recv.segment(),
            receiveLayout.equal(blockBytes));
        channel.end();
    }

    void alltoallv(final Buf send, final int[] sendCounts, final int[] sendDisplacements, final Buf recv,
        final int[] recvCounts, final int[] recvDisplacements)
    {
        final String operation = "alltoallv";
        buf(send, "send", operation);
        buf(recv, "recv", operation);
        sameType(send, recv, operation);
        final BlockLayout sendBlocks = layout(sendCounts, sendDisplacements, send, size,
            "sendCounts and sendDisplacements", operation, sendLayout);
        final BlockLayout receiveBlocks = layout(recvCounts, recvDisplacements, recv, size,
            "recvCounts and recvDisplacements", operation, receiveLayout);
        if (sendCounts[rank] != recvCounts[rank])
        {
            throw Errors.invalid(operation + ": this rank sends itself " + sendCounts[rank] + " elements but " +
                "expects " + recvCounts[rank] + " from itself: sendCounts[rank()] must equal recvCounts[rank()]");
        }
        channel.begin(operation);
        PairwiseAlltoall.alltoall(channel, send.segment(), sendBlocks, recv.segment(), receiveBlocks);
        channel.end();
    }

    private static ReductionOp sameLength(final Buf send, final Buf recv, final Op op, final String operation)
    {
        buf(send, "send", operation);
        buf(recv, "recv", operation);
        sameType(send, recv, operation);
        final ReductionOp reduction = ReductionOp.of(op, send.type(), operation);
        count(recv, "recv", send.count(), "as many as send", operation);
        return reduction;
    }

    private void checkOwnCount(final int count, final Buf own, final String names, final String operation)
    {
        if (count != own.count())
        {
            throw Errors.invalid(operation + ": " + names + "[" + rank + "] is " + count + " but this rank's own " +
                "buffer holds " + own.count() + " elements: they must agree");
        }
    }
}
