package io.javelin.mpi.internal;

import io.javelin.messaging.CompletionError;
import io.javelin.messaging.MessageRequest;
import io.javelin.messaging.MessagingEngine;
import io.javelin.mpi.ElementType;
import io.javelin.mpi.Request;
import io.javelin.mpi.Status;

/**
 * A public {@link Request} over an engine request.
 */
public final class EngineRequest implements Request
{
    private final MessagingEngine engine;
    private final MessageRequest request;
    private final ElementType type;
    private final Communicator comm;

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
        complete(engine, request);
        return status(comm, request, type);
    }

    @Override
    public boolean test()
    {
        if (!request.isComplete())
        {
            engine.progress();
        }
        return request.isComplete();
    }

    MessagingEngine engine()
    {
        return engine;
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
        return new MessageStatus(comm.fromWorld(request.statusSource()), request.statusTag(),
            (int)(bytes / type.byteSize()), bytes);
    }
}
