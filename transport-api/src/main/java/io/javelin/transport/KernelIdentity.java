package io.javelin.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which kernel a process runs under: what tells ranks on the same machine (they share its CPUs and, namespaces
 * permitting, its shared memory) from ranks elsewhere.
 */
public final class KernelIdentity
{
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    private KernelIdentity()
    {
    }

    /**
     * @return this kernel's boot id, or "" where it cannot be read (not Linux, no /proc).
     */
    public static String bootId()
    {
        try
        {
            return Files.readString(BOOT_ID, StandardCharsets.US_ASCII).trim();
        }
        catch (final IOException | RuntimeException ex)
        {
            return "";
        }
    }

    /**
     * @return this host's name, or "unknown-host" where it cannot be resolved.
     */
    public static String hostName()
    {
        try
        {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (final IOException ex)
        {
            return "unknown-host";
        }
    }

    /**
     * @return the boot id, else the host name: the same for every process under this kernel.
     */
    public static String current()
    {
        final String bootId = bootId();
        return bootId.isEmpty() ? hostName() : bootId;
    }
}
