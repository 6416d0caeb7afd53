package io.javelin.mpi.internal;

import io.javelin.messaging.CompletionError;
import io.javelin.messaging.MessageRequest;
import io.javelin.messaging.MessagingEngine;
import io.javelin.mpi.ElementType;
import io.javelin.mpi.Request;
import io.javelin.mpi.Status;

/**
 * A public {@link Request} over an engine request. The first time it sees the engine request complete it
 * copies the outcome and hands the engine request back to the engine for reuse, so a non-blocking operation
 * costs only this wrapper (and the {@link Status} that {@link #await()} returns).
 */
public final class EngineRequest implements Request
{
    private final MessagingEngine engine;
    private final ElementType type;
    private final Communicator comm;
    /** The engine's request until its completion was seen; null afterwards (released to the engine). */
    private MessageRequest request;
    private CompletionError error;
    private String errorMessage;
    private int statusSource;
    private int statusTag;
    private long statusBytes;

    EngineRequest(final Communicator comm, final MessageRequest request, final ElementType type)
    {
        this.comm = comm;
        this.engine = comm.engine();
        this.request = request;
        this.type = type;
    }

    @Override
    public Status await()
    {
        final MessageRequest pending = request;
        if (null != pending)
        {
            if (!pending.isComplete())
            {
                engine.await(pending);
            }
            harvest(pending);
        }
        if (error != CompletionError.NONE)
        {
            throw Errors.toException(error, errorMessage);
        }
        return comm.status(statusSource, statusTag, (int)(statusBytes / type.byteSize()), statusBytes);
    }

    @Override
    public boolean test()
    {
        final MessageRequest pending = request;
        if (null == pending)
        {
            return true;
        }
        if (!pending.isComplete())
        {
            engine.progress();
            if (!pending.isComplete())
            {
                return false;
            }
        }
        harvest(pending);
        return true;
    }

    MessagingEngine engine()
    {
        return engine;
    }

    private void harvest(final MessageRequest completed)
    {
        error = completed.error();
        errorMessage = completed.errorMessage();
        statusSource = completed.statusSource();
        statusTag = completed.statusTag();
        statusBytes = completed.statusBytes();
        request = null;
        engine.release(completed);
    }

    /**
     * Makes progress until the request completes; throws its error. Blocking operations call this directly
     * on the engine request (no wrapper) and then release the request to the engine for reuse.
     */
    static void complete(final MessagingEngine engine, final MessageRequest request)
    {
        if (!request.isComplete())
        {
            engine.await(request);
        }
        if (request.error() != CompletionError.NONE)
        {
            throw Errors.toException(request.error(), request.errorMessage());
        }
    }

    /**
     * @return the public status of a completed request, in the communicator's ranks and the buffer's elements.
     */
    static Status status(final Communicator comm, final MessageRequest request, final ElementType type)
    {
        final long bytes = request.statusBytes();
        return comm.status(request.statusSource(), request.statusTag(), (int)(bytes / type.byteSize()), bytes);
    }
}
