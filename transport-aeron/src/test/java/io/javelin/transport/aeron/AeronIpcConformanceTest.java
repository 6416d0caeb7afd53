package io.javelin.transport.aeron;

import io.javelin.transport.Transport;
import io.javelin.transport.TransportContext;
import io.javelin.transport.conformance.TransportConformanceTest;

import java.util.Map;

/**
 * Runs the conformance suite over Aeron IPC, with one-sided operations by single copy (cross-memory attach
 * within this process) where the kernel allows it.
 */
class AeronIpcConformanceTest extends TransportConformanceTest
{
    @Override
    protected Transport createTransport(final TransportContext context)
    {
        return new AeronTransport(context);
    }

    @Override
    protected Map<String, String> properties()
    {
        return Map.of(AeronConfiguration.MEDIA_PROP_NAME, "ipc", AeronConfiguration.CONNECT_TIMEOUT_PROP_NAME,
            "20000");
    }
}
