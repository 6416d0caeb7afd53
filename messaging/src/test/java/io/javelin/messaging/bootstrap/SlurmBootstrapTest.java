package io.javelin.messaging.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plain-srun bootstrap: Slurm's list syntax, the variables, and ranks as threads meeting at rank 0's
 * server over loopback TCP, with the environment srun would give them.
 */
@Timeout(60)
class SlurmBootstrapTest
{
    @Test
    void shouldExpandHostLists()
    {
        assertEquals(List.of("node01", "node02", "node03", "node04", "node7", "gpu3"),
            SlurmHostlist.expand("node[01-04,7],gpu3"));
        assertEquals(List.of("n08", "n09", "n10", "x"), SlurmHostlist.expand("n[08-10],x"));
        assertEquals(List.of("r1-n1", "r1-n2", "r2-n1", "r2-n2"), SlurmHostlist.expand("r[1-2]-n[1-2]"));
        assertEquals(List.of("single"), SlurmHostlist.expand("single"));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> SlurmHostlist.expand("node[1-3"));
        assertTrue(ex.getMessage().contains("malformed Slurm host list 'node[1-3'"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SlurmHostlist.expand("node[5-2]"));
    }

    @Test
    void shouldDescribePortRunsCompactly()
    {
        assertEquals("28012-28019", SlurmRendezvous.describePorts(List.of(28012, 28013, 28014, 28015, 28016, 28017,
            28018, 28019)));
        assertEquals("28998-28999, 28000-28001", SlurmRendezvous.describePorts(List.of(28998, 28999, 28000, 28001)));
        assertEquals("7", SlurmRendezvous.describePorts(List.of(7)));
    }

    @Test
    void shouldExpandTaskCounts()
    {
        assertEquals(List.of(2, 2, 2, 1), SlurmHostlist.expandCounts("2(x3),1"));
        assertEquals(List.of(4), SlurmHostlist.expandCounts("4"));
        assertThrows(IllegalArgumentException.class, () -> SlurmHostlist.expandCounts("2(x"));
    }

    @Test
    void shouldParseTheVariablesOfAMultiNodeStep()
    {
        final Map<String, String> environment = environment(5, 7, "28100-28199");
        environment.put("SLURM_STEP_NODELIST", "cn[1-3]");
        environment.put("SLURMD_NODENAME", "cn3");
        environment.put("SLURM_STEP_TASKS_PER_NODE", "3(x2),1");
        environment.put("SLURM_LOCALID", "0");
        final SlurmVariables variables = SlurmVariables.parse(environment);
        assertEquals(5, variables.rank());
        assertEquals(7, variables.size());
        assertEquals(1, variables.localSize());
        assertEquals("cn1", variables.rankZeroNode());
        assertEquals("4242.3", variables.step());

        final SlurmRendezvous rendezvous = SlurmRendezvous.of(variables, environment);
        assertEquals("cn1", rendezvous.host());
        assertTrue(rendezvous.bindAnyHost());
        final int first = 28100 + (int)((4242L * 16 + 3) % 100);
        assertEquals(first, rendezvous.ports().get(0));
        assertEquals(SlurmRendezvous.PORT_CANDIDATES, rendezvous.ports().size());
        assertEquals(first == 28199 ? 28100 : first + 1, rendezvous.ports().get(1));

        final Map<String, String> otherStep = new HashMap<>(environment);
        otherStep.put("SLURM_STEP_ID", "4");
        assertNotEquals(SlurmJobSecret.derived(variables), SlurmJobSecret.derived(SlurmVariables.parse(otherStep)));
        assertEquals("derived", SlurmJobSecret.of(environment).mode());
    }

    @Test
    void shouldNameTheVariableWhenTheEnvironmentIsBroken()
    {
        final Map<String, String> environment = environment(0, 4, "28100-28199");
        environment.remove("SLURM_STEP_NODELIST");
        final BootstrapException ex = assertThrows(BootstrapException.class,
            () -> SlurmVariables.parse(environment));
        assertEquals("environment variable SLURM_JOB_NODELIST is not set: the process must be a task started by srun",
            ex.getMessage());
        environment.put("SLURM_STEP_NODELIST", "n1");
        environment.put("JAVELIN_SLURM_PORT_RANGE", "9-3");
        final BootstrapException range = assertThrows(BootstrapException.class,
            () -> SlurmRendezvous.of(SlurmVariables.parse(environment), environment));
        assertTrue(range.getMessage().startsWith("javelin.slurm.port.range='9-3' is not a port range"),
            range.getMessage());
    }

