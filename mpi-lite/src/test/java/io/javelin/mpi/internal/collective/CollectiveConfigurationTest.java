package io.javelin.mpi.internal.collective;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The allreduce switch point's {@code auto} default, which depends on the transport, and values set by hand.
 */
class CollectiveConfigurationTest
{
    private static final String KEY = CollectiveConfiguration.ALLREDUCE_LARGE_MIN_BYTES_PROP_NAME;

    @Test
    void shouldSwitchLowerWhereRendezvousTransfersOverlapWhenAuto()
    {
        for (final CollectiveConfiguration configuration : new CollectiveConfiguration[]{
            CollectiveConfiguration.defaults(), CollectiveConfiguration.from(Map.of(KEY, " AUTO "))})
        {
            assertEquals(64 * 1024, configuration.allreduceLargeMinBytes(true));
            assertEquals(128 * 1024, configuration.allreduceLargeMinBytes(false));
            assertTrue(configuration.toString().contains(KEY + "=auto"), configuration.toString());
        }
    }

    @Test
    void shouldKeepASwitchPointSetByHandOnEveryTransport()
    {
        final CollectiveConfiguration configuration = CollectiveConfiguration.from(Map.of(KEY, "1m"));
        assertEquals(1024 * 1024, configuration.allreduceLargeMinBytes(true));
        assertEquals(1024 * 1024, configuration.allreduceLargeMinBytes(false));
    }

    @Test
    void shouldNameTheKeyAndTheAcceptedFormsForABadValue()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CollectiveConfiguration.from(Map.of(KEY, "-5")));
        assertTrue(ex.getMessage().contains(KEY + "=-5"), ex.getMessage());
        assertTrue(ex.getMessage().endsWith("or auto"), ex.getMessage());
    }
}
