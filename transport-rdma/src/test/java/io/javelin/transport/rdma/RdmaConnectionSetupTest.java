package io.javelin.transport.rdma;

import io.javelin.transport.TransportStatus;
import io.javelin.transport.conformance.TestMemory;
import io.javelin.transport.conformance.TransportHarness;
import io.javelin.transport.conformance.TransportHarness.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Connection set-up when every rank posts to every other at once, so RDMA CM requests cross (the lower rank's
 * connection must win and the higher rank's discarded attempt must not fail the peer). Skipped without an RDMA
 * device, like {@link RdmaTransportConformanceTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RdmaConnectionSetupTest
{
    private static final long SECRET = 0x0C0F_FEE0_1234_5678L;
    private TransportHarness harness;

    @BeforeEach
    void requireAnRdmaDevice()
    {
        final String reason = new RdmaTransportProvider().unavailableReason();
        assumeTrue(null == reason, () -> "no usable RDMA device here: " + reason);
        final String addresses = System.getenv("JAVELIN_RDMA_ADDRESS");
        harness = new TransportHarness(RdmaTransport::new,
            null == addresses ? Map.of() : Map.of(RdmaConfiguration.ADDRESS_PROP_NAME, addresses));
    }

    @AfterEach
    void close()
    {
        if (null != harness)
        {
            harness.close();
            assertEquals(List.of(), harness.violations(), "transport contract violations");
        }
    }

    @RepeatedTest(3)
    void shouldConnectEveryPairWhenAllRanksSendFirstAtOnce()
    {
        final List<Node> job = harness.startJob(3, SECRET);
        final MemorySegment message = TestMemory.heapPattern(7, 32);
        for (final Node sender : job)
        {
            for (final Node receiver : job)
            {
                if (sender != receiver)
                {
                    assertEquals(TransportStatus.OK, harness.post("send", () -> sender.endpoint(receiver.rank())
                        .send(message, 16, message, 16, 16, receiver.rank())));
                }
            }
        }
        harness.await("every rank to hear from both others", () -> job.stream()
            .allMatch(node -> node.listener().messages().size() == 2));
        harness.await("every send to complete", () -> job.stream()
            .allMatch(node -> node.listener().completionCount() == 2));
        for (final Node node : job)
        {
            assertEquals(List.of(), node.listener().failures(), "rank " + node.rank() + " saw a peer fail");
            for (final long cookie : node.listener().completions().keySet())
            {
                assertEquals(TransportStatus.OK, node.listener().status(cookie), "rank " + node.rank() + " send");
            }
        }
    }
}