    @Test
    void shouldHandOutARandomSecretInAMungeCredential() throws Exception
    {
        try (TestMungeDaemon munged = TestMungeDaemon.start())
        {
            final int size = 3;
            final ExecutorService threads = Executors.newFixedThreadPool(size);
            try
            {
                final List<Future<Long>> secrets = new ArrayList<>();
                for (int rank = size - 1; rank >= 0; rank--)
                {
                    final Map<String, String> environment = mungeEnvironment(rank, size, "3", munged);
                    secrets.add(threads.submit(() ->
                    {
                        try (Bootstrap bootstrap = Bootstraps.fromEnvironment(environment))
                        {
                            assertEquals("0 1 2", exchangeWith(bootstrap));
                            return bootstrap.jobSecret();
                        }
                    }));
                }
                final long secret = secrets.get(0).get(30, TimeUnit.SECONDS);
                for (final Future<Long> other : secrets)
                {
                    assertEquals(secret, other.get(30, TimeUnit.SECONDS));
                }
                assertNotEquals(SlurmJobSecret.derived(SlurmVariables.parse(mungeEnvironment(0, size, "3", munged))),
                    secret);
            }
            finally
            {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void shouldRefuseTheCredentialOfAnotherStep() throws Exception
    {
        final String previous = System.getProperty(BootstrapConfiguration.TIMEOUT_PROP_NAME);
        try (TestMungeDaemon munged = TestMungeDaemon.start();
            Bootstrap rankZero = Bootstraps.fromEnvironment(mungeEnvironment(0, 2, "5", munged)))
        {
            System.setProperty(BootstrapConfiguration.TIMEOUT_PROP_NAME, "2");
            final BootstrapException ex = assertThrows(BootstrapException.class,
                () -> Bootstraps.fromEnvironment(mungeEnvironment(1, 2, "6", munged)));
            assertTrue(ex.getMessage().contains("port 28600: the server's credential belongs to another step"),
                ex.getMessage());
            assertEquals(0, rankZero.rank());
        }
        finally
        {
            if (null == previous)
            {
                System.clearProperty(BootstrapConfiguration.TIMEOUT_PROP_NAME);
            }
            else
            {
                System.setProperty(BootstrapConfiguration.TIMEOUT_PROP_NAME, previous);
            }
        }
    }

    @Test
    void shouldRefuseWhenRankZeroIsNotOnTheFirstNode()
    {
        final Map<String, String> environment = environment(0, 4, "28100-28199");
        environment.put("SLURM_STEP_NODELIST", "cn[1-2]");
        environment.put("SLURMD_NODENAME", "cn2");
        environment.put("SLURM_STEP_TASKS_PER_NODE", "2(x2)");
        final BootstrapException ex = assertThrows(BootstrapException.class,
            () -> Bootstraps.fromEnvironment(environment));
        assertTrue(ex.getMessage().startsWith("rank 0 runs on node cn2 but the other ranks look for it on cn1"),
            ex.getMessage());
        assertTrue(ex.getMessage().endsWith("or set -Djavelin.slurm.bootstrap.host=cn2"), ex.getMessage());
    }

    @Test
    void shouldExchangeValuesWhenRankZeroStartsLast() throws Exception
    {
        final int size = 4;
        final ExecutorService threads = Executors.newFixedThreadPool(size);
        try
        {
            final List<Future<String>> results = new ArrayList<>();
            for (int rank = size - 1; rank >= 0; rank--)
            {
                final Map<String, String> environment = environment(rank, size, "28200-28299");
                results.add(threads.submit(() -> exchange(environment)));
            }
            for (final Future<String> result : results)
            {
                assertEquals("0 1 2 3", result.get(30, TimeUnit.SECONDS));
            }
        }
        finally
        {
            threads.shutdownNow();
        }
    }

    @Test
    void shouldSkipAPortHeldByAnotherJob() throws Exception
    {
        final Map<String, String> rankZero = environment(0, 2, "28300-28399");
        final SlurmVariables variables = SlurmVariables.parse(rankZero);
        final int derived = SlurmRendezvous.of(variables, rankZero).ports().get(0);
        final List<String> aborts = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (BootstrapServer other = BootstrapServer.start(2, 77L, "other-job",
            (rank, exitCode, reason) -> aborts.add(reason), new InetSocketAddress("127.0.0.1", derived)))
        {
            final ExecutorService threads = Executors.newFixedThreadPool(2);
            try
            {
                final Future<String> one = threads.submit(() -> exchange(environment(1, 2, "28300-28399")));
                final Future<String> zero = threads.submit(() -> exchange(rankZero));
                assertEquals("0 1", zero.get(30, TimeUnit.SECONDS));
                assertEquals("0 1", one.get(30, TimeUnit.SECONDS));
            }
            finally
            {
                threads.shutdownNow();
            }
            assertEquals(derived, other.port());
        }
        assertEquals(List.of(), aborts);
    }

    @Test
    void shouldNameRankZeroAndThePortsWhenNobodyAnswers()
    {
        final String previous = System.getProperty(BootstrapConfiguration.TIMEOUT_PROP_NAME);
        System.setProperty(BootstrapConfiguration.TIMEOUT_PROP_NAME, "1");
        try
        {
            final Map<String, String> environment = environment(2, 4, "28400-28499");
            final BootstrapException ex = assertThrows(BootstrapException.class,
                () -> Bootstraps.fromEnvironment(environment));
            assertTrue(ex.getMessage().startsWith("rank 0 on node testnode (127.0.0.1 port "), ex.getMessage());
            assertTrue(ex.getMessage().contains("did not answer rank 2 of Slurm step 4242.3 within 1 s (port 284"),
                ex.getMessage());
            assertTrue(ex.getMessage().contains(": Connection refused; job secret: derived)"), ex.getMessage());
        }
        finally
        {
            if (null == previous)
            {
                System.clearProperty(BootstrapConfiguration.TIMEOUT_PROP_NAME);
            }
            else
            {
                System.setProperty(BootstrapConfiguration.TIMEOUT_PROP_NAME, previous);
            }
        }
    }

    @Test
    void shouldReportWhenRankZeroCannotListen()
    {
        final Map<String, String> environment = environment(0, 2, "28500-28500");
        final SlurmVariables variables = SlurmVariables.parse(environment);
        final SlurmRendezvous rendezvous = SlurmRendezvous.of(variables, environment);
        final PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (BootstrapServer first = SlurmBootstrap.listen(variables, rendezvous, 1L, null, log))
        {
            final BootstrapException ex = assertThrows(BootstrapException.class,
                () -> SlurmBootstrap.listen(variables, rendezvous, 1L, null, log));
            assertTrue(ex.getMessage().contains("cannot listen on 127.0.0.1 on any of the ports 28500"),
                ex.getMessage());
            assertEquals(28500, first.port());
        }
    }

    private static Map<String, String> mungeEnvironment(
        final int rank, final int size, final String step, final TestMungeDaemon munged) throws Exception
    {
        final Map<String, String> environment = environment(rank, size, "28600-28600");
        environment.put("SLURM_STEP_ID", step);
        environment.put("SLURM_JOB_UID", TestMungeDaemon.uid());
        environment.put("JAVELIN_SLURM_SECRET", "munge");
        environment.put("JAVELIN_SLURM_MUNGE_SOCKET", munged.socket());
        return environment;
    }

    private static String exchange(final Map<String, String> environment)
    {
        try (Bootstrap bootstrap = Bootstraps.fromEnvironment(environment))
        {
            return exchangeWith(bootstrap);
        }
    }

    private static String exchangeWith(final Bootstrap bootstrap)
    {
        assertInstanceOf(SlurmBootstrap.class, bootstrap);
        assertEquals("slurm", bootstrap.kind());
        bootstrap.put("rank." + bootstrap.rank(), new byte[]{(byte)bootstrap.rank()});
        bootstrap.fence();
        final StringBuilder seen = new StringBuilder();
        for (int peer = 0; peer < bootstrap.size(); peer++)
        {
            assertArrayEquals(new byte[]{(byte)peer}, bootstrap.get("rank." + peer));
            seen.append(peer == 0 ? "" : " ").append(peer);
        }
        bootstrap.fence();
        return seen.toString();
    }

    private static Map<String, String> environment(final int rank, final int size, final String portRange)
    {
        final Map<String, String> environment = new HashMap<>();
        environment.put("SLURM_PROCID", String.valueOf(rank));
        environment.put("SLURM_STEP_NUM_TASKS", String.valueOf(size));
        environment.put("SLURM_LOCALID", String.valueOf(rank));
        environment.put("SLURM_STEP_NODELIST", "testnode");
        environment.put("SLURMD_NODENAME", "testnode");
        environment.put("SLURM_STEP_TASKS_PER_NODE", String.valueOf(size));
        environment.put("SLURM_JOB_ID", "4242");
        environment.put("SLURM_STEP_ID", "3");
        environment.put("SLURM_JOB_UID", "1000");
        environment.put("JAVELIN_SLURM_PORT_RANGE", portRange);
        environment.put("JAVELIN_SLURM_SECRET", "derived");
        return environment;
    }
}
