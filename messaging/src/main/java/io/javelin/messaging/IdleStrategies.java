package io.javelin.messaging;

import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.Map;

/**
 * How a rank waits. Waking a thread that slept in the kernel costs tens of microseconds, so a waiting rank
 * polls first; but two polling ranks on one core starve each other, so after a short spin (at once when ranks
 * outnumber cores) a rank yields, and parks only after a long wait. See {@link SpinYieldParkIdleStrategy}.
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
        final String choice = Configuration.IDLE.get(settings);
        final long spinNs = NS_PER_US * Configuration.IDLE_SPIN_US.get(settings);
        final long yieldNs = NS_PER_US * Configuration.IDLE_YIELD_US.get(settings);
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
}
