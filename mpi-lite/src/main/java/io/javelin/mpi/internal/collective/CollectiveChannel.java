package io.javelin.mpi.internal.collective;

import io.javelin.messaging.CompletionError;
import io.javelin.messaging.MessageRequest;
import io.javelin.messaging.MessagingEngine;
import io.javelin.messaging.ReceiveRequest;
import io.javelin.messaging.SendRequest;
import io.javelin.mpi.ElementType;
import io.javelin.mpi.ErrorClass;
import io.javelin.mpi.JavelinException;
import io.javelin.mpi.internal.Errors;

import java.lang.foreign.MemorySegment;

/**
 * The collective traffic of one communicator: point-to-point on its collective context (which user
 * messages never match), in communicator ranks, plus scratch memory and reductions.
 *
 * <p>Length checks: every receive of a collective expects an exact length. A message of another length
 * means that ranks passed different counts; the channel then records the error, lets the algorithm run to
 * its end (so that ranks waiting for this one are not left hanging) and {@link #end()} throws it, naming
 * the collective: TRUNCATE for a longer message, INVALID_ARGUMENT for a shorter one. Failures that stop
 * communication (a dead peer, a transport error) are thrown at once.
 *
 * <p>Usage: {@link #begin}, the algorithm, {@link #end}. Not thread-safe: the rank's thread.
 */
public final class CollectiveChannel
{
    private final MessagingEngine engine;
    private final int context;
    private final int[] worldRanks;
    private final int rank;
    private final CollectiveResources resources;
    private String operation = "collective";
    private JavelinException deferred;

    /**
     * @param engine     the rank's engine.
     * @param context    the communicator's collective matching context.
     * @param worldRanks world rank of each communicator rank.
     * @param rank       this rank in the communicator.
     * @param resources  the rank's scratch memory, kernels and switch points.
     */
    public CollectiveChannel(final MessagingEngine engine, final int context, final int[] worldRanks, final int rank,
        final CollectiveResources resources)
    {
        this.engine = engine;
        this.context = context;
        this.worldRanks = worldRanks;
        this.rank = rank;
        this.resources = resources;
    }

    /**
     * Starts a collective: scratch memory is free again, no error is recorded.
     *
     * @param name the collective, for error messages ("allreduce").
     */
    public void begin(final String name)
    {
        operation = name;
        deferred = null;
        resources.scratch().reset();
    }

    /**
     * Ends a collective.
     *
     * @throws JavelinException the first length mismatch seen since {@link #begin}.
     */
    public void end()
    {
        final JavelinException error = deferred;
        deferred = null;
        if (null != error)
        {
            throw error;
        }
    }

    int rank()
    {
        return rank;
    }

    int size()
    {
        return worldRanks.length;
    }

    CollectiveConfiguration configuration()
    {
        return resources.configuration();
    }

    /**
     * @param bytes size.
     * @return native scratch memory valid until the next {@link #begin}.
     */
    MemorySegment scratch(final long bytes)
    {
        return resources.scratch().take(bytes);
    }

    /**
     * {@code inout = inout op in}, element-wise.
     */
    void reduce(final ReductionOp op, final ElementType type, final MemorySegment inout, final MemorySegment in)
    {
        resources.reducer().reduce(op, type, inout, in);
    }

    SendRequest postSend(final int destination, final int tag, final MemorySegment payload)
    {
        return engine.postSend(context, worldRanks[destination], tag, payload);
    }

    /**
     * Posts a receive that expects exactly {@code target.byteSize()} bytes.
     */
    ReceiveRequest postReceive(final int source, final int tag, final MemorySegment target)
    {
        return engine.postReceive(context, worldRanks[source], tag, target);
    }

    void awaitSend(final SendRequest send)
    {
        await(send);
        if (send.error() != CompletionError.NONE)
        {
            throw failure(send);
        }
    }

    void awaitReceive(final ReceiveRequest receive)
    {
        await(receive);
        final CompletionError error = receive.error();
        final long expected = receive.buffer().byteSize();
        if (error == CompletionError.TRUNCATE)
        {
            defer(new JavelinException(ErrorClass.TRUNCATE, operation + ": rank " + source(receive) + " sent " +
                receive.statusBytes() + " bytes where this rank expected " + expected + ": every rank must pass " +
                "matching counts (and the same root and algorithm settings)"));
        }
        else if (error != CompletionError.NONE)
        {
            throw failure(receive);
        }
        else if (receive.statusBytes() != expected)
        {
            defer(Errors.invalid(operation + ": rank " + source(receive) + " sent " + receive.statusBytes() +
                " bytes where this rank expected " + expected + ": every rank must pass matching counts (and the" +
                " same root and algorithm settings)"));
        }
    }

    // The blocking helpers below hand their requests back to the engine for reuse once read (none of them is
    // visible outside this call); on failure they leave them to the garbage collector.

    void send(final int destination, final int tag, final MemorySegment payload)
    {
        final SendRequest send = postSend(destination, tag, payload);
        awaitSend(send);
        engine.release(send);
    }

    void receive(final int source, final int tag, final MemorySegment target)
    {
        final ReceiveRequest receive = postReceive(source, tag, target);
        awaitReceive(receive);
        engine.release(receive);
    }

    /**
     * Sends to one rank while receiving from another (or the same), deadlock-free.
     */
    void exchange(final int destination, final MemorySegment out, final int source, final MemorySegment in,
        final int tag)
    {
        final ReceiveRequest receive = postReceive(source, tag, in);
        final SendRequest send = postSend(destination, tag, out);
        awaitReceive(receive);
        awaitSend(send);
        engine.release(receive);
        engine.release(send);
    }

    private void await(final MessageRequest request)
    {
        if (!request.isComplete())
        {
            engine.await(request);
        }
    }

    private void defer(final JavelinException error)
    {
        if (null == deferred)
        {
            deferred = error;
        }
    }

    private JavelinException failure(final MessageRequest request)
    {
        final JavelinException cause = Errors.toException(request.error(), request.errorMessage());
        return new JavelinException(cause.errorClass(), operation + ": " + request.errorMessage(), cause);
    }

    private int source(final ReceiveRequest receive)
    {
        final int world = receive.statusSource();
        for (int r = 0; r < worldRanks.length; r++)
        {
            if (worldRanks[r] == world)
            {
                return r;
            }
        }
        return world;
    }
}
