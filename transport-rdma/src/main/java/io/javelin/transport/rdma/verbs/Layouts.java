package io.javelin.transport.rdma.verbs;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.ValueLayout;

/**
 * Shorthands for declaring C structs as {@link MemoryLayout}s (x86-64 / aarch64 LP64 ABI) and reading
 * field offsets from them once.
 */
final class Layouts
{
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT;
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT;
    static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    static final ValueLayout POINTER = ValueLayout.ADDRESS;

    private Layouts()
    {
    }

    static MemoryLayout u64(final String name)
    {
        return U64.withName(name);
    }

    static MemoryLayout u32(final String name)
    {
        return U32.withName(name);
    }

    static MemoryLayout u16(final String name)
    {
        return U16.withName(name);
    }

    static MemoryLayout u8(final String name)
    {
        return U8.withName(name);
    }

    static MemoryLayout pointer(final String name)
    {
        return POINTER.withName(name);
    }

    static MemoryLayout bytes(final String name, final long count)
    {
        return MemoryLayout.sequenceLayout(count, U8).withName(name);
    }

    static MemoryLayout pad(final long bytes)
    {
        return MemoryLayout.paddingLayout(bytes);
    }

    /**
     * @param layout a struct layout.
     * @param path   dotted field path, e.g. {@code "wr.rdma.remote_addr"}.
     * @return the field's byte offset.
     */
    static long offset(final MemoryLayout layout, final String path)
    {
        final String[] names = path.split("\\.");
        final PathElement[] elements = new PathElement[names.length];
        for (int i = 0; i < names.length; i++)
        {
            elements[i] = PathElement.groupElement(names[i]);
        }
        return layout.byteOffset(elements);
    }
}
