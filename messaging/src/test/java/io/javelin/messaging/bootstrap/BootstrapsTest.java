package io.javelin.messaging.bootstrap;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BootstrapsTest
{
    @Test
    void shouldBeASingletonWithoutLauncher()
    {
        try (Bootstrap bootstrap = Bootstraps.fromEnvironment(Map.of("SLURM_PROCID", "0")))
        {
            assertInstanceOf(SingletonBootstrap.class, bootstrap);
            assertEquals(0, bootstrap.rank());
            assertEquals(1, bootstrap.size());
            bootstrap.put("k", new byte[]{7});
            assertThrows(BootstrapException.class, () -> bootstrap.get("k"));
            bootstrap.fence();
            assertArrayEquals(new byte[]{7}, bootstrap.get("k"));
        }
    }

    @Test
    void shouldDetectPmixOnlyWithRankNamespaceAndServerAddress()
    {
        assertEquals(Bootstraps.LaunchKind.PMIX, Bootstraps.detect(Map.of("PMIX_RANK", "1",
            "PMIX_NAMESPACE", "1964048385", "PMIX_SERVER_URI41", "1964048384.0;tcp4://127.0.0.1:37951")));
        assertTrue(Bootstraps.detect(Map.of("PMIX_RANK", "1")) != Bootstraps.LaunchKind.PMIX,
            "PMIX_RANK alone, without a server to talk to, is not a PMIx job");
        assertEquals(Bootstraps.LaunchKind.JAVELIN, Bootstraps.detect(Map.of("PMIX_RANK", "1",
            "PMIX_NAMESPACE", "n", "PMIX_SERVER_URI2", "u", LaunchEnvironment.BOOTSTRAP_ADDRESS, "127.0.0.1:1")));
    }

    @Test
    void shouldRefuseLaunchersItDoesNotSupportYet()
    {
        assertEquals(Bootstraps.LaunchKind.SLURM,
            Bootstraps.detect(Map.of("SLURM_PROCID", "3", "SLURM_STEP_NUM_TASKS", "4")));
    }

    @Test
    void shouldNameTheVariableAndTheFixWhenTheLaunchEnvironmentIsBroken()
    {
        final Map<String, String> environment = Map.of(
            LaunchEnvironment.BOOTSTRAP_ADDRESS, "127.0.0.1:1",
            LaunchEnvironment.RANK, "5",
            LaunchEnvironment.SIZE, "4",
            LaunchEnvironment.JOB_SECRET, "00000000000000ff");
        final BootstrapException ex = assertThrows(BootstrapException.class,
            () -> Bootstraps.fromEnvironment(environment));
        assertEquals("environment variable JAVELIN_RANK=5 is not a whole number in 0..3: ranks of a Javelin job " +
            "must be started by javelin run", ex.getMessage());
    }

    @Test
    void shouldParseTheLaunchEnvironment()
    {
        final LaunchVariables variables = LaunchVariables.parse(Map.of(
            LaunchEnvironment.BOOTSTRAP_ADDRESS, "127.0.0.1:4567",
            LaunchEnvironment.RANK, "2",
            LaunchEnvironment.SIZE, "4",
            LaunchEnvironment.JOB_SECRET, "ffffffffffffff01",
            LaunchEnvironment.JOB_ID, "j1"));
        assertEquals(new LaunchVariables(2, 4, 4, "127.0.0.1", 4567, 0xffffffffffffff01L, "j1"), variables);
    }

    @Test
    void shouldDescribeRanksCompactly()
    {
        assertEquals("rank 3", BootstrapConfiguration.describeRanks(List.of(3)));
        assertEquals("ranks 2, 3", BootstrapConfiguration.describeRanks(List.of(3, 2)));
        assertEquals("ranks 0-4, 7, 9-11", BootstrapConfiguration.describeRanks(List.of(0, 1, 2, 3, 4, 7, 9, 10, 11)));
        assertEquals("fence: rank 1 has not arrived after 120 s",
            BootstrapConfiguration.notArrivedMessage("fence", List.of(1), 120_000));
    }
}
