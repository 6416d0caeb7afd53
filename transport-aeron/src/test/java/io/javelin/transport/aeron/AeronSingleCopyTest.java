package io.javelin.transport.aeron;

import io.javelin.transport.MemoryRegion;
import io.javelin.transport.TransportStatus;
import io.javelin.transport.cma.CrossMemoryAttach;
import io.javelin.transport.conformance.TestMemory;
import io.javelin.transport.conformance.TransportHarness;
import io.javelin.transport.conformance.TransportHarness.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Single-copy one-sided transfers between ranks of one host: taken when possible (counted, not timed), off
 * when configured off, and a clean fallback to the emulated path when the kernel refuses the copy.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AeronSingleCopyTest
{
    private static final long SECRET = 0x1234_5678_9ABC_DEF0L;
    private static final long SIZE = 4L << 20;

    private final Arena arena = Arena.ofShared();
    private TransportHarness harness;
    private MemoryRegion[] regions = new MemoryRegion[0];

    @BeforeEach
    void requireCrossMemoryAttach()
    {
        assumeTrue(CrossMemoryAttach.availability().available(), CrossMemoryAttach.availability().reason());
    }

    @AfterEach
    void close()
    {
        for (final MemoryRegion region : regions)
        {
            region.close();
        }
        if (null != harness)
        {
            harness.close();
        }
        arena.close();
    }

    @Test
    void shouldReadAndWriteLargeSpansOfASameHostPeerInOneCopy()
    {
        final List<Node> job = start(Map.of());
        final AeronTransport reader = (AeronTransport)job.get(0).transport();
        final long before = AeronTransport.processSingleCopyOperations();

        transferAndCheck(job);

        assertEquals(2, reader.singleCopyOperations(), "a read and a write by single copy");
        assertEquals(2 * SIZE, reader.singleCopyBytes());
        assertEquals(2, AeronTransport.processSingleCopyOperations() - before);
        assertTrue(reader.singleCopyStatus().startsWith("on"), reader.singleCopyStatus());
    }

    @Test
    void shouldStreamThroughAeronWhenSingleCopyIsOff()
    {
        final List<Node> job = start(Map.of(AeronConfiguration.CMA_PROP_NAME, "off"));
        final AeronTransport reader = (AeronTransport)job.get(0).transport();

        transferAndCheck(job);

        assertEquals(0, reader.singleCopyOperations());
        assertTrue(reader.singleCopyStatus().startsWith("off"), reader.singleCopyStatus());
    }

    @Test
    void shouldFallBackToTheStreamWhenTheProcessIsGone()
    {
        assertFallbackWhenCopyingFrom(missingPid(), "ESRCH");
    }

    @Test
    void shouldFallBackToTheStreamWhenTheKernelDeniesAttaching()
    {
        // pid 1 is not ours to attach to unless this process has CAP_SYS_PTRACE (then the case cannot be made)
        try (CrossMemoryAttach probe = CrossMemoryAttach.openIfAvailable())
        {
            final MemorySegment target = arena.allocate(8);
            assumeTrue(-CrossMemoryAttach.EPERM == probe.read(1, target, 0, target.address(), 8),
                "this process may attach to pid 1, so EPERM cannot be provoked here");
        }
        assertFallbackWhenCopyingFrom(1, "EPERM");
    }

    /**
     * Points rank 0's view of rank 1 at another process after the handshake, so the kernel refuses the copy.
     */
    private void assertFallbackWhenCopyingFrom(final long pid, final String errno)
    {
        // UDP keeps the pid out of the liveness check; the copy itself still goes by pid (same host)
        final List<Node> job = start(Map.of(AeronConfiguration.MEDIA_PROP_NAME, "udp"));
        final AeronTransport reader = (AeronTransport)job.get(0).transport();
        final AeronEndpoint toPeer = (AeronEndpoint)job.get(0).endpoint(1);
        establish(job);
        final AeronAddress real = toPeer.address;
        toPeer.address = new AeronAddress(real.hostId(), pid, real.grantsCma(), real.udpEndpoint(),
            real.driverDirectory());

        transferAndCheck(job);

        assertEquals(0, reader.singleCopyOperations(), "the kernel refused every copy");
        assertTrue(reader.singleCopyStatus().contains(errno), reader.singleCopyStatus());
        assertTrue(job.get(0).listener().failures().isEmpty(), "the fallback must not fail the peer");
    }

    private List<Node> start(final Map<String, String> properties)
    {
        harness = new TransportHarness(AeronTransport::new, properties);
        return harness.startJob(2, SECRET);
    }

    private void establish(final List<Node> job)
    {
        final MemorySegment hello = TestMemory.heapPattern(1, 16);
        assertEquals(TransportStatus.OK, harness.post("send", () -> job.get(0).endpoint(1).send(
            hello, 16, hello, 0, 0, 99)));
        harness.await("the first message", () -> 1 == job.get(1).listener().messages().size());
    }

    /** Rank 0 reads rank 1's source into its target, then writes its source into rank 1's target. */
    private void transferAndCheck(final List<Node> job)
    {
        final MemoryRegion localTarget = register(job.get(0), 11);
        final MemoryRegion localSource = register(job.get(0), 12);
        final MemoryRegion remoteSource = register(job.get(1), 13);
        final MemoryRegion remoteTarget = register(job.get(1), 14);
        regions = new MemoryRegion[]{localTarget, localSource, remoteSource, remoteTarget};

        assertEquals(TransportStatus.OK, harness.post("read", () -> job.get(0).endpoint(1).read(localTarget, 0,
            remoteSource.address(), remoteSource.remoteKey(), SIZE, 1)));
        harness.await("the read", () -> job.get(0).listener().completed(1));
        assertEquals(TransportStatus.OK, job.get(0).listener().status(1));
        assertEquals(TestMemory.crc(remoteSource.segment()), TestMemory.crc(localTarget.segment()), "read bytes");

        assertEquals(TransportStatus.OK, harness.post("write", () -> job.get(0).endpoint(1).write(localSource, 0,
            remoteTarget.address(), remoteTarget.remoteKey(), SIZE, 2)));
        harness.await("the write", () -> job.get(0).listener().completed(2));
        assertEquals(TransportStatus.OK, job.get(0).listener().status(2));
        assertEquals(TestMemory.crc(localSource.segment()), TestMemory.crc(remoteTarget.segment()), "written bytes");
    }

    private MemoryRegion register(final Node node, final long seed)
    {
        final MemorySegment segment = arena.allocate(SIZE, 64);
        TestMemory.fill(segment, seed);
        return node.transport().register(segment, MemoryRegion.ALL_ACCESS);
    }

    private static long missingPid()
    {
        long pid = 4_000_000;
        while (ProcessHandle.of(pid).isPresent())
        {
            pid++;
        }
        return pid;
    }
}
