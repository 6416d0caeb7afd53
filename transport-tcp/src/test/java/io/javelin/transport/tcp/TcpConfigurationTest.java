package io.javelin.transport.tcp;

import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportException;
import io.javelin.transport.TransportListener;
import io.javelin.transport.TransportProvider;
import io.javelin.transport.conformance.RecordingListener;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpConfigurationTest
{
    private static final TransportListener LISTENER = new RecordingListener("test");

    @Test
    void shouldParseBindAddressForms()
    {
        assertEquals(new InetSocketAddress("127.0.0.1", 0), TcpConfiguration.parseBindAddress("127.0.0.1"));
        assertEquals(new InetSocketAddress("127.0.0.1", 4567), TcpConfiguration.parseBindAddress(" 127.0.0.1:4567 "));
        assertEquals(new InetSocketAddress("::1", 0), TcpConfiguration.parseBindAddress("::1"));
        assertEquals(new InetSocketAddress("::1", 80), TcpConfiguration.parseBindAddress("[::1]:80"));
    }

    @Test
    void shouldNameTheSettingAndTheFixForABadValue()
    {
        final TransportException badPort = assertThrows(TransportException.class,
            () -> TcpConfiguration.parseBindAddress("127.0.0.1:99999"));
        assertTrue(badPort.getMessage().contains(TcpConfiguration.BIND_PROP_NAME), badPort.getMessage());

        final TransportException badSize = assertThrows(TransportException.class, () -> TcpConfiguration.from(
            context(Map.of(TcpConfiguration.EAGER_LIMIT_PROP_NAME, "lots"))));
        assertTrue(badSize.getMessage().contains(TcpConfiguration.EAGER_LIMIT_PROP_NAME) &&
            badSize.getMessage().contains("64k"), badSize.getMessage());

        final TransportException badTimeout = assertThrows(TransportException.class, () -> TcpConfiguration.from(
            context(Map.of(TcpConfiguration.CONNECT_TIMEOUT_PROP_NAME, "-1"))));
        assertTrue(badTimeout.getMessage().contains(TcpConfiguration.CONNECT_TIMEOUT_PROP_NAME));
    }

    @Test
    void shouldPublishCapabilitiesWithTheConfiguredEagerLimit()
    {
        try (TcpTransport transport = new TcpTransport(context(Map.of(TcpConfiguration.EAGER_LIMIT_PROP_NAME, "8k"))))
        {
            assertEquals(8192, transport.capabilities().eagerLimitBytes());
            assertEquals(256, transport.capabilities().maxHeaderBytes());
            assertTrue(transport.capabilities().maxMessageBytes() >= (64L << 20) + 256);
            assertTrue(transport.capabilities().rmaEmulated() && transport.capabilities().requiresRegistration());
            assertEquals("tcp", transport.name());
        }
    }

    @Test
    void shouldRoundTripTheLocalAddress()
    {
        try (TcpTransport transport = new TcpTransport(context(Map.of())))
        {
            final InetSocketAddress address = TcpAddress.decode(0, transport.localAddress());
            assertEquals("127.0.0.1", address.getAddress().getHostAddress());
            assertTrue(address.getPort() > 0);
            assertArrayEquals(transport.localAddress(), TcpAddress.encode(address));
        }
        assertThrows(TransportException.class, () -> TcpAddress.decode(3, new byte[]{4, 1, 2}));
    }

    @Test
    void shouldRefuseHeapMemoryNamingTheFix()
    {
        try (TcpTransport transport = new TcpTransport(context(Map.of())))
        {
            final TransportException error = assertThrows(TransportException.class,
                () -> transport.register(MemorySegment.ofArray(new byte[64]), 0));
            assertTrue(error.getMessage().contains("native memory"), error.getMessage());
        }
    }

    @Test
    void shouldBeFoundByServiceLoader()
    {
        final TransportProvider provider = ServiceLoader.load(TransportProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(candidate -> "tcp".equals(candidate.name()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no provider named tcp"));
        assertEquals(10, provider.priority());
        assertEquals(null, provider.unavailableReason());
        assertTrue(provider instanceof TcpTransportProvider);
    }

    private static TransportContext context(final Map<String, String> properties)
    {
        return new TransportContext(0, 1, 1L, LISTENER, properties);
    }
}
