package io.javelin.launcher;

import io.javelin.mpi.Javelin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A rank that prints where its thread may run, as the kernel sees it, and what Javelin says it did:
 * "rank R cpus [list] binding [description]".
 */
public final class CpuBindingTestProgram
{
    private CpuBindingTestProgram()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        try (Javelin javelin = Javelin.init(args))
        {
            final String allowed = Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                .filter(line -> line.startsWith("Cpus_allowed_list:"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("?");
            System.out.println("rank " + javelin.world().rank() + " cpus [" + allowed + "] binding [" +
                javelin.cpuBinding() + "]");
        }
    }
}
