package io.javelin.transport.rdma;

import io.javelin.transport.Transport;
import io.javelin.transport.TransportContext;
import io.javelin.transport.conformance.TransportConformanceTest;
import org.junit.jupiter.api.BeforeEach;

import java.util.Map;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the conformance suite over the RDMA transport. Needs an RDMA device: without one (this is the case on
 * ordinary build machines) every test is skipped with the reason; {@code deploy/softroce/run-in-vm.sh} runs it
 * on soft-RoCE. {@code JAVELIN_RDMA_ADDRESS} (e.g. {@code 198.18.0.1,198.18.0.2}) spreads the ranks over
 * devices, so messages cross the wire between rxe0 and rxe1 instead of looping back inside one device.
 */
class RdmaTransportConformanceTest extends TransportConformanceTest
{
    private static boolean reasonPrinted;

    @BeforeEach
    void requireAnRdmaDevice()
    {
        final String reason = new RdmaTransportProvider().unavailableReason();
        if (null != reason && !reasonPrinted)
        {
            reasonPrinted = true;
            System.out.println("RdmaTransportConformanceTest: every test is skipped: " + reason);
        }
        assumeTrue(null == reason, () -> "no usable RDMA device here: " + reason);
    }

    @Override
    protected Transport createTransport(final TransportContext context)
    {
        return new RdmaTransport(context);
    }

    @Override
    protected Map<String, String> properties()
    {
        final String addresses = System.getenv("JAVELIN_RDMA_ADDRESS");
        return null == addresses ? Map.of() : Map.of(RdmaConfiguration.ADDRESS_PROP_NAME, addresses);
    }
}
