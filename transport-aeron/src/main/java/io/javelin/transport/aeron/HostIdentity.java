package io.javelin.transport.aeron;

import io.javelin.transport.KernelIdentity;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Identifies "the same host" for the choice of IPC and of cross-memory attach: two ranks share shared memory
 * and can attach to each other's memory only when they run under one kernel (same boot id) in the same mount
 * namespace (same /dev/shm) and the same pid namespace (the published pid means the same process). Containers
 * on one machine differ in their namespaces and so count as different hosts.
 */
final class HostIdentity
{
    private static final long ID = compute();

    private HostIdentity()
    {
    }

    /**
     * @return this process's host id, the same for every process that can reach it by IPC and CMA.
     */
    static long id()
    {
        return ID;
    }

    /**
     * @return the pid namespace as text ("pid:[4026531836]"), or "" where it cannot be read.
     */
    static String pidNamespace()
    {
        return link("/proc/self/ns/pid");
    }

    private static long compute()
    {
        final StringBuilder identity = new StringBuilder();
        identity.append(KernelIdentity.bootId()).append('|');
        identity.append(link("/proc/self/ns/mnt")).append('|').append(pidNamespace()).append('|');
        if (identity.length() < 10)
        {
            identity.append(KernelIdentity.hostName());
        }
        long hash = 0xcbf29ce484222325L;
        for (final byte b : identity.toString().getBytes(StandardCharsets.UTF_8))
        {
            hash = (hash ^ (b & 0xFF)) * 0x100000001b3L;
        }
        return hash;
    }

    private static String link(final String file)
    {
        try
        {
            return Files.readSymbolicLink(Path.of(file)).toString();
        }
        catch (final java.io.IOException | RuntimeException ex)
        {
            return "";
        }
    }
}
