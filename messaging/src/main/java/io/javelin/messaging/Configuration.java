package io.javelin.messaging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every configuration key of the messaging layer and of the transports it loads, with defaults.
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

    private static final List<String[]> KEYS = List.of(
        new String[]{TRANSPORT_PROP_NAME, TRANSPORT_DEFAULT, "transport: auto, tcp, rdma, aeron, local"},
        new String[]{EAGER_LIMIT_PROP_NAME, "", "eager/rendezvous switch in bytes (empty: the transport's)"},
        new String[]{EAGER_CREDITS_PROP_NAME, Integer.toString(EAGER_CREDITS_DEFAULT),
            "unconsumed eager messages per sender and receiver"},
        new String[]{RENDEZVOUS_PROP_NAME, "auto", "rendezvous protocol: auto, get (RDMA read), put (RDMA write)"},
        new String[]{REGCACHE_MAX_ENTRIES_PROP_NAME, Integer.toString(REGCACHE_MAX_ENTRIES_DEFAULT),
            "registration cache entries"},
        new String[]{REGCACHE_MAX_BYTES_PROP_NAME, "1g", "registration cache bytes"},
        new String[]{STAGING_MAX_IDLE_BYTES_PROP_NAME, "256m", "idle bounce buffers kept for heap arrays"},
        new String[]{IDLE_PROP_NAME, "auto", "waiting: auto, spin, yield"},
        new String[]{IDLE_SPIN_US_PROP_NAME, Long.toString(IDLE_SPIN_US_DEFAULT),
            "microseconds spinning before yielding"},
        new String[]{IDLE_YIELD_US_PROP_NAME, Long.toString(IDLE_YIELD_US_DEFAULT),
            "microseconds yielding before parking"});

    private Configuration()
    {
    }

    /**
     * One effective setting.
     *
     * @param key         property name.
     * @param value       effective value.
     * @param source      "default", "environment", "system property" or "argument".
     * @param description what it does.
     */
    public record Setting(String key, String value, String source, String description)
    {
    }

    /**
     * @return the known keys with defaults and descriptions.
     */
    public static List<String[]> knownKeys()
    {
        return KEYS;
    }

    /**
     * Merges defaults, environment, system properties and explicit arguments.
     *
     * @param arguments explicit settings (highest precedence), e.g. parsed from {@code --javelin.x=y}.
     * @return every {@code javelin.*} setting in force, known keys first.
     */
    public static Map<String, Setting> resolve(final Map<String, String> arguments)
    {
        final Map<String, Setting> settings = new LinkedHashMap<>();
        for (final String[] key : KEYS)
        {
            settings.put(key[0], new Setting(key[0], key[1], "default", key[2]));
        }
        for (final Map.Entry<String, String> env : System.getenv().entrySet())
        {
            final String name = env.getKey();
            if (name.startsWith("JAVELIN_") && !isLaunchVariable(name))
            {
                final String key = name.toLowerCase(Locale.ROOT).replace('_', '.');
                put(settings, key, env.getValue(), "environment");
            }
        }
        for (final String name : System.getProperties().stringPropertyNames())
        {
            if (name.startsWith("javelin."))
            {
                put(settings, name, System.getProperty(name), "system property");
            }
        }
        for (final Map.Entry<String, String> arg : arguments.entrySet())
        {
            put(settings, arg.getKey(), arg.getValue(), "argument");
        }
        return settings;
    }

    /**
     * @param settings resolved settings.
     * @return key to value.
     */
    public static Map<String, String> values(final Map<String, Setting> settings)
    {
        final Map<String, String> values = new LinkedHashMap<>();
        settings.forEach((k, v) -> values.put(k, v.value()));
        return values;
    }

    private static void put(final Map<String, Setting> settings, final String key, final String value,
        final String source)
    {
        final Setting known = settings.get(key);
        settings.put(key, new Setting(key, value, source, null == known ? "" : known.description()));
    }

    private static boolean isLaunchVariable(final String name)
    {
        return switch (name)
        {
            case "JAVELIN_RANK", "JAVELIN_SIZE", "JAVELIN_LOCAL_SIZE", "JAVELIN_LOCAL_RANK", "JAVELIN_BOOTSTRAP",
                "JAVELIN_JOB_SECRET", "JAVELIN_JOB_ID", "JAVELIN_HOME" -> true;
            default -> false;
        };
    }
}
