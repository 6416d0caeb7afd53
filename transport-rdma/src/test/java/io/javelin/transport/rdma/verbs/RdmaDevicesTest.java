package io.javelin.transport.rdma.verbs;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Device discovery through the real libibverbs: on a machine without devices it must say so and name the fix;
 * where devices exist (the soft-RoCE VM) every device must show its ports and GIDs.
 */
class RdmaDevicesTest
{
    @Test
    void shouldListDevicesOrSayWhyThereAreNone()
    {
        final List<RdmaDevices.Device> devices = RdmaDevices.list();
        final String reason = RdmaDevices.unavailableReason();
        if (devices.isEmpty())
        {
            assertNotNull(reason, "no devices must give a reason");
            assertTrue(reason.contains("ibv_get_device_list returned 0 devices"), reason);
            assertTrue(reason.contains("rdma_rxe") && reason.contains("--transport tcp"), reason);
            return;
        }
        for (final RdmaDevices.Device device : devices)
        {
            assertFalse(device.name().isBlank(), "device name");
            assertEquals(device.attributes().portCount(), device.ports().size(), device.name() + " ports");
            for (final RdmaDevices.Port port : device.ports())
            {
                if (port.isActive())
                {
                    assertTrue(port.activeMtuBytes() >= 256, device.name() + " port MTU");
                    assertNotNull(port.preferredGid(), device.name() + " port " + port.number() + " has no GID");
                }
            }
        }
        if (devices.stream().anyMatch(device -> device.ports().stream().anyMatch(RdmaDevices.Port::isActive)))
        {
            assertNull(reason, "an active port makes RDMA available");
        }
    }

    @Test
    void shouldReportTheMemoryLockLimitWithAdvice()
    {
        final long limit = MemoryLockLimit.softLimitBytes();
        assertTrue(MemoryLockLimit.UNLIMITED == limit || limit >= 0, "limit " + limit);
        assertNull(MemoryLockLimit.check(0), "registering nothing never exceeds the limit");
        assertTrue(MemoryLockLimit.advice(1L << 40).contains("ulimit -l"), "advice names ulimit -l");
    }
}
