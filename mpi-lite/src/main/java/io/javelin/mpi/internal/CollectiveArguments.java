package io.javelin.mpi.internal;

import io.javelin.mpi.Buf;
import io.javelin.mpi.internal.collective.BlockLayout;

/**
 * Argument checks of the collectives, made at the call on each rank: null or mistyped buffers, wrong
 * lengths, a root out of range, bad counts or displacements are INVALID_ARGUMENT with a message naming the
 * collective and the fix. Mismatches between ranks cannot be seen here; the algorithms report them.
 */
final class CollectiveArguments
{
    private CollectiveArguments()
    {
    }

    static Buf buf(final Buf buf, final String name, final String operation)
    {
        if (null == buf)
        {
            throw Errors.invalid(operation + ": " + name + " buffer is null; pass Buf.of(...)");
        }
        return buf;
    }

    static void root(final int root, final int size, final String operation)
    {
        if (root < 0 || root >= size)
        {
            throw Errors.invalid(operation + ": root " + root + " is outside 0.." + (size - 1) +
                ": every rank must name the same root, a rank of this communicator");
        }
    }

    static void sameType(final Buf send, final Buf receive, final String operation)
    {
        if (send.type() != receive.type())
        {
            throw Errors.invalid(operation + ": send holds " + send.type() + " but recv holds " + receive.type() +
                ": both buffers must have the same element type");
        }
    }

    static void count(final Buf buf, final String name, final long expected, final String why,
        final String operation)
    {
        if (buf.count() != expected)
        {
            throw Errors.invalid(operation + ": " + name + " holds " + buf.count() + " elements but must hold " +
                expected + " (" + why + "): pass a view of that length, e.g. Buf.of(array, offset, " + expected +
                ")");
        }
    }

    /**
     * Checks counts and displacements (elements) of a vector collective against the buffer they describe.
     *
     * @param into the layout to set.
     * @return that layout, set to the blocks in bytes.
     */
    static BlockLayout layout(final int[] counts, final int[] displacements, final Buf buf, final int size,
        final String names, final String operation, final BlockLayout into)
    {
        if (null == counts || null == displacements)
        {
            throw Errors.invalid(operation + ": " + names + " are null; give one count and one displacement per " +
                "rank");
        }
        if (counts.length != size || displacements.length != size)
        {
            throw Errors.invalid(operation + ": " + names + " have " + counts.length + " and " +
                displacements.length + " entries but the communicator has " + size + " ranks: give one per rank");
        }
        for (int r = 0; r < size; r++)
        {
            if (counts[r] < 0 || displacements[r] < 0 || (long)counts[r] + displacements[r] > buf.count())
            {
                throw Errors.invalid(operation + ": block of rank " + r + " (count " + counts[r] +
                    ", displacement " + displacements[r] + ") does not fit a buffer of " + buf.count() +
                    " elements: counts and displacements are in elements, non-negative, within the buffer");
            }
        }
        return into.vector(counts, displacements, buf.type().byteSize());
    }
}
