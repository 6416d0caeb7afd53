package io.javelin.launcher;

import io.javelin.transport.config.ConfigKey;

import java.util.List;

/**
 * The launcher's configuration: constants with their system property names, defaults and units.
 */
public final class LauncherConfiguration
{
    /**
     * JVM flags every rank needs: native access for the RDMA bindings (FFM), jdk.internal.misc and
     * sun.misc.Unsafe for Agrona. The same list as {@code javelin.jvm.flags} in the parent pom.
     */
    public static final List<String> RANK_JVM_FLAGS = List.of(
        "--enable-native-access=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow");

    /** System property every rank reads to choose its transport. */
    public static final String TRANSPORT_PROP_NAME = "javelin.transport";
    /** Transport names {@code --transport} accepts besides those of the transport providers found. */
    public static final List<String> KNOWN_TRANSPORTS = List.of("auto", "tcp", "local", "rdma", "aeron");

    /** How long stopped ranks get to exit after SIGTERM before they are killed, in milliseconds. */
    public static final String STOP_GRACE_PROP_NAME = "javelin.launcher.stopGraceMs";
    /** Default of {@link #STOP_GRACE_PROP_NAME}. */
    public static final long STOP_GRACE_DEFAULT_MS = 3_000;

    /** {@link #STOP_GRACE_PROP_NAME} declared. */
    public static final ConfigKey<Long> STOP_GRACE = ConfigKey.number(STOP_GRACE_PROP_NAME, STOP_GRACE_DEFAULT_MS,
        0, Long.MAX_VALUE / 1_000_000, "how long stopped ranks get after SIGTERM before they are killed, " +
        "milliseconds (a launcher setting: JAVELIN_LAUNCHER_OPTS=-D... or the environment)");
    /** Every launcher key, for {@code javelin info}. */
    public static final List<ConfigKey<?>> KEYS = List.of(STOP_GRACE);

    /** How long the launcher waits for a rank's remaining output after the rank exited, in milliseconds. */
    public static final long OUTPUT_DRAIN_MS = 2_000;

    private LauncherConfiguration()
    {
    }

    /**
     * Read while ranks are being stopped, so a bad value falls back to the default instead of failing then
     * ({@code javelin info} shows the value and whether it is valid).
     *
     * @return the grace period of stopped ranks in milliseconds, from the system property
     *         {@link #STOP_GRACE_PROP_NAME}, else the environment variable {@code JAVELIN_LAUNCHER_STOPGRACEMS}.
     */
    public static long stopGraceMs()
    {
        final String property = System.getProperty(STOP_GRACE_PROP_NAME);
        final String value = null != property ? property : System.getenv(STOP_GRACE.environmentVariable());
        try
        {
            return null == value ? STOP_GRACE_DEFAULT_MS : STOP_GRACE.parse(value);
        }
        catch (final IllegalArgumentException ex)
        {
            return STOP_GRACE_DEFAULT_MS;
        }
    }
}
