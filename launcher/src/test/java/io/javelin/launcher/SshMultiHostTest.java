package io.javelin.launcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code javelin run --hosts} over real ssh: an sshd on 127.0.0.2 and 127.0.0.3 (two "hosts", both loopback)
 * with throw-away keys ({@link SshTestServer}); 4 rank JVMs, 2 per host, started through it. Every test checks
 * that no rank JVM is left behind.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class SshMultiHostTest
{
    private static final String HOSTS = "127.0.0.2:2,127.0.0.3:2";

    private static SshTestServer sshd;

    @BeforeAll
    static void startSshd() throws Exception
    {
        sshd = SshTestServer.start(List.of("127.0.0.2", "127.0.0.3"));
    }

    @AfterAll
    static void stopSshd()
    {
        if (null != sshd)
        {
            sshd.close();
        }
    }

    @Test
    void shouldRunPointToPointAndCollectivesOnTwoHostsOverSsh()
    {
        final String marker = UUID.randomUUID().toString();
        final RunCommandTest.Result result = RunCommandTest.javelin("run", "-n", "4", "--hosts", HOSTS,
            "--ssh", sshd.sshCommand(), "--transport", "tcp", "--tag-output", "--timeout", "100",
            "-cp", RunCommandTest.testClasses(), MultiHostTestProgram.class.getName(), "ok", marker);

        assertEquals(0, result.exitCode(), result.out() + result.err() + sshd.log());
        for (int rank = 0; rank < 4; rank++)
        {
            final String host = rank < 2 ? "127.0.0.2" : "127.0.0.3";
            final String line = "[" + rank + "] rank " + rank + " of 4 on " + host + " local " + rank % 2 +
                " of 2 OK over tcp";
            assertTrue(result.out().contains(line), "missing '" + line + "' in\n" + result.out() + result.err());
        }
        assertNoProcessWith(marker);
    }

    @Test
    void shouldStopEveryRemoteRankWhenOneFails()
    {
        final String marker = UUID.randomUUID().toString();
        final RunCommandTest.Result result = RunCommandTest.javelin("run", "-n", "4", "--hosts", HOSTS,
            "--ssh", sshd.sshCommand(), "--transport", "tcp", "--timeout", "100",
            "-cp", RunCommandTest.testClasses(), MultiHostTestProgram.class.getName(), "fail", "3", marker);

        assertEquals(3, result.exitCode(), result.out() + result.err());
        assertTrue(result.err().contains("rank 3 on host 127.0.0.3 exited with code 3; stopping the other 3 ranks"),
            result.err());
        assertTrue(result.elapsedMs() < 60_000, "the job was not aborted: it took " + result.elapsedMs() + " ms");
        assertNoProcessWith(marker);
    }

    @Test
    void shouldExplainAFailedSshLogin()
    {
        final String withoutKey = "ssh -p " + sshd.port() + " -F /dev/null -o IdentitiesOnly=yes " +
            "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR";
        final RunCommandTest.Result result = RunCommandTest.javelin("run", "-n", "2", "--hosts", "127.0.0.2:2",
            "--ssh", withoutKey, "--timeout", "60", "-cp", RunCommandTest.testClasses(),
            MultiHostTestProgram.class.getName(), "ok", "unused");

        assertEquals(255, result.exitCode(), result.out() + result.err());
        assertTrue(result.err().contains("ssh to 127.0.0.2 failed (rank "), result.err());
        assertTrue(result.err().contains("Permission denied (publickey"), result.err());
        assertTrue(result.err().contains("set up key-based login (ssh-copy-id 127.0.0.2) or pass --ssh"),
            result.err());
    }

    @Test
    void shouldStopRemoteRanksWhenTheLauncherIsKilled() throws Exception
    {
        final String marker = UUID.randomUUID().toString();
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process launcher = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            Main.class.getName(), "run", "-n", "4", "--hosts", HOSTS, "--ssh", sshd.sshCommand(),
            "-cp", RunCommandTest.testClasses(), BootstrapTestProgram.class.getName(), "sleep", marker)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        try
        {
            // the 4 rank JVMs (started by the remote shells, not by the launcher) are up
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (rankJvms(marker, java, launcher.pid()).size() < 4)
            {
                assertTrue(launcher.isAlive(), () -> "the launcher exited with " + launcher.exitValue());
                assertTrue(System.nanoTime() < deadlineNs, () -> "4 rank JVMs did not start, found " +
                    rankJvms(marker, java, launcher.pid()).size());
                Thread.sleep(50);   // polling with a deadline
            }
            assertTrue(rankJvms(marker, java, launcher.pid()).stream()
                .noneMatch((rank) -> rank.parent().map(ProcessHandle::pid).orElse(0L) == launcher.pid()),
                "rank JVMs must run under ssh, not under the launcher");
        }
        finally
        {
            launcher.destroyForcibly();   // SIGKILL: no shutdown hook runs, only the pipes to ssh close
            launcher.waitFor(10, TimeUnit.SECONDS);
        }
        assertNoProcessWith(marker);
    }

    private static List<ProcessHandle> rankJvms(final String marker, final String java, final long launcherPid)
    {
        return ProcessHandle.allProcesses()
            .filter((process) -> process.pid() != launcherPid)
            .filter((process) -> process.info().command().orElse("").equals(java))
            .filter((process) -> process.info().commandLine().orElse("").contains(marker))
            .toList();
    }

    /**
     * The launcher waits for ssh, and ssh for the remote shell, which waits for the JVM: when the job has
     * ended no rank JVM may be left; a short deadline covers the remote sshd's own clean-up.
     */
    private static void assertNoProcessWith(final String marker)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<ProcessHandle> left = List.of();
        while (System.nanoTime() < deadlineNs)
        {
            left = ProcessHandle.allProcesses()
                .filter((process) -> process.info().commandLine().orElse("").contains(marker))
                .filter(ProcessHandle::isAlive)
                .toList();
            if (left.isEmpty())
            {
                return;
            }
            Thread.onSpinWait();
        }
        left.forEach(ProcessHandle::destroyForcibly);
        assertTrue(left.isEmpty(), "processes left behind: " + left.stream()
            .map((process) -> process.pid() + " " + abbreviate(process.info().commandLine().orElse(""))).toList());
    }

    private static String abbreviate(final String commandLine)
    {
        return commandLine.length() <= 100 ? commandLine : commandLine.substring(0, 100) + "...";
    }
}
