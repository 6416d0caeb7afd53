package io.javelin.launcher;

import io.javelin.messaging.Configuration;
import io.javelin.messaging.bootstrap.BootstrapConfiguration;
import io.javelin.mpi.internal.collective.CollectiveConfiguration;
import io.javelin.transport.config.ConfigKey;
import io.javelin.transport.config.ConfigSource;
import io.javelin.transport.aeron.AeronConfiguration;
import io.javelin.transport.local.LocalTransportConfiguration;
import io.javelin.transport.rdma.RdmaConfiguration;
import io.javelin.transport.tcp.TcpConfiguration;
import io.javelin.transport.tcp.TcpTransportProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code javelin info}: in-process through {@link Main#execute}, and as a real JVM with environment variables
 * and system properties set, to check that every value names its true source.
 */
@Timeout(120)
class InfoCommandTest
{
    private static final List<List<ConfigKey<?>>> ALL_KEYS = List.of(Configuration.KEYS,
        CollectiveConfiguration.KEYS, LocalTransportConfiguration.KEYS, TcpConfiguration.KEYS,
        AeronConfiguration.KEYS, RdmaConfiguration.KEYS, BootstrapConfiguration.KEYS, LauncherConfiguration.KEYS);

    @Test
    void shouldPrintEverySectionAndEveryKey()
    {
        final RunCommandTest.Result result = RunCommandTest.javelin("info");

        assertEquals(0, result.exitCode(), result.err());
        final String out = result.out();
        for (final String expected : List.of("Javelin    ", "Java       ", "Host       ", " CPUs", "Transports",
            "  local    priority", "  tcp      priority", "  aeron    priority", "  rdma     priority",
            "RDMA devices", "Configuration", "  messaging\n", "  collectives\n", "  transport local\n",
            "  transport tcp\n", "  transport aeron\n", "  transport rdma\n", "  bootstrap\n", "  launcher\n"))
        {
            assertTrue(out.contains(expected), "missing '" + expected + "' in\n" + out);
        }
        for (final List<ConfigKey<?>> keys : ALL_KEYS)
        {
            for (final ConfigKey<?> key : keys)
            {
                final String line = row(out, key.name());
                assertTrue(line.contains(key.description()), line);
            }
        }
    }

    @Test
    void shouldNameTheSourceOfEveryValueInAJvmStartedWithEnvironmentAndProperties()
        throws IOException, InterruptedException
    {
        final String out = infoInNewJvm(
            Map.of("JAVELIN_AERON_MEDIA", "udp", "JAVELIN_LAUNCHER_STOPGRACEMS", "500"),
            List.of("-D" + TcpConfiguration.EAGER_LIMIT_PROP_NAME + "=8k"),
            List.of("info", "--config", "--javelin.coll.segments=4"));

        assertSource(out, AeronConfiguration.MEDIA_PROP_NAME, "udp", ConfigSource.ENVIRONMENT);
        assertSource(out, LauncherConfiguration.STOP_GRACE_PROP_NAME, "500", ConfigSource.ENVIRONMENT);
        assertSource(out, TcpConfiguration.EAGER_LIMIT_PROP_NAME, "8k", ConfigSource.SYSTEM_PROPERTY);
        assertSource(out, CollectiveConfiguration.SEGMENTS_PROP_NAME, "4", ConfigSource.ARGUMENT);
        assertSource(out, Configuration.IDLE_SPIN_US_PROP_NAME, "20", ConfigSource.DEFAULT);
        assertFalse(out.contains("Transports"), "--config prints only the configuration:\n" + out);
        assertFalse(out.contains("invalid"), out);
    }

    @Test
    void shouldLetArgumentsBeatSystemPropertiesAndFlagInvalidAndUnknownKeys()
    {
        final RunCommandTest.Result result = RunCommandTest.javelin("info", "-c",
            "-Djavelin.tcp.eager.limit=8k", "--javelin.tcp.eager.limit=lots", "-Djavelin.tpc.bind=127.0.0.1");

        assertEquals(0, result.exitCode(), result.err());
        final String out = result.out();
        assertSource(out, TcpConfiguration.EAGER_LIMIT_PROP_NAME, "lots", ConfigSource.ARGUMENT);
        final List<String> lines = out.lines().toList();
        final int eager = lines.indexOf(row(out, TcpConfiguration.EAGER_LIMIT_PROP_NAME));
        assertTrue(lines.get(eager + 1).contains("invalid: javelin.tcp.eager.limit=lots"), lines.get(eager + 1));
        assertTrue(out.contains("unknown (set, but no module reads these)"), out);
        assertSource(out, "javelin.tpc.bind", "127.0.0.1", ConfigSource.SYSTEM_PROPERTY);
    }

    @Test
    void shouldPrintJson()
    {
        final RunCommandTest.Result result = RunCommandTest.javelin("info", "--json", "-Djavelin.coll.segments=4");

        assertEquals(0, result.exitCode(), result.err());
        final String out = result.out().strip();
        assertTrue(out.startsWith("{") && out.endsWith("}"), out);
        assertTrue(out.contains("{\"key\": \"javelin.coll.segments\", \"value\": \"4\", \"source\": " +
            "\"system property\", \"section\": \"collectives\""), out);
        assertTrue(out.contains("{\"name\": \"tcp\", \"priority\": 10, \"available\": true"), out);
        assertTrue(out.contains("\"rdmaDevices\": [\""), out);
        assertEquals(out.chars().filter((c) -> c == '{').count(), out.chars().filter((c) -> c == '}').count());
    }

    @Test
    void shouldRefuseAnArgumentThatIsNotASetting()
    {
        final RunCommandTest.Result result = RunCommandTest.javelin("info", "--verbose");

        assertEquals(Main.EXIT_USAGE, result.exitCode());
        assertTrue(result.err().contains("--javelin.key=value"), result.err());
    }

    @Test
    void shouldResolveAGivenEnvironment()
    {
        final ConfigurationCatalog catalog = new ConfigurationCatalog(List.of(new TcpTransportProvider()));

        final List<ConfigurationCatalog.Row> rows = catalog.resolve(
            Map.of("JAVELIN_TCP_BIND", "127.0.0.1:0", "JAVELIN_RANK", "3"), Map.of(), Map.of());

        final ConfigurationCatalog.Row bind = rows.stream()
            .filter((row) -> row.value().key().equals(TcpConfiguration.BIND_PROP_NAME)).findFirst().orElseThrow();
        assertEquals(ConfigSource.ENVIRONMENT, bind.value().source());
        assertEquals("transport tcp", bind.section());
        assertNull(bind.error());
        assertTrue(rows.stream().noneMatch((row) -> row.value().key().equals("javelin.rank")),
            "JAVELIN_RANK is a launch variable, not a setting");
        assertTrue(rows.stream().noneMatch((row) -> row.section().startsWith("transport aeron")),
            "only the providers given");
    }

    private static void assertSource(final String out, final String key, final String value,
        final ConfigSource source)
    {
        final String line = row(out, key);
        final String expected = String.format("    %-42s %-12s %-16s", key, value, source.label());
        assertTrue(line.startsWith(expected), "expected '" + expected + "' but was '" + line + "'");
    }

    private static String row(final String out, final String key)
    {
        return out.lines().filter((line) -> line.startsWith("    " + key + " ")).findFirst()
            .orElseGet(() -> fail("no row for " + key + " in\n" + out));
    }

    private static String infoInNewJvm(final Map<String, String> environment, final List<String> jvmOptions,
        final List<String> args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LauncherConfiguration.RANK_JVM_FLAGS);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", String.join(File.pathSeparator, JavelinClasspath.entries()),
            Main.class.getName()));
        command.addAll(args);
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf((name) -> name.startsWith("JAVELIN_"));
        builder.environment().putAll(environment);
        final Process process = builder.start();
        try
        {
            final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "javelin info did not exit within 60 s");
            assertEquals(0, process.exitValue(), out);
            return out;
        }
        finally
        {
            process.destroyForcibly().onExit().join();
        }
    }
}
