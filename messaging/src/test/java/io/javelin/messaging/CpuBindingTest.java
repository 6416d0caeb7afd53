package io.javelin.messaging;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuBindingTest
{
    @Test
    void shouldGiveEachLocalRankItsOwnAllowedCpu()
    {
        final int[] allowed = {2, 3, 6, 7};
        assertEquals(2, CpuBinding.choose(allowed, 0, 4));
        assertEquals(3, CpuBinding.choose(allowed, 1, 4));
        assertEquals(7, CpuBinding.choose(allowed, 3, 4));
        assertEquals(6, CpuBinding.choose(allowed, 2, 3));
    }

    @Test
    void shouldLeaveRanksUnboundWhenTheyMustShareOrAreBoundAlready()
    {
        assertEquals(-1, CpuBinding.choose(new int[]{0, 1}, 0, 3), "more ranks than CPUs");
        assertEquals(-1, CpuBinding.choose(new int[]{5}, 0, 1), "one CPU allowed: the launcher bound the process");
        assertEquals(-1, CpuBinding.choose(new int[]{0, 1}, -1, 2), "ranks are threads");
    }

    @Test
    void shouldLeaveThreadRanksAndPolicyNoneAlone()
    {
        assertEquals(-1, CpuBinding.bindCurrentThread("none", 0, 1).cpu());
        assertTrue(CpuBinding.bindCurrentThread("none", 0, 1).describe().contains("javelin.bind=none"));
        assertEquals(-1, CpuBinding.bindCurrentThread("auto", -1, 2).cpu());
    }

    @Test
    void shouldRejectAnUnknownPolicyNamingTheChoices()
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> CpuBinding.bindCurrentThread("socket", 0, 1));
        assertTrue(error.getMessage().contains("auto, none"), error.getMessage());
    }

    @Test
    void shouldBindTheCallingThreadOnly() throws Exception
    {
        final String before = cpusAllowed("/proc/self/status");
        final CpuBinding[] binding = new CpuBinding[1];
        final String[] inThread = new String[1];
        final Thread rank = new Thread(() ->
        {
            binding[0] = CpuBinding.bindCurrentThread("auto", 0, 1);
            inThread[0] = cpusAllowed("/proc/thread-self/status");
        });
        rank.start();
        rank.join(10_000);
        if (before.contains("-") || before.contains(","))
        {
            // at least 2 CPUs allowed: the thread got the first of them, the process kept them all
            assertTrue(binding[0].cpu() >= 0, binding[0].describe());
            assertEquals(Integer.toString(binding[0].cpu()), inThread[0], binding[0].describe());
        }
        else
        {
            assertEquals(-1, binding[0].cpu(), binding[0].describe());
        }
        assertEquals(before, cpusAllowed("/proc/self/status"));
    }

    private static String cpusAllowed(final String status)
    {
        try
        {
            return Files.readAllLines(Path.of(status)).stream().filter(line -> line.startsWith("Cpus_allowed_list:"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElseThrow();
        }
        catch (final java.io.IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
