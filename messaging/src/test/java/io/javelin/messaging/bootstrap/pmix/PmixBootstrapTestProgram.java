package io.javelin.messaging.bootstrap.pmix;

import io.javelin.messaging.bootstrap.Bootstrap;
import io.javelin.messaging.bootstrap.BootstrapException;
import io.javelin.messaging.bootstrap.Bootstraps;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A process of a job started by {@code mpirun}, see {@link PmixBootstrapMpirunTest}. Modes:
 * <ul>
 *   <li>{@code exchange}: checks identity, the job secret, put / fence / get with and without a rank suffix and
 *       the message of a missing key; prints {@code rank R of N exchanged over pmix} or throws;</li>
 *   <li>{@code late R}: rank R never joins; the others must give up at their time limit, naming what they
 *       awaited.</li>
 * </ul>
 */
public final class PmixBootstrapTestProgram
{
    private PmixBootstrapTestProgram()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        if ("late".equals(args[0]) && System.getenv("PMIX_RANK").equals(args[1]))
        {
            Thread.sleep(120_000);
            return;
        }
        try (Bootstrap bootstrap = Bootstraps.fromEnvironment())
        {
            exchange(bootstrap);
        }
    }

    private static void exchange(final Bootstrap bootstrap)
    {
        final int rank = bootstrap.rank();
        final int size = bootstrap.size();
        check(bootstrap instanceof PmixBootstrap && "pmix".equals(bootstrap.kind()), "kind " + bootstrap.kind());
        check(String.valueOf(rank).equals(System.getenv("PMIX_RANK")), "rank " + rank);
        check(bootstrap.localSize() == size, "local size " + bootstrap.localSize() + " of " + size);

        bootstrap.put("test.secret." + rank, ByteBuffer.allocate(8).putLong(bootstrap.jobSecret()).array());
        bootstrap.put("test.value." + rank, ("value of " + rank).getBytes(StandardCharsets.UTF_8));
        bootstrap.put("test.large." + rank, filled(100_000, rank));
        if (rank == size - 1)
        {
            bootstrap.put("test.shared", new byte[]{42});
        }
        bootstrap.fence();
        for (int peer = 0; peer < size; peer++)
        {
            check(ByteBuffer.wrap(bootstrap.get("test.secret." + peer)).getLong() == bootstrap.jobSecret(),
                "rank " + peer + " has another job secret");
            check(Arrays.equals(("value of " + peer).getBytes(StandardCharsets.UTF_8),
                bootstrap.get("test.value." + peer)), "value of rank " + peer);
            check(Arrays.equals(filled(100_000, peer), bootstrap.get("test.large." + peer)), "large of " + peer);
        }
        check(Arrays.equals(new byte[]{42}, bootstrap.get("test.shared")), "a key without a rank suffix");
        try
        {
            bootstrap.get("test.missing." + (size - 1));
            throw new IllegalStateException("a key nobody put was found");
        }
        catch (final BootstrapException expected)
        {
            check(expected.getMessage().startsWith("no rank published bootstrap key 'test.missing."),
                expected.getMessage());
        }
        bootstrap.fence();
        System.out.println("rank " + rank + " of " + size + " exchanged over pmix");
    }

    private static byte[] filled(final int length, final int rank)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 31 + rank);
        }
        return bytes;
    }

    private static void check(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new IllegalStateException(what);
        }
    }
}
