package io.javelin.messaging;

import io.javelin.transport.MemoryRegion;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class RegistrationIndexTest
{
    /** A stand-in registration: the index only stores entries and never looks inside them. */
    private static RegistrationCache.Entry entry(final long start)
    {
        return new RegistrationCache.Entry(new FakeRegion(start), false);
    }

    @Test
    void shouldAnswerFloorGetPutAndRemoveAsASortedMapDoes()
    {
        final RegistrationIndex index = new RegistrationIndex();
        final TreeMap<Long, RegistrationCache.Entry> reference = new TreeMap<>();
        final Random random = new Random(7);
        for (int step = 0; step < 20_000; step++)
        {
            final long key = random.nextInt(500) * 64L;
            switch (random.nextInt(4))
            {
                case 0, 1 ->
                {
                    final RegistrationCache.Entry e = entry(key);
                    assertSame(reference.put(key, e), index.put(key, e), "put " + key);
                }
                case 2 -> assertSame(reference.remove(key), index.remove(key), "remove " + key);
                default ->
                {
                    final Map.Entry<Long, RegistrationCache.Entry> floor = reference.floorEntry(key + 13);
                    assertSame(null == floor ? null : floor.getValue(), index.floor(key + 13), "floor " + key);
                    assertSame(reference.get(key), index.get(key), "get " + key);
                }
            }
            assertEquals(reference.size(), index.size());
        }
        int i = 0;
        for (final RegistrationCache.Entry e : reference.values())
        {
            assertSame(e, index.at(i++));
        }
        index.clear();
        assertEquals(0, index.size());
        assertNull(index.floor(Long.MAX_VALUE));
    }

    @Test
    void shouldFindNoFloorBelowTheFirstEntry()
    {
        final RegistrationIndex index = new RegistrationIndex();
        index.put(4096, entry(4096));
        assertNull(index.floor(4095));
        assertSame(index.get(4096), index.floor(1 << 20));
    }

    /**
     * Only what {@link RegistrationCache.Entry}'s constructor reads.
     */
    private record FakeRegion(long start) implements MemoryRegion
    {
        @Override
        public MemorySegment segment()
        {
            return MemorySegment.ofAddress(start).reinterpret(64);
        }

        @Override
        public long address()
        {
            return start;
        }

        @Override
        public long localKey()
        {
            return 0;
        }

        @Override
        public long remoteKey()
        {
            return 0;
        }

        @Override
        public int accessFlags()
        {
            return ALL_ACCESS;
        }

        @Override
        public void close()
        {
        }
    }
}
