package io.javelin.messaging.bootstrap.pmix;

import io.javelin.testing.MpirunJob;
import io.javelin.testing.NoProcessLeftBehind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PmixBootstrap} in processes started by Open MPI's {@code mpirun} (a real PMIx server). Needs
 * {@code mpirun} (openmpi-bin) and libpmix2: skipped without them on a developer machine, failed under CI.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(NoProcessLeftBehind.class)
class PmixBootstrapMpirunTest
{
    private static final long JOB_LIMIT_S = 120;

    @Test
    void shouldExchangeValuesAndShareOneJobSecret() throws Exception
    {
        final MpirunJob job = mpirun(3, 60, "exchange");

        assertEquals(0, job.exitCode(), job.output());
        for (int rank = 0; rank < 3; rank++)
        {
            assertTrue(job.output().contains("rank " + rank + " of 3 exchanged over pmix"), job.output());
        }
    }

    @Test
    void shouldGiveUpAtTheTimeLimitWhenARankNeverJoins() throws Exception
    {
        final MpirunJob job = mpirun(3, 3, "late", "2");

        assertTrue(job.exitCode() != 0, job.output());
        assertTrue(job.output().contains("of PMIx namespace ") &&
            job.output().contains("not every one of the 3 ranks arrived within 3 s"), job.output());
        assertTrue(job.elapsedMs() < 60_000, "took " + job.elapsedMs() + " ms:\n" + job.output());
    }

    private static MpirunJob mpirun(final int ranks, final int bootstrapTimeoutS, final String... programArgs)
        throws IOException, InterruptedException
    {
        final List<String> command = MpirunJob.javaCommand(ranks);
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Djavelin.bootstrap.timeout=" + bootstrapTimeoutS);
        command.add(PmixBootstrapTestProgram.class.getName());
        command.addAll(List.of(programArgs));
        return MpirunJob.run(command, JOB_LIMIT_S);
    }
}
