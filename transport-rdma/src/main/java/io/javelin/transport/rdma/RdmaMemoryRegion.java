package io.javelin.transport.rdma;

import io.javelin.transport.MemoryRegion;
import io.javelin.transport.rdma.verbs.MemoryRegistration;

import java.lang.foreign.MemorySegment;

/**
 * User memory registered with the RDMA device: the verbs lkey / rkey pair. Closing deregisters it, after which
 * the device refuses peers presenting the key.
 */
final class RdmaMemoryRegion implements MemoryRegion
{
    final RdmaTransport transport;
    final MemoryRegistration registration;
    private final int accessFlags;

    RdmaMemoryRegion(final RdmaTransport transport, final MemoryRegistration registration, final int accessFlags)
    {
        this.transport = transport;
        this.registration = registration;
        this.accessFlags = accessFlags;
    }

    @Override
    public MemorySegment segment()
    {
        return registration.segment();
    }

    @Override
    public long address()
    {
        return registration.address();
    }

    @Override
    public long localKey()
    {
        return Integer.toUnsignedLong(registration.lkey());
    }

    @Override
    public long remoteKey()
    {
        return Integer.toUnsignedLong(registration.rkey());
    }

    @Override
    public int accessFlags()
    {
        return accessFlags;
    }

    boolean isClosed()
    {
        return registration.isClosed();
    }

    @Override
    public void close()
    {
        transport.deregister(this);
    }

    @Override
    public String toString()
    {
        return "RdmaMemoryRegion{address=0x" + Long.toHexString(address()) + ", bytes=" + segment().byteSize() +
            ", rkey=0x" + Long.toHexString(remoteKey()) + "}";
    }
}
