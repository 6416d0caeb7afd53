package io.javelin.messaging.bootstrap.pmix;

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
 * Loads the system's {@code libpmix.so.2} (by soname) and holds the downcall handles of the PMIx client calls.
 * {@link #unavailableReason()} loads nothing that throws; the handles in {@link Calls} are created on first use,
 * after it returned null.
 */
final class PmixLibrary
{
    static final String SONAME = "libpmix.so.2";
    /** What to do when the library is missing. */
    static final String FIX = "install the PMIx client library (apt-get install libpmix2) or start the job with " +
        "javelin run -n N instead of a PMIx launcher";
    private static final Linker LINKER = Linker.nativeLinker();
    private static final String LOAD_ERROR = loadError(SONAME);

    private PmixLibrary()
    {
    }

    /**
     * @return null when {@code libpmix.so.2} loads, else why not and how to fix it.
     */
    static String unavailableReason()
    {
        return LOAD_ERROR;
    }

    /**
     * @param soname a library.
     * @return null when it loads, else why not and {@link #FIX}.
     */
    static String loadError(final String soname)
    {
        try
        {
            SymbolLookup.libraryLookup(soname, Arena.global());
            return null;
        }
        catch (final IllegalArgumentException ex)
        {
            return soname + " cannot be loaded (" + ex.getMessage() + "): " + FIX;
        }
    }

    /**
     * Downcall handles, created when this class initialises: only after {@link #unavailableReason()} returned null.
     * The blocking ones (init, fence, get, finalize, abort) wait on the PMIx library's own progress thread.
     */
    static final class Calls
    {
        private static final SymbolLookup LIB = SymbolLookup.libraryLookup(SONAME, Arena.global());

        /** {@code pmix_status_t PMIx_Init(pmix_proc_t *proc, pmix_info_t info[], size_t ninfo)}. */
        static final MethodHandle INIT = fn("PMIx_Init", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        /** {@code pmix_status_t PMIx_Finalize(const pmix_info_t info[], size_t ninfo)}. */
        static final MethodHandle FINALIZE = fn("PMIx_Finalize", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        /** {@code pmix_status_t PMIx_Abort(int status, const char msg[], pmix_proc_t procs[], size_t nprocs)}. */
        static final MethodHandle ABORT = fn("PMIx_Abort",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        /** {@code pmix_status_t PMIx_Put(pmix_scope_t scope, const char key[], pmix_value_t *val)}. */
        static final MethodHandle PUT = fn("PMIx_Put", FunctionDescriptor.of(JAVA_INT, JAVA_BYTE, ADDRESS, ADDRESS));
        /** {@code pmix_status_t PMIx_Commit(void)}. */
        static final MethodHandle COMMIT = fn("PMIx_Commit", FunctionDescriptor.of(JAVA_INT));
        /** {@code pmix_status_t PMIx_Fence(const pmix_proc_t procs[], size_t nprocs, const pmix_info_t info[],
         * size_t ninfo)}. */
        static final MethodHandle FENCE = fn("PMIx_Fence",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        /** {@code pmix_status_t PMIx_Get(const pmix_proc_t *proc, const char key[], const pmix_info_t info[],
         * size_t ninfo, pmix_value_t **val)}. */
        static final MethodHandle GET = fn("PMIx_Get",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        /** {@code const char *PMIx_Error_string(pmix_status_t status)}. */
        static final MethodHandle ERROR_STRING = fn("PMIx_Error_string", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        /** {@code void PMIx_Value_destruct(pmix_value_t *val)}: PMIx 4 and later; null before (the few bytes of a
         * returned value then leak). */
        static final MethodHandle VALUE_DESTRUCT = optionalFn("PMIx_Value_destruct",
            FunctionDescriptor.ofVoid(ADDRESS));
        /** libc {@code free}, for the value PMIx_Get allocated. */
        static final MethodHandle FREE = LINKER.downcallHandle(LINKER.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(ADDRESS));

        private Calls()
        {
        }

        private static MethodHandle fn(final String name, final FunctionDescriptor descriptor)
        {
            final MemorySegment address = LIB.find(name).orElseThrow(() -> new IllegalStateException(
                name + " is missing from " + SONAME + ": install PMIx 4 or newer (apt-get install libpmix2)"));
            return LINKER.downcallHandle(address, descriptor);
        }

        private static MethodHandle optionalFn(final String name, final FunctionDescriptor descriptor)
        {
            return LIB.find(name).map(address -> LINKER.downcallHandle(address, descriptor)).orElse(null);
        }
    }
}
