package io.javelin.transport.rdma;

import io.javelin.transport.rdma.verbs.MemoryRegistration;
import io.javelin.transport.rdma.verbs.ProtectionDomain;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A registered block of equal buffers, handed out by index from a free stack (send buffers), or used in
 * place by index (the receive buffers of one peer). Owner thread only; the registration is closed by
 * {@link #close()}, the memory by the arena's owner.
 */
final class BufferSlots implements AutoCloseable
{
    private final MemorySegment memory;
    private final MemoryRegistration registration;
    private final int bufferBytes;
    private final int[] free;
    private int freeCount;

    BufferSlots(final Arena arena, final ProtectionDomain pd, final int count, final int bufferBytes)
    {
        this.memory = arena.allocate((long)count * bufferBytes, 4096);
        this.registration = pd.register(memory, ProtectionDomain.ACCESS_LOCAL_WRITE);
        this.bufferBytes = bufferBytes;
        this.free = new int[count];
        for (int i = 0; i < count; i++)
        {
            free[i] = count - 1 - i;
        }
        this.freeCount = count;
    }

    /**
     * @return a free buffer's index, or -1 when all are in use.
     */
    int acquire()
    {
        return freeCount > 0 ? free[--freeCount] : -1;
    }

    void release(final int index)
    {
        free[freeCount++] = index;
    }

    MemorySegment memory()
    {
        return memory;
    }

    long offset(final int index)
    {
        return (long)index * bufferBytes;
    }

    long address(final int index)
    {
        return memory.address() + offset(index);
    }

    int lkey()
    {
        return registration.lkey();
    }

    int bufferBytes()
    {
        return bufferBytes;
    }

    @Override
    public void close()
    {
        registration.close();
    }
}
