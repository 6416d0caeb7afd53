package io.javelin.transport.tcp;

import io.javelin.transport.Transport;
import io.javelin.transport.TransportContext;
import io.javelin.transport.conformance.TransportConformanceTest;

/**
 * Runs the transport conformance suite over {@link TcpTransport} on loopback.
 */
class TcpTransportConformanceTest extends TransportConformanceTest
{
    @Override
    protected Transport createTransport(final TransportContext context)
    {
        return new TcpTransport(context);
    }
}
