package io.javelin.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fails a test that leaves a child process of this JVM running (a rank, a launcher, {@code mpirun}): after each
 * test (and after its own {@code @AfterEach} methods) it waits up to 10 s for every descendant to exit, then
 * destroys the ones still alive and fails, naming them. Use with
 * {@code @ExtendWith(NoProcessLeftBehind.class)} on a test class that starts processes.
 *
 * <p>Shared from the test-jar of transport-api by every module whose tests start processes.
 */
public final class NoProcessLeftBehind implements AfterEachCallback
{
    private static final long EXIT_WAIT_NS = TimeUnit.SECONDS.toNanos(10);
    /** Listing the descendants reads /proc for every process: poll gently, the ranks share these cores. */
    private static final long POLL_MS = 20;

    private final long exitWaitNs;

    /**
     * What {@code @ExtendWith} creates: waits 10 s for processes to exit.
     */
    public NoProcessLeftBehind()
    {
        this(EXIT_WAIT_NS);
    }

    /**
     * @param exitWaitNs how long processes get to exit after a test, nanoseconds.
     */
    NoProcessLeftBehind(final long exitWaitNs)
    {
        this.exitWaitNs = exitWaitNs;
    }

    @Override
    public void afterEach(final ExtensionContext context) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + exitWaitNs;
        List<ProcessHandle> left = aliveDescendants();
        while (!left.isEmpty() && System.nanoTime() < deadlineNs)
        {
            Thread.sleep(POLL_MS);
            left = aliveDescendants();
        }
        left.forEach(ProcessHandle::destroyForcibly);
        assertEquals(List.of(), left, "processes left behind (destroyed now)");
    }

    private static List<ProcessHandle> aliveDescendants()
    {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
    }
}
