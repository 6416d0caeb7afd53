package io.javelin.transport.rdma.verbs;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Loads {@code libibverbs.so.1} and {@code librdmacm.so.1} (the system's, by soname) and makes downcall handles.
 * Nothing here runs until a class asks: {@link #unavailableReason()} says whether the libraries can be loaded
 * without throwing, so a machine without rdma-core still starts and reports why RDMA is off.
 */
final class NativeAccess
{
    static final Linker LINKER = Linker.nativeLinker();
    static final String IBVERBS_SONAME = "libibverbs.so.1";
    static final String RDMACM_SONAME = "librdmacm.so.1";
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final String LOAD_ERROR = loadError();

    private NativeAccess()
    {
    }

    /**
     * @return null when both libraries load, else which is missing and the package that provides it.
     */
    static String unavailableReason()
    {
        return LOAD_ERROR;
    }

    private static String loadError()
    {
        for (final String[] library : new String[][]{
            {IBVERBS_SONAME, "libibverbs1 ibverbs-providers"}, {RDMACM_SONAME, "librdmacm1"}})
        {
            try
            {
                SymbolLookup.libraryLookup(library[0], Arena.global());
            }
            catch (final IllegalArgumentException ex)
            {
                return library[0] + " cannot be loaded (" + ex.getMessage() + "): install rdma-core's user space " +
                    "(apt-get install " + library[1] + ") or use --transport tcp";
            }
        }
        return null;
    }

    /**
     * @param soname a library that {@link #unavailableReason()} found.
     * @return its symbols; the library stays loaded for the life of the JVM.
     */
    static SymbolLookup library(final String soname)
    {
        return SymbolLookup.libraryLookup(soname, Arena.global());
    }

    /**
     * @param library     where the symbol lives.
     * @param name        the C function.
     * @param descriptor  its signature.
     * @param captureErrno whether the handle takes a leading call-state segment that receives errno.
     * @return the downcall handle.
     */
    static MethodHandle function(final SymbolLookup library, final String name, final FunctionDescriptor descriptor,
        final boolean captureErrno)
    {
        final MemorySegment address = library.find(name).orElseThrow(() -> new VerbsException(
            name + " is missing from the installed rdma-core libraries: install rdma-core 28 or newer", 0));
        return captureErrno ? LINKER.downcallHandle(address, descriptor, CAPTURE_ERRNO) :
            LINKER.downcallHandle(address, descriptor);
    }

    /**
     * @param arena where to allocate.
     * @return a call-state segment for handles made with {@code captureErrno}.
     */
    static MemorySegment callState(final Arena arena)
    {
        return arena.allocate(CALL_STATE);
    }

    /**
     * @param callState a segment passed to an errno-capturing handle.
     * @return the errno it captured.
     */
    static int errno(final MemorySegment callState)
    {
        return (int)ERRNO.get(callState, 0L);
    }

    /**
     * @param errno an error number.
     * @return the C library's text for it.
     */
    static String strerror(final int errno)
    {
        try
        {
            final MemorySegment text = (MemorySegment)LibC.STRERROR.invokeExact(errno);
            return text.reinterpret(1024).getString(0);
        }
        catch (final Throwable ex)
        {
            return "errno " + errno;
        }
    }

    /**
     * @param pointer a C string or NULL.
     * @return the Java string, or null for NULL.
     */
    static String string(final MemorySegment pointer)
    {
        return MemorySegment.NULL.equals(pointer) ? null : pointer.reinterpret(4096).getString(0);
    }

    /**
     * @param ex what a downcall threw.
     * @return an unchecked exception to throw (downcall handles throw only unchecked exceptions and errors).
     */
    static RuntimeException rethrow(final Throwable ex)
    {
        if (ex instanceof RuntimeException runtime)
        {
            return runtime;
        }
        if (ex instanceof Error error)
        {
            throw error;
        }
        return new IllegalStateException(ex);
    }

    /** The few libc functions the bindings need, from the linker's default lookup. */
    static final class LibC
    {
        static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().find("strerror").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        static final MethodHandle POLL = LINKER.downcallHandle(
            LINKER.defaultLookup().find("poll").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT),
            CAPTURE_ERRNO);
        static final MethodHandle GETRLIMIT = LINKER.downcallHandle(
            LINKER.defaultLookup().find("getrlimit").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        static final MethodHandle GETEUID = LINKER.downcallHandle(
            LINKER.defaultLookup().find("geteuid").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT));

        private LibC()
        {
        }
    }
}
