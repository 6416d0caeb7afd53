package io.javelin.launcher;

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

    /** How long the launcher waits for a rank's remaining output after the rank exited, in milliseconds. */
    public static final long OUTPUT_DRAIN_MS = 2_000;

    private LauncherConfiguration()
    {
    }

    /**
     * @return the grace period of stopped ranks in milliseconds, from {@link #STOP_GRACE_PROP_NAME}.
     */
    public static long stopGraceMs()
    {
        return Math.max(0, Long.getLong(STOP_GRACE_PROP_NAME, STOP_GRACE_DEFAULT_MS));
    }
}
