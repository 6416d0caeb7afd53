package io.javelin.messaging;

import io.javelin.transport.config.ConfigSource;
import io.javelin.transport.config.ConfigValue;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigurationTest
{
    @Test
    void shouldGiveEveryMessagingKeyADefaultAndLetArgumentsWin()
    {
        final Map<String, ConfigValue> settings = Configuration.resolve(Map.of(Configuration.IDLE_PROP_NAME, "spin",
            "javelin.tcp.eager.limit", "8k"));

        for (final var key : Configuration.KEYS)
        {
            assertTrue(settings.containsKey(key.name()), key.name());
        }
        assertEquals(ConfigSource.ARGUMENT, settings.get(Configuration.IDLE_PROP_NAME).source());
        assertEquals("8k", Configuration.values(settings).get("javelin.tcp.eager.limit"),
            "keys of other modules pass through to the transport");
        assertFalse(settings.get("javelin.tcp.eager.limit").known(), "declared by the TCP module, not here");
        assertFalse(settings.containsKey("javelin.local.fabric"), "the engine tells runLocal jobs by this key");
        assertInstanceOf(BusySpinIdleStrategy.class, IdleStrategies.forRank(Configuration.values(settings), 1));
    }

    @Test
    void shouldRefuseABadIdleSettingNamingTheKeyAndTheChoices()
    {
        final IllegalArgumentException choice = assertThrows(IllegalArgumentException.class,
            () -> IdleStrategies.forRank(Map.of(Configuration.IDLE_PROP_NAME, "sleep"), 1));
        assertTrue(choice.getMessage().contains("javelin.idle=sleep") &&
            choice.getMessage().contains("auto, spin, yield"), choice.getMessage());
        final IllegalArgumentException spins = assertThrows(IllegalArgumentException.class,
            () -> IdleStrategies.forRank(Map.of(Configuration.IDLE_SPIN_US_PROP_NAME, "lots"), 1));
        assertTrue(spins.getMessage().contains(Configuration.IDLE_SPIN_US_PROP_NAME), spins.getMessage());
    }
}
