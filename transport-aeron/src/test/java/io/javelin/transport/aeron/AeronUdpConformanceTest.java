package io.javelin.transport.aeron;

import io.javelin.transport.Transport;
import io.javelin.transport.TransportContext;
import io.javelin.transport.conformance.TransportConformanceTest;

import java.util.Map;

/**
 * Runs the conformance suite over Aeron UDP (loopback), with one-sided operations carried out by the
 * target's progress engine (single copy off).
 */
class AeronUdpConformanceTest extends TransportConformanceTest
{
    @Override
    protected Transport createTransport(final TransportContext context)
    {
        return new AeronTransport(context);
    }

    @Override
    protected Map<String, String> properties()
    {
        return Map.of(AeronConfiguration.MEDIA_PROP_NAME, "udp", AeronConfiguration.CMA_PROP_NAME, "off",
            AeronConfiguration.CONNECT_TIMEOUT_PROP_NAME, "20000");
    }
}
