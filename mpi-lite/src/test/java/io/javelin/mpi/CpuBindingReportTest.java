package io.javelin.mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link Javelin#cpuBinding()} says where no thread is bound: the reason, not a setting nobody made.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CpuBindingReportTest
{
    @Test
    void shouldSayAJobOfOneRankIsLeftUnbound()
    {
        final ConcurrentLinkedQueue<String> reports = new ConcurrentLinkedQueue<>();
        Javelin.runLocal(1, javelin -> reports.add(javelin.cpuBinding()));
        assertEquals("none (a job of one rank)", reports.peek());
    }

    @Test
    void shouldSayRanksThatAreThreadsAreLeftUnbound()
    {
        final ConcurrentLinkedQueue<String> reports = new ConcurrentLinkedQueue<>();
        Javelin.runLocal(2, javelin -> reports.add(javelin.cpuBinding()));
        assertEquals(2, reports.size());
        assertTrue(reports.stream().allMatch("none (ranks are threads of one JVM)"::equals), reports.toString());
    }
}
