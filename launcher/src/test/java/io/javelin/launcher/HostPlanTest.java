package io.javelin.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --hosts} / {@code --hostfile} parsing, rank placement and the remote command's quoting.
 */
class HostPlanTest
{
    @Test
    void shouldParseHostsWithAndWithoutSlots()
    {
        assertEquals(List.of(new HostSlots("h1", 2), new HostSlots("h2", 1), new HostSlots("10.0.0.3", 4)),
            HostSlots.parseList("h1:2, h2,10.0.0.3:4"));
    }

    @Test
    void shouldRejectBadHostsNamingTheFix()
    {
        assertTrue(assertThrows(InvalidJobException.class, () -> HostSlots.parseList("h1:0")).getMessage()
            .contains("slots '0' must be a whole number >= 1"));
        assertTrue(assertThrows(InvalidJobException.class, () -> HostSlots.parseList("h1:")).getMessage()
            .contains("is not host or host:slots"));
        assertTrue(assertThrows(InvalidJobException.class, () -> HostSlots.parseList(" , ")).getMessage()
            .contains("names no host"));
    }

    @Test
    void shouldReadAnOpenMpiHostfile(@TempDir final Path directory) throws IOException
    {
        final Path hostfile = directory.resolve("hosts");
        Files.writeString(hostfile, """
            # the cluster
            node1 slots=4 max_slots=8
              node2:2   # a comment
            node3

            """);
        assertEquals(List.of(new HostSlots("node1", 4), new HostSlots("node2", 2), new HostSlots("node3", 1)),
            HostSlots.parseHostfile(hostfile));

        Files.writeString(hostfile, "node1 cpus=4\n");
        assertTrue(assertThrows(InvalidJobException.class, () -> HostSlots.parseHostfile(hostfile)).getMessage()
            .contains("line 1: 'cpus=4' is not understood"));
        assertTrue(assertThrows(InvalidJobException.class,
            () -> HostSlots.parseHostfile(directory.resolve("missing"))).getMessage().contains("cannot be read"));
    }

    @Test
    void shouldFillEachHostsSlotsInOrder()
    {
        final HostPlan plan = HostPlan.forHosts(5,
            List.of(new HostSlots("127.0.0.2", 2), new HostSlots("127.0.0.3", 2), new HostSlots("127.0.0.2", 4)),
            List.of("ssh"), null);
        assertEquals(List.of("127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.3", "127.0.0.2"),
            List.of(plan.host(0), plan.host(1), plan.host(2), plan.host(3), plan.host(4)));
        assertEquals(List.of(0, 1, 0, 1, 2),
            List.of(plan.localRank(0), plan.localRank(1), plan.localRank(2), plan.localRank(3), plan.localRank(4)));
        assertEquals(3, plan.localSize(0));
        assertEquals(2, plan.localSize(2));
        assertTrue(plan.isRemote(0));
        assertEquals(List.of("127.0.0.2", "127.0.0.3"), plan.remoteHosts());
        // every host is a loopback address: the bootstrap server stays on loopback
        assertTrue(plan.bootstrapAddress().isLoopbackAddress());
    }

    @Test
    void shouldRunLocalhostWithoutSsh() throws IOException
    {
        final HostPlan plan = HostPlan.forHosts(2, List.of(new HostSlots("localhost", 1),
            new HostSlots(InetAddress.getLocalHost().getHostName(), 1)), List.of("ssh"), null);
        assertFalse(plan.anyRemote());
        assertEquals(InetAddress.getLoopbackAddress(), plan.bootstrapAddress());
        assertFalse(HostPlan.local(3).anyRemote());
        assertEquals(3, HostPlan.local(3).localSize(2));
    }

    @Test
    void shouldRejectTooFewSlots()
    {
        assertTrue(assertThrows(InvalidJobException.class, () -> HostPlan.forHosts(5,
            List.of(new HostSlots("h1", 2), new HostSlots("h2", 2)), List.of("ssh"), null)).getMessage()
            .contains("-n 5 but the hosts give 4 slots"));
    }

    @Test
    void shouldUseTheGivenBootstrapAddress()
    {
        assertEquals("127.0.0.5", HostPlan.forHosts(1, List.of(new HostSlots("127.0.0.2", 1)), List.of("ssh"),
            "127.0.0.5").bootstrapAddress().getHostAddress());
    }

    @Test
    void shouldSplitTheSshCommandAndQuoteForTheRemoteShell()
    {
        assertEquals(List.of("ssh", "-p", "2222", "-o", "ProxyCommand nc %h %p", "-i", "my key"),
            RemoteRankCommand.splitWords(" ssh -p 2222 -o 'ProxyCommand nc %h %p' -i \"my key\" "));
        assertEquals("'it'\\''s $HOME'", RemoteRankCommand.quote("it's $HOME"));
        final List<String> command = RemoteRankCommand.command(List.of("ssh", "-p", "2222"), "node2",
            List.of("/opt/java/bin/java", "-cp", "/a b/c.jar", "Main"), "/home/me");
        assertEquals(List.of("ssh", "-p", "2222", "-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "node2"),
            command.subList(0, 8));
        assertTrue(command.get(8).startsWith("sh -c '"), command.get(8));
        assertTrue(command.get(8).contains("'\\''/a b/c.jar'\\''"), command.get(8));
        final Map<String, String> environment = new LinkedHashMap<>();
        environment.put("JAVELIN_RANK", "3");
        environment.put("JAVELIN_JOB_SECRET", "00ff");
        assertEquals("JAVELIN_RANK=3\nJAVELIN_JOB_SECRET=00ff\n\n",
            new String(RemoteRankCommand.environmentInput(environment), StandardCharsets.UTF_8));
    }
}
