package io.javelin.transport.emulated;

import io.javelin.transport.MemoryRegion;

import java.lang.foreign.MemorySegment;

/**
 * Native memory registered with a transport whose one-sided operations are carried out by software (TCP,
 * Aeron). Nothing is pinned: peers reach the memory only through the owning transport's progress engine,
 * which checks key, access flags and bounds on every request (Aeron may then grant a same-host peer one
 * cross-memory-attach copy of exactly the checked span). Close it on the transport's progress thread, before
 * the memory is freed, and not while a peer's operation on it is in flight.
 */
public final class EmulatedMemoryRegion implements MemoryRegion
{
    private final EmulatedRegistrationTable table;
    private final MemorySegment segment;
    private final long remoteKey;
    private final int accessFlags;
    private boolean closed;

    EmulatedMemoryRegion(
        final EmulatedRegistrationTable table, final MemorySegment segment, final long remoteKey, final int accessFlags)
    {
        this.table = table;
        this.segment = segment;
        this.remoteKey = remoteKey;
        this.accessFlags = accessFlags;
    }

    @Override
    public MemorySegment segment()
    {
        return segment;
    }

    @Override
    public long address()
    {
        return segment.address();
    }

    @Override
    public long localKey()
    {
        return remoteKey;
    }

    @Override
    public long remoteKey()
    {
        return remoteKey;
    }

    @Override
    public int accessFlags()
    {
        return accessFlags;
    }

    public boolean isClosed()
    {
        return closed;
    }

    boolean belongsTo(final EmulatedRegistrationTable owner)
    {
        return table == owner;
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            table.remove(this);
        }
    }

    @Override
    public String toString()
    {
        return "EmulatedMemoryRegion{address=0x" + Long.toHexString(address()) + ", length=" + segment.byteSize() +
            ", access=" + accessFlags + (closed ? ", closed" : "") + "}";
    }
}
