package io.javelin.transport.rdma.verbs;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Downcall handles to {@code libibverbs.so.1}, created once when this class initialises (only after
 * {@link NativeAccess#unavailableReason()} returned null).
 *
 * <p>{@code ibv_post_send}, {@code ibv_post_recv} and {@code ibv_poll_cq} are static inline functions in
 * verbs.h that jump through the provider's {@code struct ibv_context_ops}; {@link #POST_SEND},
 * {@link #POST_RECV} and {@link #POLL_CQ} are address-less handles that take that function pointer as their
 * first argument, read once per context (see {@link VerbsContext}). They are "critical" downcalls (no thread
 * state transition): the providers' implementations are short and never block or call back.
 */
final class Ibv
{
    private static final SymbolLookup LIB = NativeAccess.library(NativeAccess.IBVERBS_SONAME);
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);

    static final MethodHandle GET_DEVICE_LIST = fn("ibv_get_device_list", FunctionDescriptor.of(ADDRESS, ADDRESS),
        true);
    static final MethodHandle FREE_DEVICE_LIST = fn("ibv_free_device_list", FunctionDescriptor.ofVoid(ADDRESS),
        false);
    static final MethodHandle GET_DEVICE_NAME = fn("ibv_get_device_name", FunctionDescriptor.of(ADDRESS, ADDRESS),
        false);
    static final MethodHandle OPEN_DEVICE = fn("ibv_open_device", FunctionDescriptor.of(ADDRESS, ADDRESS), true);
    static final MethodHandle CLOSE_DEVICE = fn("ibv_close_device", FunctionDescriptor.of(JAVA_INT, ADDRESS), false);
    static final MethodHandle QUERY_DEVICE = fn("ibv_query_device",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), false);
    static final MethodHandle QUERY_PORT = fn("ibv_query_port",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BYTE, ADDRESS), false);
    static final MethodHandle QUERY_GID_EX = fn("_ibv_query_gid_ex",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG), false);
    static final MethodHandle ALLOC_PD = fn("ibv_alloc_pd", FunctionDescriptor.of(ADDRESS, ADDRESS), true);
    static final MethodHandle DEALLOC_PD = fn("ibv_dealloc_pd", FunctionDescriptor.of(JAVA_INT, ADDRESS), false);
    static final MethodHandle REG_MR = fn("ibv_reg_mr",
        FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT), true);
    static final MethodHandle DEREG_MR = fn("ibv_dereg_mr", FunctionDescriptor.of(JAVA_INT, ADDRESS), false);
    static final MethodHandle CREATE_CQ = fn("ibv_create_cq",
        FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT), true);
    static final MethodHandle DESTROY_CQ = fn("ibv_destroy_cq", FunctionDescriptor.of(JAVA_INT, ADDRESS), false);
    static final MethodHandle WC_STATUS_STR = fn("ibv_wc_status_str", FunctionDescriptor.of(ADDRESS, JAVA_INT),
        false);

    /** {@code int (*poll_cq)(struct ibv_cq *, int num_entries, struct ibv_wc *)}, function pointer first. */
    static final MethodHandle POLL_CQ = NativeAccess.LINKER.downcallHandle(
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), CRITICAL);
    /** {@code int (*post_send)(struct ibv_qp *, struct ibv_send_wr *, struct ibv_send_wr **bad_wr)}. */
    static final MethodHandle POST_SEND = NativeAccess.LINKER.downcallHandle(
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), CRITICAL);
    /** {@code int (*post_recv)(struct ibv_qp *, struct ibv_recv_wr *, struct ibv_recv_wr **bad_wr)}. */
    static final MethodHandle POST_RECV = NativeAccess.LINKER.downcallHandle(
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), CRITICAL);

    private Ibv()
    {
    }

    private static MethodHandle fn(final String name, final FunctionDescriptor descriptor, final boolean errno)
    {
        return NativeAccess.function(LIB, name, descriptor, errno);
    }

    /**
     * Calls a function that returns a pointer, NULL on failure with errno set.
     *
     * @return the pointer.
     * @throws VerbsException naming the call and the fix when NULL came back.
     */
    static MemorySegment pointerOrThrow(final String call, final String fix, final PointerCall body)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = NativeAccess.callState(arena);
            final MemorySegment result = body.call(state);
            if (MemorySegment.NULL.equals(result))
            {
                throw VerbsException.of(call, NativeAccess.errno(state), fix);
            }
            return result;
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
     * Checks the result of a verbs call that returns 0 or an error number.
     *
     * @throws VerbsException when {@code result} is not 0.
     */
    static void check(final String call, final int result, final String fix)
    {
        if (0 != result)
        {
            throw VerbsException.of(call, Math.abs(result), fix);
        }
    }

    /**
     * @param status an {@code enum ibv_wc_status} value.
     * @return libibverbs' name for it.
     */
    static String wcStatus(final int status)
    {
        try
        {
            return NativeAccess.string((MemorySegment)WC_STATUS_STR.invokeExact(status));
        }
        catch (final Throwable ex)
        {
            throw NativeAccess.rethrow(ex);
        }
    }

    /** A downcall returning a pointer, given the errno call-state segment. */
    @FunctionalInterface
    interface PointerCall
    {
        /**
         * @param callState receives errno.
         * @return what the function returned.
         * @throws Throwable as {@link MethodHandle#invokeExact} does.
         */
        MemorySegment call(MemorySegment callState) throws Throwable;
    }
}
