package io.javelin.launcher;

import io.javelin.launcher.compare.NativeMpi;
import io.javelin.testing.NoProcessLeftBehind;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code javelin bench compare} end to end, with tiny sizes and iteration counts: real Javelin rank JVMs and
 * real {@code mpirun} jobs over TCP and shared memory. Checks the format of the table and the plot, not speed.
 * Needs Open MPI ({@code mpicc}, {@code mpirun}): skipped without it on a developer machine, failed in CI.
 */
@Timeout(300)
@ExtendWith(NoProcessLeftBehind.class)
class BenchCompareCommandTest
{
    private static final byte[] PNG_SIGNATURE = {(byte)0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final List<Integer> SIZES = List.of(1024, 2048, 4096);

    @Test
    void shouldPrintOneTablePerBenchmarkWithJavelinNativeAndRatioPerPathAndDrawThePlot(@TempDir final Path directory)
        throws IOException
    {
        requireOpenMpi();
        final Path png = directory.resolve("plots").resolve("compare.png");

        final RunCommandTest.Result result = RunCommandTest.javelin("bench", "compare", "latency", "bw",
            "--path", "all", "--sizes", "1k:4k", "--iterations", "5", "--warmup", "2", "--rounds", "1",
            "--timeout", "120", "--plot", png.toString());

        assertEquals(0, result.exitCode(), result.out() + result.err());
        final List<String> lines = result.out().lines().toList();
        assertTrue(lines.stream().anyMatch((line) -> line.startsWith("#   javelin bench latency -n 2 --transport tcp")),
            result.out());
        assertTrue(lines.stream().anyMatch((line) -> line.contains("mpirun -np 2") &&
            line.contains("--mca btl tcp,self --mca btl_tcp_if_include lo") && line.contains("--mca pml ob1")),
            result.out());
        assertTrue(lines.stream().anyMatch((line) -> line.contains("mpirun -np 2") &&
            line.contains("--mca btl vader,self")), result.out());

        assertTable(lines, "# One-way latency, latency (us)");
        assertTable(lines, "# Bandwidth, bandwidth (MB/s)");

        assertTrue(Files.isRegularFile(png), "no plot at " + png + "; output: " + result.out());
        final byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, PNG_SIGNATURE.length), "not a PNG");
        assertTrue(bytes.length > 20_000, "a plot of two charts is larger than " + bytes.length + " bytes");
        final BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image);
        assertTrue(image.getWidth() > image.getHeight(), "two charts side by side: " + image.getWidth() + "x" +
            image.getHeight());
    }

    @Test
    void shouldRejectAnUnknownPathNamingTheChoices()
    {
        final RunCommandTest.Result result = RunCommandTest.javelin("bench", "compare", "--path", "ib");

        assertEquals(Main.EXIT_USAGE, result.exitCode(), result.err());
        assertTrue(result.err().contains("use shm, tcp or all"), result.err());
    }

    /**
     * A title line, then the column names, then one line per size: the size and, per path (shm, tcp), the
     * Javelin value, the native value and their ratio.
     */
    private static void assertTable(final List<String> lines, final String title)
    {
        final int start = indexOfPrefix(lines, title);
        assertTrue(start >= 0, "no table '" + title + "' in\n" + String.join("\n", lines));
        assertEquals(List.of("#", "Size", "shm", "Javelin", "shm", "native", "shm", "ratio", "tcp", "Javelin", "tcp",
            "native", "tcp", "ratio"), List.of(lines.get(start + 1).trim().split("\\s+")), lines.get(start + 1));
        for (int i = 0; i < SIZES.size(); i++)
        {
            final String[] fields = lines.get(start + 2 + i).trim().split("\\s+");
            assertEquals(7, fields.length, lines.get(start + 2 + i));
            assertEquals(SIZES.get(i), Integer.parseInt(fields[0]), lines.get(start + 2 + i));
            for (int column = 1; column < fields.length; column++)
            {
                // a value, or "-" for a ratio to a native value that rounded to 0.00 on a busy machine
                assertTrue("-".equals(fields[column]) || Double.parseDouble(fields[column]) >= 0.0,
                    lines.get(start + 2 + i));
            }
        }
    }

    private static int indexOfPrefix(final List<String> lines, final String prefix)
    {
        for (int i = 0; i < lines.size(); i++)
        {
            if (lines.get(i).startsWith(prefix))
            {
                return i;
            }
        }
        return -1;
    }

    private static void requireOpenMpi()
    {
        final boolean present = NativeMpi.onPath("mpicc").isPresent() && NativeMpi.onPath("mpirun").isPresent();
        final String message = "mpicc / mpirun not on the PATH: install Open MPI (" + NativeMpi.INSTALL_FIX + ")";
        if (!present && null != System.getenv("CI"))
        {
            fail(message + "; CI must have it (.ci/run installs it)");
        }
        Assumptions.assumeTrue(present, message + "; skipping the comparison test");
    }
}
