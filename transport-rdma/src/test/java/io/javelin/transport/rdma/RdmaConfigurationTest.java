package io.javelin.transport.rdma;

import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportException;
import io.javelin.transport.conformance.RecordingListener;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading and checking the RDMA settings; an explicit address keeps device discovery out of it, so this runs
 * without an RDMA device.
 */
class RdmaConfigurationTest
{
    @Test
    void shouldTakeTheDeclaredDefaults()
    {
        final RdmaConfiguration configuration = RdmaConfiguration.from(context(Map.of()));

        assertEquals(RdmaConfiguration.EAGER_LIMIT_DEFAULT_BYTES, configuration.eagerLimitBytes);
        assertEquals(RdmaConfiguration.BUFFER_DEFAULT_BYTES, configuration.bufferBytes);
        assertEquals(RdmaConfiguration.RECEIVE_DEPTH_DEFAULT, configuration.receiveDepth);
        assertEquals(RdmaConfiguration.CONNECT_TIMEOUT_DEFAULT_MS, configuration.connectTimeoutMs);
        assertEquals("127.0.0.1", configuration.address.getHostAddress());
    }

    @Test
    void shouldReadSizesAndTakeThisRanksEntryOfAnAddressList()
    {
        final RdmaConfiguration configuration = RdmaConfiguration.from(new TransportContext(1, 2, 7L,
            new RecordingListener("rdma"), Map.of(RdmaConfiguration.ADDRESS_PROP_NAME, "127.0.0.1, 127.0.0.2",
            RdmaConfiguration.BUFFER_PROP_NAME, "64k", RdmaConfiguration.EAGER_LIMIT_PROP_NAME, "32k")));

        assertEquals("127.0.0.2", configuration.address.getHostAddress());
        assertEquals(64 * 1024, configuration.bufferBytes);
        assertEquals(32 * 1024, configuration.eagerLimitBytes);
    }

    @Test
    void shouldNameTheSettingThatIsWrong()
    {
        assertRefused(RdmaConfiguration.EAGER_LIMIT_PROP_NAME, "16k", RdmaConfiguration.BUFFER_PROP_NAME);
        assertRefused(RdmaConfiguration.RECEIVE_DEPTH_PROP_NAME, "lots", "between 2 and 16384");
        assertRefused(RdmaConfiguration.BUFFER_PROP_NAME, "512", "between 1024");
        assertRefused(RdmaConfiguration.CONNECT_TIMEOUT_PROP_NAME, "0", "between 1");
    }

    private static void assertRefused(final String key, final String value, final String fix)
    {
        final TransportException error = assertThrows(TransportException.class,
            () -> RdmaConfiguration.from(context(Map.of(key, value))), key + "=" + value);
        assertTrue(error.getMessage().contains(key) && error.getMessage().contains(fix), error.getMessage());
    }

    private static TransportContext context(final Map<String, String> settings)
    {
        final Map<String, String> properties = new HashMap<>(settings);
        properties.putIfAbsent(RdmaConfiguration.ADDRESS_PROP_NAME, "127.0.0.1");
        return new TransportContext(0, 1, 7L, new RecordingListener("rdma"), properties);
    }
}
