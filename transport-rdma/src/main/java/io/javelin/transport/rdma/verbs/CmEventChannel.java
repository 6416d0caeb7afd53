package io.javelin.transport.rdma.verbs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An RDMA CM event channel ({@code rdma_create_event_channel}). {@link #poll} waits at most the time it is
 * given (poll(2) on the channel's file descriptor before {@code rdma_get_cm_event}), so connection set-up never
 * hangs on an event that does not come. Owned by whoever created it; close after every id on it.
 * Used by one thread.
 */
public final class CmEventChannel implements AutoCloseable
{
    private static final short POLLIN = 1;

    final MemorySegment channel;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment pollFd;
    private final MemorySegment eventPointer;
    private final MemorySegment callState;
    private boolean closed;

    private CmEventChannel(final MemorySegment channel)
    {
        this.channel = channel.reinterpret(RdmaCmLayouts.EVENT_CHANNEL.byteSize());
        this.fd = this.channel.get(ValueLayout.JAVA_INT, RdmaCmLayouts.EVENT_CHANNEL_FD);
        this.pollFd = arena.allocate(RdmaCmLayouts.POLLFD);
        this.eventPointer = arena.allocate(ValueLayout.ADDRESS);
        this.callState = NativeAccess.callState(arena);
    }

    /**
     * @return a new channel, owned by the caller.
     * @throws VerbsException when /dev/infiniband/rdma_cm cannot be opened; the message names the fix.
     */
    public static CmEventChannel create()
    {
        return new CmEventChannel(Ibv.pointerOrThrow("rdma_create_event_channel",
            "is the rdma_ucm module loaded (modprobe rdma_ucm) and /dev/infiniband/rdma_cm accessible?",
            state -> (MemorySegment)RdmaCm.CREATE_EVENT_CHANNEL.invokeExact(state)));
    }

    /**
     * @return the channel's file descriptor.
     */
    public int fd()
    {
        return fd;
    }

    /**
     * Takes the next event if one arrives within {@code timeoutMs}, copies it into {@code into} and
     * acknowledges it.
     *
     * @param into      receives the event.
     * @param timeoutMs 0 to return at once.
     * @return whether an event was taken.
     * @throws VerbsException when the channel fails.
     */
    public boolean poll(final CmEvent into, final int timeoutMs)
    {
        try
        {
            pollFd.set(ValueLayout.JAVA_INT, 0, fd);
            pollFd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
            pollFd.set(ValueLayout.JAVA_SHORT, 6, (short)0);
            final int ready = (int)NativeAccess.LibC.POLL.invokeExact(callState, pollFd, 1L, timeoutMs);
            if (ready < 0)
            {
                final int errno = NativeAccess.errno(callState);
                if (4 == errno)
                {
                    return false; // EINTR: the caller polls again
                }
                throw VerbsException.of("poll(RDMA CM event channel)", errno, "");
            }
            if (0 == ready)
            {
                return false;
            }
            RdmaCm.callOrThrow("rdma_get_cm_event", "",
                state -> (int)RdmaCm.GET_CM_EVENT.invokeExact(state, channel, eventPointer));
            final MemorySegment event = eventPointer.get(ValueLayout.ADDRESS, 0);
            try
            {
                into.copyFrom(event);
            }
            finally
            {
                final int acked = (int)RdmaCm.ACK_CM_EVENT.invokeExact(event);
                assert 0 == acked : "rdma_ack_cm_event returned " + acked;
            }
            return true;
        }
        catch (final VerbsException ex)
        {
            throw ex;
        }
        catch (final Throwable ex)
        {
            throw NativeAccess.rethrow(ex);
        }
    }

    /**
     * Destroys the channel. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            RdmaCm.DESTROY_EVENT_CHANNEL.invokeExact(channel);
        }
        catch (final Throwable ex)
        {
            throw NativeAccess.rethrow(ex);
        }
        finally
        {
            arena.close();
        }
    }
}
