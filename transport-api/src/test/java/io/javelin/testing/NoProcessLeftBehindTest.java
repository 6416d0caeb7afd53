package io.javelin.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NoProcessLeftBehindTest
{
    private static final long SHORT_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(200);

    @Test
    void shouldPassWhenEveryChildHasExited() throws Exception
    {
        final Process child = new ProcessBuilder("true").start();
        assertTrue(child.waitFor(10, TimeUnit.SECONDS), "true did not exit");

        new NoProcessLeftBehind(SHORT_WAIT_NS).afterEach(null);
    }

    @Test
    void shouldFailAndDestroyAChildLeftRunning() throws IOException, InterruptedException
    {
        final Process child = new ProcessBuilder("sleep", "60").start();
        try
        {
            final AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                () -> new NoProcessLeftBehind(SHORT_WAIT_NS).afterEach(null));

            assertTrue(failure.getMessage().contains(Long.toString(child.pid())), failure.getMessage());
            assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the child left behind was not destroyed");
            assertFalse(child.isAlive());
        }
        finally
        {
            child.destroyForcibly();
        }
    }
}
