package io.javelin.messaging.bootstrap.pmix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Marshalling between Java and the PMIx structs of {@link PmixLayouts}: info arrays, values, strings, status codes.
 */
final class PmixValues
{
    private PmixValues()
    {
    }

    /**
     * A value of a type this client does not read.
     *
     * @param type its {@code pmix_data_type_t}.
     */
    record OtherType(short type)
    {
    }

    /**
     * @param what   the call, for the message.
     * @param status what it returned.
     * @throws PmixException unless the status is {@code PMIX_SUCCESS}.
     */
    static void check(final String what, final int status)
    {
        if (status != PmixLayouts.SUCCESS)
        {
            throw new PmixException(what + " returned " + statusText(status), status);
        }
    }

    /**
     * @param status a PMIx status code.
     * @return e.g. {@code "TIMEOUT (-24)"}, as {@code PMIx_Error_string} names it.
     */
    static String statusText(final int status)
    {
        try
        {
            final MemorySegment text = (MemorySegment)PmixLibrary.Calls.ERROR_STRING.invokeExact(status);
            return stringAt(text) + " (" + status + ")";
        }
        catch (final Throwable ex)
        {
            return "PMIx status " + status;
        }
    }

    /**
     * Reads a {@code pmix_value_t} that PMIx_Get allocated, then releases it.
     *
     * @param value the value, of {@link PmixLayouts#VALUE}'s size.
     * @return a Long (integer types), String, byte[] (byte object) or {@link OtherType}.
     * @throws Throwable what a downcall threw.
     */
    static Object readAndFree(final MemorySegment value) throws Throwable
    {
        try
        {
            final short type = value.get(JAVA_SHORT, 0);
            final long data = PmixLayouts.VALUE_DATA_OFFSET;
            return switch (type)
            {
                case PmixLayouts.TYPE_UINT32 -> Integer.toUnsignedLong(value.get(JAVA_INT, data));
                case PmixLayouts.TYPE_INT -> (long)value.get(JAVA_INT, data);
                case PmixLayouts.TYPE_STRING -> stringAt(value.get(ADDRESS, data));
                case PmixLayouts.TYPE_BYTE_OBJECT ->
                {
                    final long size = value.get(JAVA_LONG, data + PmixLayouts.BYTE_OBJECT_SIZE_OFFSET);
                    if (size < 0 || size > Integer.MAX_VALUE - 8)
                    {
                        throw new PmixException("PMIx_Get returned " + size + " bytes", PmixLayouts.ERR_NOT_FOUND);
                    }
                    yield value.get(ADDRESS, data).reinterpret(size).toArray(JAVA_BYTE);
                }
                default -> new OtherType(type);
            };
        }
        finally
        {
            // PMIx_Value_destruct is PMIx 4's; without it the few bytes of a value are left (never on a hot path)
            if (null != PmixLibrary.Calls.VALUE_DESTRUCT)
            {
                PmixLibrary.Calls.VALUE_DESTRUCT.invokeExact(value);
                PmixLibrary.Calls.FREE.invokeExact(value);
            }
        }
    }

    /**
     * @param pointer a C string or NULL.
     * @return the Java string, or null for NULL.
     */
    static String stringAt(final MemorySegment pointer)
    {
        return MemorySegment.NULL.equals(pointer) ? null : pointer.reinterpret(Integer.MAX_VALUE).getString(0);
    }

    /**
     * @param arena where to allocate.
     * @param text  the text.
     * @return a NUL-terminated UTF-8 copy.
     */
    static MemorySegment cString(final Arena arena, final String text)
    {
        return arena.allocateFrom(text, StandardCharsets.UTF_8);
    }

    /**
     * Sets element {@code index} of a zeroed {@code pmix_info_t} array to a boolean.
     */
    static void setBool(final MemorySegment infos, final long index, final String key, final boolean value)
    {
        final long base = setKey(infos, index, key);
        infos.set(JAVA_SHORT, base, PmixLayouts.TYPE_BOOL);
        infos.set(JAVA_BYTE, base + PmixLayouts.VALUE_DATA_OFFSET, (byte)(value ? 1 : 0));
    }

    /**
     * Sets element {@code index} of a zeroed {@code pmix_info_t} array to an int.
     */
    static void setInt(final MemorySegment infos, final long index, final String key, final int value)
    {
        final long base = setKey(infos, index, key);
        infos.set(JAVA_SHORT, base, PmixLayouts.TYPE_INT);
        infos.set(JAVA_INT, base + PmixLayouts.VALUE_DATA_OFFSET, value);
    }

    /**
     * @param millis a duration.
     * @return whole seconds, rounded up, at least 1: the unit of {@code PMIX_TIMEOUT}.
     */
    static int seconds(final long millis)
    {
        return (int)Math.min(Integer.MAX_VALUE, Math.max(1, (millis + 999) / 1000));
    }

    /** Writes the key and returns the offset of the element's value. */
    private static long setKey(final MemorySegment infos, final long index, final String key)
    {
        final long element = index * PmixLayouts.INFO.byteSize();
        infos.asSlice(element, PmixLayouts.KEY_BYTES).setString(0, key);
        return element + PmixLayouts.INFO_VALUE_OFFSET;
    }
}
