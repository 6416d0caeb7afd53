package io.javelin.messaging;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SpinYieldParkIdleStrategyTest
{
    private static final long HOUR_NS = 3_600_000_000_000L;

    @Test
    void shouldSpinWhileWithinTheSpinBudget()
    {
        final SpinYieldParkIdleStrategy idle = new SpinYieldParkIdleStrategy(HOUR_NS, HOUR_NS, 1_000_000);
        idleTimes(idle, 1_000);
        assertEquals("spin", idle.phase());
    }

    @Test
    void shouldYieldOnceTheSpinBudgetIsSpent()
    {
        final SpinYieldParkIdleStrategy idle = new SpinYieldParkIdleStrategy(0, HOUR_NS, 1_000_000);
        idleTimes(idle, 100);
        assertEquals("yield", idle.phase());
    }

    @Test
    void shouldParkOnceSpinAndYieldBudgetsAreSpentAndStartOverAfterWork()
    {
        final SpinYieldParkIdleStrategy idle = new SpinYieldParkIdleStrategy(0, 0, 1_000_000);
        idleTimes(idle, 100);
        assertEquals("park", idle.phase());

        idle.idle(1);
        assertEquals("spin", idle.phase());
    }

    @Test
    void shouldRejectNegativeBudgets()
    {
        assertThrows(IllegalArgumentException.class, () -> new SpinYieldParkIdleStrategy(-1, 0, 1_000_000));
    }

    @Test
    void shouldNameTheKeyWhenAMicrosecondSettingIsNotANumber()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> IdleStrategies.forRank(Map.of(Configuration.IDLE_SPIN_US_PROP_NAME, "lots"), 1));
        assertEquals(true, ex.getMessage().contains(Configuration.IDLE_SPIN_US_PROP_NAME));
    }

    private static void idleTimes(final SpinYieldParkIdleStrategy idle, final int times)
    {
        for (int i = 0; i < times; i++)
        {
            idle.idle(0);
        }
    }
}
