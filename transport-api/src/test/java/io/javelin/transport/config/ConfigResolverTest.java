package io.javelin.transport.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigResolverTest
{
    private static final ConfigKey<Long> LIMIT =
        ConfigKey.bytes("javelin.test.limit", 64 * 1024, 0, 1L << 30, "a byte limit");
    private static final ConfigKey<Long> COUNT = ConfigKey.number("javelin.test.count", 3, 1, 10, "a count");
    private static final ConfigKey<String> MODE =
        ConfigKey.choice("javelin.test.mode", "auto", "a choice", "auto", "on", "off");
    private static final ConfigKey<Long> CAMEL =
        ConfigKey.number("javelin.test.graceMs", 5, 0, 100, "a key with capitals");

    private final ConfigResolver resolver =
        new ConfigResolver(List.of(LIMIT, COUNT, MODE, CAMEL), Set.of("JAVELIN_RANK"));

    @Test
    void shouldNameTheSourceOfEveryValue()
    {
        final Map<String, ConfigValue> settings = resolver.resolve(
            Map.of("JAVELIN_TEST_LIMIT", "8k", "JAVELIN_TEST_COUNT", "4", "PATH", "/bin"),
            Map.of("javelin.test.count", "5", "java.home", "/jdk"),
            Map.of("javelin.test.mode", "off"));

        assertEquals(new ConfigValue("javelin.test.limit", "8k", ConfigSource.ENVIRONMENT, "a byte limit", true),
            settings.get("javelin.test.limit"));
        assertEquals(ConfigSource.SYSTEM_PROPERTY, settings.get("javelin.test.count").source());
        assertEquals("5", settings.get("javelin.test.count").value());
        assertEquals(ConfigSource.ARGUMENT, settings.get("javelin.test.mode").source());
        assertEquals(ConfigSource.DEFAULT, settings.get("javelin.test.graceMs").source());
        assertEquals("5", settings.get("javelin.test.graceMs").value());
        assertEquals(List.of("javelin.test.limit", "javelin.test.count", "javelin.test.mode", "javelin.test.graceMs"),
            List.copyOf(settings.keySet()), "declared keys only, in declaration order");
    }

    @Test
    void shouldMapAnEnvironmentVariableToADeclaredKeyWithCapitals()
    {
        final Map<String, ConfigValue> settings = resolver.resolve(Map.of("JAVELIN_TEST_GRACEMS", "7"), Map.of(),
            Map.of());

        assertEquals(ConfigSource.ENVIRONMENT, settings.get("javelin.test.graceMs").source());
        assertEquals(7L, CAMEL.get(ConfigResolver.values(settings)));
    }

    @Test
    void shouldKeepUndeclaredKeysAsUnknownAndSkipIgnoredVariables()
    {
        final Map<String, ConfigValue> settings = resolver.resolve(
            Map.of("JAVELIN_RANK", "3", "JAVELIN_OTHER_KEY", "x"), Map.of("javelin.tset.limit", "1k"), Map.of());

        assertFalse(settings.containsKey("javelin.rank"), settings.toString());
        assertEquals(List.of("javelin.other.key", "javelin.tset.limit"), ConfigResolver.unknownKeys(settings));
        assertFalse(settings.get("javelin.tset.limit").known());
    }

    @Test
    void shouldParseDefaultsAndRefuseBadValuesNamingTheKey()
    {
        assertEquals(64 * 1024L, LIMIT.get(Map.of()));
        assertEquals("64k", LIMIT.defaultText());
        assertEquals(2048L, LIMIT.get(Map.of("javelin.test.limit", "2k")));
        assertEquals("on", MODE.parse(" ON "));

        final IllegalArgumentException badCount = assertThrows(IllegalArgumentException.class,
            () -> COUNT.get(Map.of("javelin.test.count", "11")));
        assertTrue(badCount.getMessage().contains("javelin.test.count=11") && badCount.getMessage().contains("10"),
            badCount.getMessage());
        final IllegalArgumentException badMode = assertThrows(IllegalArgumentException.class,
            () -> MODE.parse("maybe"));
        assertTrue(badMode.getMessage().contains("auto, on, off"), badMode.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LIMIT.parse("2g"));
    }

    @Test
    void shouldRefuseAKeyDeclaredTwiceOrWithoutThePrefix()
    {
        assertThrows(IllegalArgumentException.class, () -> new ConfigResolver(List.of(LIMIT, LIMIT), Set.of()));
        assertThrows(IllegalArgumentException.class, () -> ConfigKey.text("tcp.bind", "", "no prefix"));
    }

    @Test
    void shouldFormatByteDefaultsWithTheLargestExactSuffix()
    {
        assertEquals("1g", ConfigKey.formatBytes(1L << 30));
        assertEquals("256m", ConfigKey.formatBytes(256L << 20));
        assertEquals("1408", ConfigKey.formatBytes(1408));
        assertEquals("0", ConfigKey.formatBytes(0));
        assertEquals("JAVELIN_TCP_EAGER_LIMIT", ConfigResolver.environmentVariable("javelin.tcp.eager.limit"));
    }
}
