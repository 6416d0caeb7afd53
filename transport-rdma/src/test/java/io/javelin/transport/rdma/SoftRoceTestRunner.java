package io.javelin.transport.rdma;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs JUnit test classes without Maven, for the soft-RoCE VM where a JVM start costs seconds and Maven's
 * minutes (deploy/softroce/run-in-vm.sh). Prints one line per test and a summary; exits 0 only when at least
 * one test ran, none failed, and no class was skipped as a whole (inside the VM a skipped RDMA class means the
 * device was not found, which is a failure there).
 *
 * <pre>
 *   java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *       io.javelin.transport.rdma.SoftRoceTestRunner io.javelin.transport.rdma.RdmaTransportConformanceTest
 * </pre>
 */
public final class SoftRoceTestRunner
{
    private SoftRoceTestRunner()
    {
    }

    private static String describe(final TestIdentifier test)
    {
        final String id = test.getUniqueId();
        final int method = id.indexOf("[method:");
        final int template = id.indexOf("[test-template:");
        final int start = Math.max(method, template);
        final String name = start < 0 ? "" : id.substring(id.indexOf(':', start) + 1, id.indexOf('(', start));
        return name.isEmpty() ? test.getDisplayName() : name + " " + test.getDisplayName();
    }

    /**
     * @param args fully qualified test class names.
     */
    public static void main(final String[] args)
    {
        if (0 == args.length)
        {
            System.err.println("usage: SoftRoceTestRunner <test class>...");
            System.exit(2);
        }
        final LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
            .selectors(Arrays.stream(args).map(DiscoverySelectors::selectClass).toList())
            .configurationParameter("junit.jupiter.execution.timeout.default", "120 s")
            .build();
        final Launcher launcher = LauncherFactory.create();
        final SummaryGeneratingListener summary = new SummaryGeneratingListener();
        final boolean[] classSkipped = {false};
        final Map<String, Long> startTimes = new HashMap<>();
        final long started = System.nanoTime();
        launcher.execute(request, summary, new TestExecutionListener()
        {
            @Override
            public void executionSkipped(final TestIdentifier test, final String reason)
            {
                System.out.println("SKIPPED " + test.getDisplayName() + ": " + reason);
                classSkipped[0] |= test.isContainer();
            }

            @Override
            public void executionStarted(final TestIdentifier test)
            {
                startTimes.put(test.getUniqueId(), System.nanoTime());
            }

            @Override
            public void executionFinished(final TestIdentifier test, final TestExecutionResult result)
            {
                if (test.isTest() || TestExecutionResult.Status.SUCCESSFUL != result.getStatus())
                {
                    final long ms = (System.nanoTime() - startTimes.getOrDefault(test.getUniqueId(),
                        System.nanoTime())) / 1_000_000;
                    System.out.printf("%-10s %6d ms  %s%s%n", result.getStatus(), ms, describe(test),
                        result.getThrowable().map(ex -> ": " + ex).orElse(""));
                }
            }
        });
        final TestExecutionSummary result = summary.getSummary();
        result.printTo(new PrintWriter(System.out, true));
        result.printFailuresTo(new PrintWriter(System.out, true), 40);
        System.out.printf("SoftRoceTestRunner: %d tests succeeded, %d failed, %d skipped in %.1f s%n",
            result.getTestsSucceededCount(), result.getTotalFailureCount(), result.getTestsSkippedCount(),
            (System.nanoTime() - started) / 1e9);
        final boolean ok = 0 == result.getTotalFailureCount() && result.getTestsSucceededCount() > 0 &&
            !classSkipped[0];
        System.exit(ok ? 0 : 1);
    }
}
