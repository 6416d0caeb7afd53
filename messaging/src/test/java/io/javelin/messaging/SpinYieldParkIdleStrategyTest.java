package io.javelin.messaging;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void shouldAllowATightLoopOnlyWhileSpinning()
    {
        final SpinYieldParkIdleStrategy spinner = new SpinYieldParkIdleStrategy(HOUR_NS, HOUR_NS, 1_000_000);
        idleTimes(spinner, 1_000);
        assertTrue(spinner.spinning(), "within the spin budget");

        final SpinYieldParkIdleStrategy yielder = new SpinYieldParkIdleStrategy(0, HOUR_NS, 1_000_000);
        assertFalse(yielder.spinning(), "no spin budget (ranks outnumber cores): never a tight loop");
        idleTimes(yielder, 100);
        assertFalse(yielder.spinning(), "yielding");

        final SpinYieldParkIdleStrategy parker = new SpinYieldParkIdleStrategy(1, 0, 1_000_000);
        idleTimes(parker, 100);
        assertEquals("park", parker.phase());
        assertFalse(parker.spinning(), "parking");
        parker.idle(1);
        assertTrue(parker.spinning(), "work done: the next wait spins first again");
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
