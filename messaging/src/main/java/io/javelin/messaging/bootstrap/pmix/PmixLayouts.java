package io.javelin.messaging.bootstrap.pmix;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The PMIx structs and constants the client uses, as in {@code pmix_common.h} of PMIx 4 (x86-64 and aarch64,
 * LP64). {@code PmixLayoutTest} compiles {@code src/test/c/pmix_layout.c} against the installed headers and
 * compares every size, offset and constant here, so a wrong layout fails the build.
 *
 * <pre>
 *   pmix_proc_t  (260)   0 nspace char[256]   256 rank uint32
 *   pmix_value_t  (32)   0 type uint16        8 data (union: bool, int, uint32, size_t, char *,
 *                                                    pmix_byte_object_t {char *bytes; size_t size}, ...)
 *   pmix_info_t  (552)   0 key char[512]     512 flags uint32      520 value pmix_value_t
 * </pre>
 */
final class PmixLayouts
{
    /** {@code PMIX_MAX_NSLEN + 1}: bytes of a namespace, NUL included. */
    static final long NSPACE_BYTES = 256;
    /** {@code PMIX_MAX_KEYLEN + 1}: bytes of a key, NUL included. */
    static final long KEY_BYTES = 512;

    static final StructLayout BYTE_OBJECT = MemoryLayout.structLayout(
        ADDRESS.withName("bytes"),
        JAVA_LONG.withName("size"));

    /** The largest member of the value union, modelled only for its size. */
    static final StructLayout ENVAR = MemoryLayout.structLayout(
        ADDRESS.withName("envar"),
        ADDRESS.withName("value"),
        JAVA_BYTE.withName("separator"),
        MemoryLayout.paddingLayout(7));

    static final StructLayout PROC = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(NSPACE_BYTES, JAVA_BYTE).withName("nspace"),
        JAVA_INT.withName("rank"));

    static final UnionLayout VALUE_DATA = MemoryLayout.unionLayout(
        JAVA_BOOLEAN.withName("flag"),
        JAVA_INT.withName("integer"),
        JAVA_INT.withName("uint32"),
        JAVA_LONG.withName("size"),
        ADDRESS.withName("string"),
        BYTE_OBJECT.withName("bo"),
        ENVAR.withName("envar"));

    static final StructLayout VALUE = MemoryLayout.structLayout(
        JAVA_SHORT.withName("type"),
        MemoryLayout.paddingLayout(6),
        VALUE_DATA.withName("data"));

    static final StructLayout INFO = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(KEY_BYTES, JAVA_BYTE).withName("key"),
        JAVA_INT.withName("flags"),
        MemoryLayout.paddingLayout(4),
        VALUE.withName("value"));

    /** Offsets used by the client, derived from the layouts above. */
    static final long PROC_RANK_OFFSET = PROC.byteOffset(MemoryLayout.PathElement.groupElement("rank"));
    static final long VALUE_DATA_OFFSET = VALUE.byteOffset(MemoryLayout.PathElement.groupElement("data"));
    static final long BYTE_OBJECT_SIZE_OFFSET = BYTE_OBJECT.byteOffset(MemoryLayout.PathElement.groupElement("size"));
    static final long INFO_VALUE_OFFSET = INFO.byteOffset(MemoryLayout.PathElement.groupElement("value"));

    /** {@code PMIX_RANK_WILDCARD} ({@code UINT32_MAX - 1}): job-level data of a namespace. */
    static final int RANK_WILDCARD = 0xFFFF_FFFE;

    // pmix_data_type_t
    static final short TYPE_BOOL = 1;
    static final short TYPE_STRING = 3;
    static final short TYPE_INT = 6;
    static final short TYPE_UINT32 = 14;
    static final short TYPE_BYTE_OBJECT = 27;

    // pmix_scope_t
    static final byte SCOPE_GLOBAL = 3;

    // pmix_status_t
    static final int SUCCESS = 0;
    static final int ERR_TIMEOUT = -24;
    static final int ERR_UNREACH = -25;
    static final int ERR_NOT_FOUND = -46;
    static final int ERR_PARTIAL_SUCCESS = -52;
    static final int ERR_LOST_CONNECTION = -61;

    // attribute keys
    static final String JOB_SIZE = "pmix.job.size";
    static final String LOCAL_SIZE = "pmix.local.size";
    static final String LOCAL_PEERS = "pmix.lpeers";
    static final String TIMEOUT = "pmix.timeout";
    static final String COLLECT_DATA = "pmix.collect";
    static final String OPTIONAL = "pmix.optional";

    /** Struct layouts by C type name, for the layout test. */
    static final Map<String, StructLayout> STRUCTS = Map.of(
        "pmix_proc_t", PROC,
        "pmix_value_t", VALUE,
        "pmix_info_t", INFO,
        "pmix_byte_object_t", BYTE_OBJECT,
        "pmix_envar_t", ENVAR);

    /** Integer constants by C macro name, for the layout test. */
    static final Map<String, Long> CONSTANTS = Map.ofEntries(
        Map.entry("PMIX_MAX_NSLEN", NSPACE_BYTES - 1),
        Map.entry("PMIX_MAX_KEYLEN", KEY_BYTES - 1),
        Map.entry("PMIX_RANK_WILDCARD", Integer.toUnsignedLong(RANK_WILDCARD)),
        Map.entry("PMIX_BOOL", (long)TYPE_BOOL),
        Map.entry("PMIX_STRING", (long)TYPE_STRING),
        Map.entry("PMIX_INT", (long)TYPE_INT),
        Map.entry("PMIX_UINT32", (long)TYPE_UINT32),
        Map.entry("PMIX_BYTE_OBJECT", (long)TYPE_BYTE_OBJECT),
        Map.entry("PMIX_GLOBAL", (long)SCOPE_GLOBAL),
        Map.entry("PMIX_SUCCESS", (long)SUCCESS),
        Map.entry("PMIX_ERR_TIMEOUT", (long)ERR_TIMEOUT),
        Map.entry("PMIX_ERR_UNREACH", (long)ERR_UNREACH),
        Map.entry("PMIX_ERR_NOT_FOUND", (long)ERR_NOT_FOUND),
        Map.entry("PMIX_ERR_PARTIAL_SUCCESS", (long)ERR_PARTIAL_SUCCESS),
        Map.entry("PMIX_ERR_LOST_CONNECTION", (long)ERR_LOST_CONNECTION),
        Map.entry("sizeof(pmix_data_type_t)", JAVA_SHORT.byteSize()),
        Map.entry("sizeof(pmix_scope_t)", JAVA_BYTE.byteSize()),
        Map.entry("sizeof(pmix_status_t)", JAVA_INT.byteSize()),
        Map.entry("sizeof(pmix_rank_t)", JAVA_INT.byteSize()),
        Map.entry("sizeof(bool)", JAVA_BOOLEAN.byteSize()));

    /** Attribute keys by C macro name, for the layout test. */
    static final Map<String, String> KEYS = Map.of(
        "PMIX_JOB_SIZE", JOB_SIZE,
        "PMIX_LOCAL_SIZE", LOCAL_SIZE,
        "PMIX_LOCAL_PEERS", LOCAL_PEERS,
        "PMIX_TIMEOUT", TIMEOUT,
        "PMIX_COLLECT_DATA", COLLECT_DATA,
        "PMIX_OPTIONAL", OPTIONAL);

    private PmixLayouts()
    {
    }
}
