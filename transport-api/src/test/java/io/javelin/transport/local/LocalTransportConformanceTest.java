package io.javelin.transport.local;

import io.javelin.transport.Transport;
import io.javelin.transport.TransportContext;
import io.javelin.transport.conformance.TransportConformanceTest;

import java.util.Map;
import java.util.UUID;

/**
 * Runs the conformance suite over the in-JVM transport, each test in a fabric of its own.
 */
class LocalTransportConformanceTest extends TransportConformanceTest
{
    private final String fabric = "conformance-" + UUID.randomUUID();

    @Override
    protected Transport createTransport(final TransportContext context)
    {
        return new LocalTransport(context);
    }

    @Override
    protected Map<String, String> properties()
    {
        return Map.of(LocalTransportConfiguration.FABRIC_PROP_NAME, fabric);
    }
}
