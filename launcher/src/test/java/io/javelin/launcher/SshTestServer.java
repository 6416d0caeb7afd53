package io.javelin.launcher;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away OpenSSH server for tests: listens on loopback addresses (each one a "host"), with a host key and
 * a client key made by ssh-keygen in a temporary folder, its own sshd_config, and no PAM. Run as
 * {@code sshd -D -e -f config}; {@link #close()} stops it and deletes the folder.
 *
 * <p>When sshd or ssh is missing, the test is skipped, unless the environment variable {@code CI} is set: then
 * it fails ({@code .ci/run} installs openssh-server and openssh-client).
 */
final class SshTestServer implements AutoCloseable
{
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final long START_TIMEOUT_MS = 15_000;

    private final Path directory;
    private final Process sshd;
    private final int port;

    private SshTestServer(final Path directory, final Process sshd, final int port)
    {
        this.directory = directory;
        this.sshd = sshd;
        this.port = port;
    }

    /**
     * @param addresses loopback addresses to listen on, e.g. 127.0.0.2 and 127.0.0.3.
     * @return the running server, accepting connections.
     * @throws Exception when it cannot be set up.
     */
    static SshTestServer start(final List<String> addresses) throws Exception
    {
        requireTool(SSHD);
        requireTool(Path.of("/usr/bin/ssh"));
        requireTool(Path.of("/usr/bin/ssh-keygen"));
        try
        {
            Files.createDirectories(Path.of("/run/sshd"));   // sshd's privilege separation directory, as root
        }
        catch (final IOException ignore)
        {
            // not root: sshd runs without privilege separation and needs no such directory
        }
        final Path directory = Files.createTempDirectory("javelin-sshd");
        try
        {
            run(directory, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "host_key");
            run(directory, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "client_key");
            Files.copy(directory.resolve("client_key.pub"), directory.resolve("authorized_keys"));
            final int port = freePort(addresses.getFirst());
            final StringBuilder config = new StringBuilder();
            for (final String address : addresses)
            {
                config.append("ListenAddress ").append(address).append(':').append(port).append('\n');
            }
            config.append("HostKey ").append(directory.resolve("host_key")).append('\n')
                .append("AuthorizedKeysFile ").append(directory.resolve("authorized_keys")).append('\n')
                .append("PermitRootLogin prohibit-password\n")
                .append("PasswordAuthentication no\n")
                .append("KbdInteractiveAuthentication no\n")
                .append("StrictModes no\n")
                .append("UsePAM no\n")
                .append("PidFile ").append(directory.resolve("sshd.pid")).append('\n');
            Files.writeString(directory.resolve("sshd_config"), config);
            final Process sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f",
                directory.resolve("sshd_config").toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("sshd.log").toFile())
                .start();
            final SshTestServer server = new SshTestServer(directory, sshd, port);
            try
            {
                server.awaitListening(addresses);
            }
            catch (final Exception | AssertionError ex)
            {
                server.close();
                throw ex;
            }
            return server;
        }
        catch (final Exception ex)
        {
            delete(directory);
            throw ex;
        }
    }

    /**
     * @return the ssh command for {@code --ssh}: no user ssh_config, this server's port and client key, no host
     *         key checks, no known-hosts file, errors only.
     */
    String sshCommand()
    {
        return "ssh -F /dev/null -p " + port + " -i " + directory.resolve("client_key") +
            " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR";
    }

    int port()
    {
        return port;
    }

    /**
     * @return what sshd logged.
     */
    String log()
    {
        try
        {
            return Files.readString(directory.resolve("sshd.log"));
        }
        catch (final IOException ex)
        {
            return "(no sshd log: " + ex + ")";
        }
    }

    @Override
    public void close()
    {
        sshd.destroy();
        try
        {
            if (!sshd.waitFor(5, TimeUnit.SECONDS))
            {
                sshd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            sshd.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        delete(directory);
    }

    private void awaitListening(final List<String> addresses) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        for (final String address : addresses)
        {
            while (true)
            {
                if (!sshd.isAlive())
                {
                    throw new AssertionError("sshd exited with " + sshd.exitValue() + ": " + log());
                }
                try (Socket socket = new Socket())
                {
                    socket.connect(new InetSocketAddress(address, port), 1_000);
                    break;
                }
                catch (final IOException ex)
                {
                    if (System.nanoTime() > deadlineNs)
                    {
                        throw new AssertionError("sshd does not listen on " + address + ":" + port + ": " + log());
                    }
                    Thread.sleep(50);   // polling with a deadline
                }
            }
        }
    }

    private static void requireTool(final Path tool)
    {
        if (Files.isExecutable(tool))
        {
            return;
        }
        final String message = tool + " not found: install openssh-server and openssh-client";
        if (null != System.getenv("CI"))
        {
            throw new AssertionError(message + " (CI is set: .ci/run installs them)");
        }
        Assumptions.abort(message);
    }

    private static int freePort(final String address) throws IOException
    {
        try (ServerSocket socket = new ServerSocket())
        {
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            return socket.getLocalPort();
        }
    }

    private static void run(final Path directory, final String... command) throws Exception
    {
        final Process process = new ProcessBuilder(command).directory(directory.toFile())
            .redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || 0 != process.exitValue())
        {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " failed: " + output);
        }
    }

    private static void delete(final Path directory)
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
        }
        catch (final IOException ignore)
        {
            // a temporary folder left behind is harmless
        }
    }
}
