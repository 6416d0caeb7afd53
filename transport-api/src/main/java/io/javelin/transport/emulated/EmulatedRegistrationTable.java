package io.javelin.transport.emulated;

import io.javelin.transport.MemoryRegion;
import io.javelin.transport.TransportException;
import org.agrona.collections.Long2ObjectHashMap;

import java.lang.foreign.MemorySegment;
import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * The memory one transport exposes to peers, by remote key. Checks every one-sided request a peer makes:
 * known key, access right, span inside the region. Used only on the progress thread.
 */
public final class EmulatedRegistrationTable
{
    private final Long2ObjectHashMap<EmulatedMemoryRegion> regionsByKey = new Long2ObjectHashMap<>();
    private final SplittableRandom keys = new SplittableRandom(new SecureRandom().nextLong());

    public MemoryRegion register(final MemorySegment segment, final int accessFlags)
    {
        if (null == segment)
        {
            throw new TransportException("cannot register a null segment");
        }
        if (!segment.isNative())
        {
            throw new TransportException("cannot register a heap segment of " + segment.byteSize() +
                " bytes: the GC moves heap memory; allocate native memory (Arena.allocate, " +
                "ByteBuffer.allocateDirect or Javelin.allocate) or let the messaging layer stage it");
        }
        if ((accessFlags & ~MemoryRegion.ALL_ACCESS) != 0)
        {
            throw new TransportException("unknown access flags " + accessFlags + ": combine LOCAL_WRITE, " +
                "REMOTE_READ and REMOTE_WRITE of MemoryRegion");
        }
        long key;
        do
        {
            key = keys.nextLong();
        }
        while (0 == key || regionsByKey.containsKey(key));
        final EmulatedMemoryRegion region = new EmulatedMemoryRegion(this, segment, key, accessFlags);
        regionsByKey.put(key, region);
        return region;
    }

    void remove(final EmulatedMemoryRegion region)
    {
        if (regionsByKey.get(region.remoteKey()) == region)
        {
            regionsByKey.remove(region.remoteKey());
        }
    }

    /**
     * Finds the memory a peer's one-sided request names.
     *
     * @param remoteKey     the key the peer presented.
     * @param address       the address of the first byte.
     * @param length        bytes.
     * @param requiredFlags {@link MemoryRegion#REMOTE_READ} or {@link MemoryRegion#REMOTE_WRITE}.
     * @return the region, or null when the key is unknown, the right is missing or the span lies outside.
     */
    public EmulatedMemoryRegion find(final long remoteKey, final long address, final long length,
        final int requiredFlags)
    {
        final EmulatedMemoryRegion region = regionsByKey.get(remoteKey);
        if (null == region || (region.accessFlags() & requiredFlags) != requiredFlags || length < 0)
        {
            return null;
        }
        final long offset = address - region.address();
        final long size = region.segment().byteSize();
        if (address < region.address() || offset > size || length > size - offset)
        {
            return null;
        }
        return region;
    }

    public boolean isLocal(final MemoryRegion region)
    {
        return region instanceof EmulatedMemoryRegion own && own.belongsTo(this) && !own.isClosed();
    }

    public int size()
    {
        return regionsByKey.size();
    }
}
