package io.javelin.messaging.bootstrap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A throw-away munged with its own key and socket under a temporary directory, for tests of MUNGE
 * credentials. Without munged or root the test is skipped, unless {@code CI} is set, where that fails.
 */
final class TestMungeDaemon implements AutoCloseable
{
    private final Path directory;
    private final long pid;

    private TestMungeDaemon(final Path directory, final long pid)
    {
        this.directory = directory;
        this.pid = pid;
    }

    static TestMungeDaemon start() throws IOException, InterruptedException
    {
        final String missing = !MungeCredential.commandsAvailable() || !onPath("munged") ?
            "munge, unmunge or munged not found (apt-get install munge)" :
            !"0".equals(uid()) ? "a throw-away munged needs root" : null;
        if (null != missing)
        {
            if (null != System.getenv("CI"))
            {
                fail("CI is set but the MUNGE test cannot run: " + missing);
            }
            assumeTrue(false, "skipping: " + missing);
        }
        final Path directory = Files.createTempDirectory("javelin-munge",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        final byte[] key = new byte[1024];
        new SecureRandom().nextBytes(key);
        final Path keyFile = directory.resolve("munge.key");
        Files.write(keyFile, key);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("r--------"));
        final Process munged = new ProcessBuilder("munged", "--force", "--key-file=" + keyFile,
            "--socket=" + directory.resolve("munge.socket"), "--pid-file=" + directory.resolve("munged.pid"),
            "--seed-file=" + directory.resolve("munged.seed"), "--log-file=" + directory.resolve("munged.log"))
            .redirectErrorStream(true).start();
        if (!munged.waitFor(30, TimeUnit.SECONDS) || munged.exitValue() != 0)
        {
            munged.destroyForcibly();
            fail("munged did not start: " + new String(munged.getInputStream().readAllBytes()));
        }
        final long pid = Long.parseLong(Files.readString(directory.resolve("munged.pid")).strip());
        return new TestMungeDaemon(directory, pid);
    }

    static String uid() throws IOException
    {
        return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    String socket()
    {
        return directory.resolve("munge.socket").toString();
    }

    @Override
    public void close() throws IOException
    {
        ProcessHandle.of(pid).ifPresent((process) ->
        {
            process.destroy();
            process.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally((ex) ->
            {
                process.destroyForcibly();
                return process;
            }).join();
        });
        try (Stream<Path> files = Files.walk(directory))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(file);
            }
        }
    }

    private static boolean onPath(final String name)
    {
        for (final String directory : List.of(System.getenv().getOrDefault("PATH", "").split(":")))
        {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, name)))
            {
                return true;
            }
        }
        return false;
    }
}
