package io.javelin.messaging;

import io.javelin.messaging.bootstrap.LaunchEnvironment;
import io.javelin.transport.config.ConfigKey;
import io.javelin.transport.config.ConfigResolver;
import io.javelin.transport.config.ConfigValue;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every configuration key of the messaging layer, declared once as a {@link ConfigKey} (transports declare
 * theirs in their own configuration classes; {@code javelin info} lists them all).
 *
 * <p>A key {@code javelin.foo.bar} is read, lowest precedence first, from: the default here, the
 * environment variable {@code JAVELIN_FOO_BAR}, the system property {@code javelin.foo.bar}, and an argument
 * {@code --javelin.foo.bar=value} given to {@code Javelin.init}.
 */
public final class Configuration
{
    /** Transport: auto, tcp, rdma, aeron, local. */
    public static final String TRANSPORT_PROP_NAME = "javelin.transport";
    /** Default transport choice. */
    public static final String TRANSPORT_DEFAULT = "auto";
    /** Overrides the transport's eager limit (bytes; k/m/g suffixes). */
    public static final String EAGER_LIMIT_PROP_NAME = "javelin.eager.limit";
    /** Eager messages (and RTS) one sender may have unconsumed at one receiver. */
    public static final String EAGER_CREDITS_PROP_NAME = "javelin.eager.credits";
    /** Default eager credits per peer. */
    public static final int EAGER_CREDITS_DEFAULT = 64;
    /** Rendezvous protocol: auto (read when the transport can), get, put. */
    public static final String RENDEZVOUS_PROP_NAME = "javelin.rendezvous";
    /** Most cached (unleased) registrations. */
    public static final String REGCACHE_MAX_ENTRIES_PROP_NAME = "javelin.regcache.max.entries";
    /** Default most cached registrations. */
    public static final int REGCACHE_MAX_ENTRIES_DEFAULT = 1024;
    /** Most bytes kept registered by the cache (bytes; k/m/g suffixes). */
    public static final String REGCACHE_MAX_BYTES_PROP_NAME = "javelin.regcache.max.bytes";
    /** Default most cached registered bytes. */
    public static final long REGCACHE_MAX_BYTES_DEFAULT = 1L << 30;
    /** Most bytes of idle staging (bounce) buffers kept for heap arrays. */
    public static final String STAGING_MAX_IDLE_BYTES_PROP_NAME = "javelin.staging.max.idle.bytes";
    /** Default idle staging bytes. */
    public static final long STAGING_MAX_IDLE_BYTES_DEFAULT = 256L << 20;
    /** Wait strategy: auto (spin, then yield, then park; yield early when ranks outnumber cores), spin, yield. */
    public static final String IDLE_PROP_NAME = "javelin.idle";
    /** Microseconds a waiting rank spins before it yields (auto strategy, ranks not outnumbering cores). */
    public static final String IDLE_SPIN_US_PROP_NAME = "javelin.idle.spin.us";
    /** Default spin time, microseconds: a round trip over TCP on a quiet host, without hogging a shared CPU. */
    public static final long IDLE_SPIN_US_DEFAULT = 20;
    /** Microseconds a waiting rank then yields before it parks (auto strategy). */
    public static final String IDLE_YIELD_US_PROP_NAME = "javelin.idle.yield.us";
    /** Default yield time, microseconds. */
    public static final long IDLE_YIELD_US_DEFAULT = 100_000;
    /** CPU binding of a rank's thread: auto (a CPU of its own when the host's ranks fit), none. */
    public static final String BIND_PROP_NAME = "javelin.bind";

