package io.javelin.transport.aeron;

import org.agrona.IoUtil;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names and cleans up the driver directories of embedded media drivers. One directory per transport:
 *
 * <pre>
 *   {base}/javelin-aeron-{job id}-r{rank}-p{pid}-n{pid namespace}-{sequence}
 * </pre>
 *
 * <p>A driver deletes its directory when it closes (and the transport once more after it); a process that
 * crashed leaves its directory behind, so every new driver first deletes the directories of processes of
 * its pid namespace that no longer run. Directories of other namespaces (containers sharing /dev/shm) are
 * left alone: their pids mean other processes.
 */
final class DriverDirectories
{
    static final String PREFIX = "javelin-aeron-";
    private static final Pattern OWNER = Pattern.compile("^" + PREFIX + ".*-p(\\d+)-n(\\d+)-\\d+$");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private DriverDirectories()
    {
    }

    /**
     * @return a directory name for a new driver of this process (not created).
     */
    static Path newDirectory(final Path base, final int rank)
    {
        final String job = sanitize(System.getenv().getOrDefault("JAVELIN_JOB_ID", "nojob"));
        return base.resolve(PREFIX + job + "-r" + rank + "-p" + ProcessHandle.current().pid() + "-n" +
            namespaceNumber() + "-" + SEQUENCE.incrementAndGet());
    }

    /**
     * Deletes the driver directories under {@code base} whose process (in this pid namespace) has exited.
     *
     * @return how many were deleted.
     */
    static int deleteStale(final Path base)
    {
        int deleted = 0;
        final String namespace = Long.toString(namespaceNumber());
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, PREFIX + "*"))
        {
            for (final Path entry : entries)
            {
                final Matcher owner = OWNER.matcher(entry.getFileName().toString());
                if (owner.matches() && namespace.equals(owner.group(2)) &&
                    !ProcessHandle.of(Long.parseLong(owner.group(1))).map(ProcessHandle::isAlive).orElse(false))
                {
                    IoUtil.delete(entry.toFile(), true);
                    deleted++;
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return deleted; // cleaning up after others is best effort
        }
        return deleted;
    }

    private static long namespaceNumber()
    {
        final String namespace = HostIdentity.pidNamespace();
        final StringBuilder digits = new StringBuilder();
        for (int i = 0; i < namespace.length(); i++)
        {
            if (Character.isDigit(namespace.charAt(i)))
            {
                digits.append(namespace.charAt(i));
            }
        }
        return digits.isEmpty() || digits.length() > 18 ? 0 : Long.parseLong(digits.toString());
    }

    private static String sanitize(final String jobId)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < jobId.length() && text.length() < 32; i++)
        {
            final char c = jobId.charAt(i);
            text.append(Character.isLetterOrDigit(c) || c == '_' ? c : '_');
        }
        return text.isEmpty() ? "nojob" : text.toString();
    }
}
