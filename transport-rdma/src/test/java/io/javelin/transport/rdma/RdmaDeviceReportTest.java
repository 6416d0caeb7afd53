package io.javelin.transport.rdma;

import io.javelin.transport.rdma.verbs.RdmaDevices;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The text {@code javelin info} prints for RDMA devices, from device records built here (this machine has no
 * RDMA device; the soft-RoCE VM shows the real thing).
 */
class RdmaDeviceReportTest
{
    private static final byte[] LINK_LOCAL = {
        (byte)0xfe, (byte)0x80, 0, 0, 0, 0, 0, 0, 0x50, 0x54, 0, (byte)0xff, (byte)0xfe, 0x12, 0x34, 0x56};
    private static final byte[] IPV4_MAPPED = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)0xff, (byte)0xff, 10, 0, 2, 15};

    @Test
    void shouldShowEachPortWithStateLinkLayerMtuAndGidTable()
    {
        final RdmaDevices.Port port = new RdmaDevices.Port(1, RdmaDevices.PORT_ACTIVE, 5, 3,
            RdmaDevices.LINK_LAYER_ETHERNET, 1L << 31, List.of(
            new RdmaDevices.Gid(0, LINK_LOCAL, 1, 2),
            new RdmaDevices.Gid(1, IPV4_MAPPED, RdmaDevices.GID_TYPE_ROCE_V2, 2)));
        final RdmaDevices.Device device = new RdmaDevices.Device("rxe0",
            new RdmaDevices.Attributes("", 1L << 40, 1024, 16384, 32, 32768, 128, 128, 1), List.of(port));

        final List<String> lines = RdmaDeviceReport.describe(List.of(device), (ifindex) -> "eth" + (ifindex - 2));

        assertTrue(lines.get(0).startsWith("rxe0: firmware -, 1 port, max_qp 1024"), lines.get(0));
        assertEquals("  port 1: ACTIVE, link layer Ethernet (RoCE), active MTU 1024 (max 4096), " +
            "max message 2147483648", lines.get(1));
        assertEquals("    GID[  0] RoCE v1  fe80:0000:0000:0000:5054:00ff:fe12:3456 on eth0", lines.get(2));
        assertEquals("    GID[  1] RoCE v2  0000:0000:0000:0000:0000:ffff:0a00:020f (10.0.2.15) on eth0" +
            "  <- used by javelin", lines.get(3));
        assertEquals(4, lines.size());
    }

    @Test
    void shouldSayWhyAPortHasNoGidAndNameStatesAndLinkLayers()
    {
        final RdmaDevices.Port down = new RdmaDevices.Port(2, 1, 5, 1, 1, 0, List.of());
        final List<String> lines = RdmaDeviceReport.describe(List.of(new RdmaDevices.Device("mlx5_0",
            new RdmaDevices.Attributes("16.35", 1, 1, 1, 1, 1, 1, 1, 2), List.of(down))), (ifindex) -> null);

        assertTrue(lines.get(0).contains("2 ports"), lines.get(0));
        assertTrue(lines.get(1).contains("DOWN, link layer InfiniBand, active MTU 256"), lines.get(1));
        assertTrue(lines.get(2).contains("no GID entries"), lines.get(2));
        assertEquals("ACTIVE_DEFER", RdmaDeviceReport.portState(5));
        assertEquals("state 9", RdmaDeviceReport.portState(9));
    }

    @Test
    void shouldNameTheFixWhenThereIsNoDevice()
    {
        final List<String> lines = RdmaDeviceReport.describe(List.of(), (ifindex) -> null);

        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("rdma_rxe") && lines.get(0).contains("--transport tcp"), lines.get(0));
    }

    @Test
    void shouldDescribeThisMachineWithoutThrowing()
    {
        final List<String> lines = RdmaDeviceReport.describeThisMachine();

        assertFalse(lines.isEmpty());
        if (RdmaDevices.list().isEmpty())
        {
            assertTrue(lines.get(0).startsWith("none"), lines.get(0));
        }
    }
}
