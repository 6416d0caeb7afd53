package io.javelin.mpi.internal;

import io.javelin.mpi.Status;

/**
 * An immutable {@link Status}.
 *
 * @param source    sender's rank in the communicator.
 * @param tag       tag.
 * @param count     whole elements.
 * @param byteCount bytes.
 */
public record MessageStatus(int source, int tag, int count, long byteCount) implements Status
{
}