    /** {@link #TRANSPORT_PROP_NAME} declared. */
    public static final ConfigKey<String> TRANSPORT = ConfigKey.text(TRANSPORT_PROP_NAME, TRANSPORT_DEFAULT,
        "transport: auto (the available one with the highest priority), rdma, aeron, tcp, local");
    /** {@link #EAGER_LIMIT_PROP_NAME} declared; unset means the transport's own limit. */
    public static final ConfigKey<String> EAGER_LIMIT = ConfigKey.text(EAGER_LIMIT_PROP_NAME, "",
        "eager/rendezvous switch in bytes, k/m/g suffixes (unset: the transport's)");
    /** {@link #EAGER_CREDITS_PROP_NAME} declared. */
    public static final ConfigKey<Long> EAGER_CREDITS = ConfigKey.number(EAGER_CREDITS_PROP_NAME,
        EAGER_CREDITS_DEFAULT, 1, Integer.MAX_VALUE,
        "eager messages one sender may have unconsumed at one receiver; beyond, rendezvous");
    /** {@link #RENDEZVOUS_PROP_NAME} declared. */
    public static final ConfigKey<String> RENDEZVOUS = ConfigKey.choice(RENDEZVOUS_PROP_NAME, "auto",
        "rendezvous protocol: auto (get where the transport can read), get (receiver reads), put (sender writes)",
        "auto", "get", "put");
    /** {@link #REGCACHE_MAX_ENTRIES_PROP_NAME} declared. */
    public static final ConfigKey<Long> REGCACHE_MAX_ENTRIES = ConfigKey.number(REGCACHE_MAX_ENTRIES_PROP_NAME,
        REGCACHE_MAX_ENTRIES_DEFAULT, 0, Integer.MAX_VALUE, "registrations the cache keeps (LRU eviction)");
    /** {@link #REGCACHE_MAX_BYTES_PROP_NAME} declared. */
    public static final ConfigKey<Long> REGCACHE_MAX_BYTES = ConfigKey.bytes(REGCACHE_MAX_BYTES_PROP_NAME,
        REGCACHE_MAX_BYTES_DEFAULT, 0, Long.MAX_VALUE, "bytes the registration cache keeps registered");
    /** {@link #STAGING_MAX_IDLE_BYTES_PROP_NAME} declared. */
    public static final ConfigKey<Long> STAGING_MAX_IDLE_BYTES = ConfigKey.bytes(STAGING_MAX_IDLE_BYTES_PROP_NAME,
        STAGING_MAX_IDLE_BYTES_DEFAULT, 0, Long.MAX_VALUE, "idle bounce buffers kept for heap arrays, bytes");
    /** {@link #IDLE_PROP_NAME} declared. */
    public static final ConfigKey<String> IDLE = ConfigKey.choice(IDLE_PROP_NAME, "auto",
        "waiting: auto (spin, yield, park; yield at once when ranks outnumber cores), spin, yield",
        "auto", "spin", "yield");
    /** {@link #IDLE_SPIN_US_PROP_NAME} declared. */
    public static final ConfigKey<Long> IDLE_SPIN_US = ConfigKey.number(IDLE_SPIN_US_PROP_NAME,
        IDLE_SPIN_US_DEFAULT, 0, Long.MAX_VALUE / 1_000, "microseconds a waiting rank spins before it yields (auto)");
    /** {@link #IDLE_YIELD_US_PROP_NAME} declared. */
    public static final ConfigKey<Long> IDLE_YIELD_US = ConfigKey.number(IDLE_YIELD_US_PROP_NAME,
        IDLE_YIELD_US_DEFAULT, 0, Long.MAX_VALUE / 1_000, "microseconds a waiting rank then yields before it parks");
    /** {@link #BIND_PROP_NAME} declared. */
    public static final ConfigKey<String> BIND = ConfigKey.choice(BIND_PROP_NAME, "auto",
        "CPU binding of a rank's thread: auto (local rank r on the r-th allowed CPU when the host's ranks fit in " +
        "them), none", "auto", "none");
    /** Every key of the messaging layer, in the order {@code javelin info} shows them. */
    public static final List<ConfigKey<?>> KEYS = List.of(TRANSPORT, EAGER_LIMIT, EAGER_CREDITS, RENDEZVOUS,
        REGCACHE_MAX_ENTRIES, REGCACHE_MAX_BYTES, STAGING_MAX_IDLE_BYTES, IDLE, IDLE_SPIN_US, IDLE_YIELD_US, BIND);
    /**
     * {@code JAVELIN_*} environment variables that are not settings: what a launcher tells a rank about its
     * job, and the launcher script's own variables.
     */
    public static final Set<String> NON_SETTING_VARIABLES = Set.of(LaunchEnvironment.RANK, LaunchEnvironment.SIZE,
        LaunchEnvironment.LOCAL_SIZE, LaunchEnvironment.LOCAL_RANK, LaunchEnvironment.BOOTSTRAP_ADDRESS,
        LaunchEnvironment.JOB_SECRET, LaunchEnvironment.JOB_ID, "JAVELIN_HOME", "JAVELIN_LAUNCHER_OPTS");

    private static final ConfigResolver RESOLVER = new ConfigResolver(KEYS, NON_SETTING_VARIABLES);

    private Configuration()
    {
    }

    /**
     * Merges defaults, environment, system properties and explicit arguments.
     *
     * @param arguments explicit settings (highest precedence), e.g. parsed from {@code --javelin.x=y}.
     * @return every {@code javelin.*} setting in force: the messaging keys (with their defaults) first, then
     *         every other key set anywhere (transport keys; their defaults stay with the transport).
     */
    public static Map<String, ConfigValue> resolve(final Map<String, String> arguments)
    {
        return RESOLVER.resolveProcess(arguments);
    }

    /**
     * @param settings resolved settings.
     * @return key to value.
     */
    public static Map<String, String> values(final Map<String, ConfigValue> settings)
    {
        return ConfigResolver.values(settings);
    }
}
