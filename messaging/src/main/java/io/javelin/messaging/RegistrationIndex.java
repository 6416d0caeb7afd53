package io.javelin.messaging;

import java.util.Arrays;

/**
 * The registration cache's entries sorted by start address, in two parallel arrays: a floor lookup is a
 * binary search over primitive longs, with no boxing and no map entry objects, so a cache hit allocates
 * nothing. Inserts and removals shift the arrays (O(n), on the miss and eviction paths only; the cache holds
 * at most a few thousand entries).
 *
 * <p>Not thread-safe: used by the engine's thread.
 */
final class RegistrationIndex
{
    private long[] starts = new long[16];
    private RegistrationCache.Entry[] entries = new RegistrationCache.Entry[16];
    private int size;

    int size()
    {
        return size;
    }

    /**
     * @param index 0 .. size - 1, in address order.
     * @return the entry there.
     */
    RegistrationCache.Entry at(final int index)
    {
        return entries[index];
    }

    /**
     * @return the entry with the greatest start at or below {@code address}, or null.
     */
    RegistrationCache.Entry floor(final long address)
    {
        final int index = Arrays.binarySearch(starts, 0, size, address);
        if (index >= 0)
        {
            return entries[index];
        }
        final int below = -index - 2;
        return below >= 0 ? entries[below] : null;
    }

    /**
     * @return the entry starting exactly at {@code start}, or null.
     */
    RegistrationCache.Entry get(final long start)
    {
        final int index = Arrays.binarySearch(starts, 0, size, start);
        return index >= 0 ? entries[index] : null;
    }

    /**
     * @return the entry that started at {@code start} before, now replaced, or null.
     */
    RegistrationCache.Entry put(final long start, final RegistrationCache.Entry entry)
    {
        final int index = Arrays.binarySearch(starts, 0, size, start);
        if (index >= 0)
        {
            final RegistrationCache.Entry previous = entries[index];
            entries[index] = entry;
            return previous;
        }
        final int insertion = -index - 1;
        if (size == starts.length)
        {
            starts = Arrays.copyOf(starts, size << 1);
            entries = Arrays.copyOf(entries, size << 1);
        }
        System.arraycopy(starts, insertion, starts, insertion + 1, size - insertion);
        System.arraycopy(entries, insertion, entries, insertion + 1, size - insertion);
        starts[insertion] = start;
        entries[insertion] = entry;
        size++;
        return null;
    }

    /**
     * @return the entry that started at {@code start}, now removed, or null.
     */
    RegistrationCache.Entry remove(final long start)
    {
        final int index = Arrays.binarySearch(starts, 0, size, start);
        if (index < 0)
        {
            return null;
        }
        final RegistrationCache.Entry removed = entries[index];
        System.arraycopy(starts, index + 1, starts, index, size - index - 1);
        System.arraycopy(entries, index + 1, entries, index, size - index - 1);
        size--;
        entries[size] = null;
        return removed;
    }

    void clear()
    {
        Arrays.fill(entries, 0, size, null);
        size = 0;
    }
}
