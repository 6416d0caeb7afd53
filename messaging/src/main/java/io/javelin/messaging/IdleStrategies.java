package io.javelin.messaging;

import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.Map;

/**
 * How a rank waits. Waking a thread that slept in the kernel costs tens of microseconds, so a waiting rank
 * polls first; but two polling ranks on one core starve each other, so when ranks outnumber cores a rank
 * yields almost at once.
 */
public final class IdleStrategies
{
    private static final long MAX_PARK_NS = 1_000_000;
    private static final long NS_PER_US = 1_000;

    private IdleStrategies()
    {
    }

    /**
     * @param settings  resolved configuration.
     * @param localRanks ranks on this host (threads or processes).
     * @return the strategy for one rank.
     */
    public static IdleStrategy forRank(final Map<String, String> settings, final int localRanks)
    {
        final String choice = settings.getOrDefault(Configuration.IDLE_PROP_NAME, "auto");
        final long spinNs = NS_PER_US * microseconds(settings, Configuration.IDLE_SPIN_US_PROP_NAME,
            Configuration.IDLE_SPIN_US_DEFAULT);
        final long yieldNs = NS_PER_US * microseconds(settings, Configuration.IDLE_YIELD_US_PROP_NAME,
            Configuration.IDLE_YIELD_US_DEFAULT);
        return switch (choice)
        {
            case "spin" -> new BusySpinIdleStrategy();
            case "yield" -> new YieldingIdleStrategy();
            case "auto" -> Runtime.getRuntime().availableProcessors() >= localRanks ?
                new SpinYieldParkIdleStrategy(spinNs, yieldNs, MAX_PARK_NS) :
                new SpinYieldParkIdleStrategy(0, yieldNs, MAX_PARK_NS);
            default -> throw new IllegalArgumentException(Configuration.IDLE_PROP_NAME + "=" + choice +
                " is not one of auto, spin, yield");
        };
    }

    private static long microseconds(final Map<String, String> settings, final String key, final long fallback)
    {
        final String value = settings.get(key);
        if (null == value || value.isBlank())
        {
            return fallback;
        }
        try
        {
            final long us = Long.parseLong(value.trim());
            if (us >= 0)
            {
                return us;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below
        }
        throw new IllegalArgumentException(key + "=" + value + " is not a number of microseconds (0 or more)");
    }
}
