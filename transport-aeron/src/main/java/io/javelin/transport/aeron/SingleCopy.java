package io.javelin.transport.aeron;

import io.javelin.transport.cma.CrossMemoryAttach;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Single-copy one-sided transfers to ranks on this host by cross-memory attach, the way Open MPI's vader
 * and UCX's cma do it: the requester asks the target for a grant of the span (GRANT_REQUEST), the target
 * checks key, access and bounds against its registration and answers GRANT, and only then the requester
 * copies between the target's memory and its own with one {@code process_vm_readv}/{@code writev}. No
 * byte outside a checked registered span is ever touched.
 *
 * <p>When the kernel refuses (EPERM under Yama or a container's seccomp filter, ESRCH, ENOSYS) the
 * operation is restarted through the target's progress engine and single copy is switched off for the rest
 * of this transport's life, said once in the log. Used only on the progress thread.
 */
final class SingleCopy implements AutoCloseable
{
    static final int REFUSED = 0;
    static final int COPIED = 1;
    static final int FAULT = 2;
    static final AtomicLong PROCESS_BYTES = new AtomicLong();
    static final AtomicLong PROCESS_OPERATIONS = new AtomicLong();
    private static final System.Logger LOGGER = System.getLogger(SingleCopy.class.getName());

    private final int rank;
    private final CrossMemoryAttach copier;
    private String status;

    SingleCopy(final int rank, final boolean enabled)
    {
        this.rank = rank;
        if (!enabled)
        {
            copier = null;
            status = "off (" + AeronConfiguration.CMA_PROP_NAME + "=off)";
            return;
        }
        final CrossMemoryAttach.Availability availability = CrossMemoryAttach.availability();
        copier = CrossMemoryAttach.openIfAvailable();
        if (null == copier)
        {
            status = "unavailable: " + availability.reason();
            return;
        }
        status = "on: " + availability.reason() + "; " + CrossMemoryAttach.allowPeersToAttach();
    }

    boolean isEnabled()
    {
        return null != copier && status.startsWith("on");
    }

    String status()
    {
        return status;
    }

    long bytes()
    {
        return null == copier ? 0 : copier.bytesCopied();
    }

    long operations()
    {
        return null == copier ? 0 : copier.operations();
    }

    /**
     * Copies a granted span.
     *
     * @return {@link #COPIED}, {@link #FAULT} (the target's span is not mapped: a remote access error), or
     *         {@link #REFUSED} (the kernel refused; single copy is now off and the caller must fall back).
     */
    int copy(final AeronEndpoint endpoint, final AeronOperation operation)
    {
        if (!isEnabled())
        {
            return REFUSED;
        }
        final long pid = endpoint.address.pid();
        final int result = AeronOperation.READ == operation.kind ?
            copier.read(pid, operation.segment, operation.offset, operation.remoteAddress, operation.length) :
            copier.write(pid, operation.segment, operation.offset, operation.remoteAddress, operation.length);
        if (0 == result)
        {
            PROCESS_BYTES.addAndGet(operation.length);
            PROCESS_OPERATIONS.incrementAndGet();
            return COPIED;
        }
        if (-CrossMemoryAttach.EFAULT == result)
        {
            return FAULT;
        }
        status = "off since the kernel refused a copy from peer " + endpoint.peerId() + " (pid " + pid + "): " +
            CrossMemoryAttach.describeErrno(result);
        LOGGER.log(System.Logger.Level.WARNING, "rank " + rank + ": single-copy transfers " + status +
            "; one-sided transfers to ranks on this host now go through the Aeron stream (two copies)");
        return REFUSED;
    }

    @Override
    public void close()
    {
        if (null != copier)
        {
            copier.close();
        }
    }
}
