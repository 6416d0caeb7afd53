package io.javelin.transport.rdma.verbs;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Downcall handles to {@code librdmacm.so.1}, created once when this class initialises (only after
 * {@link NativeAccess#unavailableReason()} returned null). Functions that report failure as -1 with errno
 * take a leading call-state segment (see {@link #call}).
 */
final class RdmaCm
{
    private static final SymbolLookup LIB = NativeAccess.library(NativeAccess.RDMACM_SONAME);

    static final MethodHandle CREATE_EVENT_CHANNEL = fn("rdma_create_event_channel", FunctionDescriptor.of(ADDRESS),
        true);
    static final MethodHandle DESTROY_EVENT_CHANNEL = fn("rdma_destroy_event_channel",
        FunctionDescriptor.ofVoid(ADDRESS), false);
    static final MethodHandle CREATE_ID = fn("rdma_create_id",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), true);
    static final MethodHandle DESTROY_ID = fn("rdma_destroy_id", FunctionDescriptor.of(JAVA_INT, ADDRESS), true);
    static final MethodHandle BIND_ADDR = fn("rdma_bind_addr", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS),
        true);
    static final MethodHandle RESOLVE_ADDR = fn("rdma_resolve_addr",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), true);
    static final MethodHandle RESOLVE_ROUTE = fn("rdma_resolve_route",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), true);
    static final MethodHandle CREATE_QP = fn("rdma_create_qp",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), true);
    static final MethodHandle DESTROY_QP = fn("rdma_destroy_qp", FunctionDescriptor.ofVoid(ADDRESS), false);
    static final MethodHandle CONNECT = fn("rdma_connect", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), true);
    static final MethodHandle LISTEN = fn("rdma_listen", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), true);
    static final MethodHandle ACCEPT = fn("rdma_accept", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), true);
    static final MethodHandle REJECT = fn("rdma_reject",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_BYTE), true);
    static final MethodHandle DISCONNECT = fn("rdma_disconnect", FunctionDescriptor.of(JAVA_INT, ADDRESS), true);
    static final MethodHandle GET_CM_EVENT = fn("rdma_get_cm_event",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), true);
    static final MethodHandle ACK_CM_EVENT = fn("rdma_ack_cm_event", FunctionDescriptor.of(JAVA_INT, ADDRESS), false);
    static final MethodHandle GET_SRC_PORT = fn("rdma_get_src_port", FunctionDescriptor.of(JAVA_SHORT, ADDRESS),
        false);
    static final MethodHandle EVENT_STR = fn("rdma_event_str", FunctionDescriptor.of(ADDRESS, JAVA_INT), false);

    private RdmaCm()
    {
    }

    private static MethodHandle fn(final String name, final FunctionDescriptor descriptor, final boolean errno)
    {
        return NativeAccess.function(LIB, name, descriptor, errno);
    }

    /**
     * Calls a function that returns 0 on success and -1 with errno on failure.
     *
     * @return 0 on success, else the (positive) errno; never throws for a failed call.
     */
    static int call(final IntCall body)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = NativeAccess.callState(arena);
            final int result = body.call(state);
            return 0 == result ? 0 : Math.max(1, NativeAccess.errno(state));
        }
        catch (final Throwable ex)
        {
            throw NativeAccess.rethrow(ex);
        }
    }

    /**
     * As {@link #call} but throws.
     *
     * @throws VerbsException naming the call and the fix when it failed.
     */
    static void callOrThrow(final String call, final String fix, final IntCall body)
    {
        final int errno = call(body);
        if (0 != errno)
        {
            throw VerbsException.of(call, errno, fix);
        }
    }

    /**
     * @param event an {@code enum rdma_cm_event_type} value.
     * @return librdmacm's name for it.
     */
    static String eventName(final int event)
    {
        try
        {
            return NativeAccess.string((MemorySegment)EVENT_STR.invokeExact(event));
        }
        catch (final Throwable ex)
        {
            throw NativeAccess.rethrow(ex);
        }
    }

    /** A downcall returning an int, given the errno call-state segment. */
    @FunctionalInterface
    interface IntCall
    {
        /**
         * @param callState receives errno.
         * @return what the function returned.
         * @throws Throwable as {@link MethodHandle#invokeExact} does.
         */
        int call(MemorySegment callState) throws Throwable;
    }
}
