package io.javelin.messaging.bootstrap;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * MUNGE credentials through the {@code munge} and {@code unmunge} commands, which every Slurm cluster with
 * {@code AuthType=auth/munge} has on its nodes. A credential restricted to a user can only be decoded by
 * processes of that user, and its decoder learns who encoded it: {@link SlurmBootstrap} uses that to hand
 * a random job secret from rank 0 to the other ranks of the same user, and to them only.
 *
 * <p>Each call starts one short process, with a time limit. Stateless and thread-safe.
 *
 * @param uid     the user id that encoded the credential (as munged vouches).
 * @param payload the payload.
 */
record MungeCredential(String uid, String payload)
{
    /** Time limit of one munge or unmunge process. */
    static final long COMMAND_TIMEOUT_MS = 15_000;
    /**
     * unmunge's exit code for a credential it decoded before. Every rank on a node decodes the same
     * credential, so this is expected; it is still authenticated and restricted to the job's user.
     */
    static final int REPLAYED_EXIT_CODE = 17;

    /**
     * @return whether {@code munge} and {@code unmunge} are on this process's PATH.
     */
    static boolean commandsAvailable()
    {
        return null != onPath("munge") && null != onPath("unmunge");
    }

    /**
     * @param payload      text to carry (one line).
     * @param restrictUid  the only user allowed to decode it.
     * @param socket       munged's socket, or null for munge's default.
     * @return the credential, {@code MUNGE:...:}.
     * @throws BootstrapException when munge fails or does not finish in time.
     */
    static String encode(final String payload, final String restrictUid, final String socket)
    {
        // The payload goes through stdin: a command line is visible to every user. The longest time-to-live
        // munged allows, so that ranks starting late can still decode it.
        final List<String> command = new ArrayList<>(List.of("munge", "--restrict-uid=" + restrictUid, "--ttl=-1"));
        addSocket(command, socket);
        return run(command, payload).strip();
    }

    /**
     * @param credential a credential from {@link #encode(String, String, String)}.
     * @param socket     munged's socket, or null for munge's default.
     * @return who encoded it and what it carries.
     * @throws BootstrapException when unmunge refuses it (another user's, expired, corrupt) or fails.
     */
    static MungeCredential decode(final String credential, final String socket)
    {
        final List<String> command = new ArrayList<>(List.of("unmunge"));
        addSocket(command, socket);
        final String output = run(command, credential + "\n");
        // unmunge prints "KEY: value" metadata lines, an empty line, then the payload.
        final int end = output.indexOf("\n\n");
        if (end < 0)
        {
            throw new BootstrapException("unmunge printed no metadata: " + output.strip());
        }
        String uid = null;
        for (final String line : output.substring(0, end).split("\n"))
        {
            if (line.startsWith("UID:"))
            {
                final int open = line.lastIndexOf('(');
                final int close = line.lastIndexOf(')');
                uid = open >= 0 && close > open ? line.substring(open + 1, close) : line.substring(4).strip();
            }
        }
        if (null == uid)
        {
            throw new BootstrapException("unmunge did not say who encoded the credential: " + output.strip());
        }
        return new MungeCredential(uid, output.substring(end + 2));
    }

    private static void addSocket(final List<String> command, final String socket)
    {
        if (null != socket)
        {
            command.add("--socket=" + socket);
        }
    }

    private static String run(final List<String> command, final String input)
    {
        final Process process;
        try
        {
            process = new ProcessBuilder(command).start();
        }
        catch (final IOException ex)
        {
            throw new BootstrapException(command.get(0) + " cannot start (" + ex.getMessage() + "): install munge " +
                "on every node, or set -D" + SlurmJobSecret.SECRET_PROP_NAME + "=derived", ex);
        }
        try
        {
            final CompletableFuture<byte[]> out = read(process.getInputStream());
            final CompletableFuture<byte[]> err = read(process.getErrorStream());
            try (OutputStream stdin = process.getOutputStream())
            {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                throw new BootstrapException(command.get(0) + " did not finish within " +
                    BootstrapConfiguration.formatSeconds(COMMAND_TIMEOUT_MS) + ": is munged running? (without " +
                    "munge: -D" + SlurmJobSecret.SECRET_PROP_NAME + "=derived)");
            }
            final String stdout = new String(out.join(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0 && !(command.get(0).equals("unmunge") &&
                process.exitValue() == REPLAYED_EXIT_CODE))
            {
                throw new BootstrapException(command.get(0) + " failed (exit code " + process.exitValue() + "): " +
                    new String(err.join(), StandardCharsets.UTF_8).strip() + " (is munged running? its socket: -D" +
                    SlurmJobSecret.MUNGE_SOCKET_PROP_NAME + "; without munge: -D" + SlurmJobSecret.SECRET_PROP_NAME +
                    "=derived)");
            }
            return stdout;
        }
        catch (final IOException ex)
        {
            throw new BootstrapException(command.get(0) + " failed: " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new BootstrapException("interrupted while waiting for " + command.get(0), ex);
        }
        finally
        {
            process.destroyForcibly();
        }
    }

    private static CompletableFuture<byte[]> read(final InputStream stream)
    {
        final CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() ->
        {
            try (stream)
            {
                result.complete(stream.readAllBytes());
            }
            catch (final IOException ex)
            {
                result.complete(new byte[0]);
            }
        });
        return result;
    }

    private static Path onPath(final String name)
    {
        final String path = System.getenv("PATH");
        if (null == path)
        {
            return null;
        }
        for (final String directory : path.split(File.pathSeparator))
        {
            final Path candidate = Path.of(directory.isEmpty() ? "." : directory, name);
            if (Files.isExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
