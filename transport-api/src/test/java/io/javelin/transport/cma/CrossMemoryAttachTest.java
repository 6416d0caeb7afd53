package io.javelin.transport.cma;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CrossMemoryAttachTest
{
    @Test
    void shouldSayWhetherItIsAvailableAndWhy()
    {
        final CrossMemoryAttach.Availability availability = CrossMemoryAttach.availability();
        assertNotNull(availability.reason());
        assertFalse(availability.reason().isBlank());
        assertNotNull(CrossMemoryAttach.allowPeersToAttach());
    }

    @Test
    void shouldCopyBothWaysWithinThisProcess()
    {
        assumeTrue(CrossMemoryAttach.availability().available(), CrossMemoryAttach.availability().reason());
        final long pid = ProcessHandle.current().pid();
        try (CrossMemoryAttach copier = CrossMemoryAttach.openIfAvailable(); Arena arena = Arena.ofConfined())
        {
            final MemorySegment source = arena.allocate(3 << 20);
            final MemorySegment target = arena.allocate(3 << 20);
            for (long i = 0; i < source.byteSize(); i += 8)
            {
                source.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, i, i * 0x9E3779B97F4A7C15L);
            }

            assertEquals(0, copier.read(pid, target, 8, source.address() + 16, source.byteSize() - 64));
            assertEquals(-1, target.asSlice(8, source.byteSize() - 64).mismatch(
                source.asSlice(16, source.byteSize() - 64)));

            target.fill((byte)0);
            assertEquals(0, copier.write(pid, source, 0, target.address(), 4096));
            assertEquals(-1, target.asSlice(0, 4096).mismatch(source.asSlice(0, 4096)));
            assertEquals(2, copier.operations());
            assertEquals(source.byteSize() - 64 + 4096, copier.bytesCopied());
        }
    }

    @Test
    void shouldReturnErrnoWithoutCopyingWhenTheProcessDoesNotExist()
    {
        assumeTrue(CrossMemoryAttach.availability().available(), CrossMemoryAttach.availability().reason());
        long missing = 4_000_000;
        while (ProcessHandle.of(missing).isPresent())
        {
            missing++;
        }
        try (CrossMemoryAttach copier = CrossMemoryAttach.openIfAvailable(); Arena arena = Arena.ofConfined())
        {
            final MemorySegment target = arena.allocate(64);
            final int status = copier.read(missing, target, 0, target.address(), 64);
            assertEquals(-CrossMemoryAttach.ESRCH, status, CrossMemoryAttach.describeErrno(status));
            assertTrue(CrossMemoryAttach.describeErrno(status).startsWith("ESRCH"));
            assertEquals(0, copier.operations());
        }
    }

    @Test
    void shouldSayWhetherPeersMayAttachUnderEachPtraceScope()
    {
        assertTrue(CrossMemoryAttach.peerAccess(null).available(), "no Yama");
        assertTrue(CrossMemoryAttach.peerAccess("0").available());
        assertTrue(CrossMemoryAttach.peerAccess("1").reason().contains("PR_SET_PTRACER_ANY"));
        for (final String scope : new String[]{"2", "3"})
        {
            final CrossMemoryAttach.Availability refused = CrossMemoryAttach.peerAccess(scope);
            assertFalse(refused.available(), scope);
            assertTrue(refused.reason().contains("ptrace_scope=" + scope) &&
                refused.reason().contains("kernel.yama.ptrace_scope=1"), refused.reason());
        }
        assertNotNull(CrossMemoryAttach.peerAccess().reason());
    }
}
