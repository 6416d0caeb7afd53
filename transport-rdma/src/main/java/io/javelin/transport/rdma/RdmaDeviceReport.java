package io.javelin.transport.rdma;

import io.javelin.transport.rdma.verbs.MemoryLockLimit;
import io.javelin.transport.rdma.verbs.RdmaDevices;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The RDMA devices of this machine as text for {@code javelin info}, in the spirit of {@code ibv_devinfo -v}:
 * per device its limits, per port state, link layer and active MTU, and the GID table with RoCE types. Without
 * devices (or without rdma-core) one line says why and what fixes it. Set-up code; allocates freely.
 */
public final class RdmaDeviceReport
{
    private static final String[] PORT_STATES = {"NOP", "DOWN", "INIT", "ARMED", "ACTIVE", "ACTIVE_DEFER"};

    private RdmaDeviceReport()
    {
    }

    /**
     * Opens every device briefly (as {@link RdmaDevices#list()} does) and describes it; never throws.
     *
     * @return the lines, without indentation of the whole block; never empty.
     */
    public static List<String> describeThisMachine()
    {
        final List<RdmaDevices.Device> devices;
        try
        {
            devices = RdmaDevices.list();
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return List.of("none usable: " + ex.getMessage());
        }
        final List<String> lines = new ArrayList<>(describe(devices, RdmaDeviceReport::networkInterfaceName));
        if (!devices.isEmpty())
        {
            lines.add(memoryLockLine());
        }
        return lines;
    }

    /**
     * @param devices       devices as {@link RdmaDevices#list()} returns them.
     * @param interfaceName the network interface name of an {@code ifindex}, or null when unknown.
     * @return the lines; one line naming the fix when {@code devices} is empty.
     */
    public static List<String> describe(final List<RdmaDevices.Device> devices, final IntFunction<String> interfaceName)
    {
        final List<String> lines = new ArrayList<>();
        if (devices.isEmpty())
        {
            lines.add("none: ibv_get_device_list returned 0 devices: load soft-RoCE on an Ethernet interface " +
                "(deploy/softroce/setup-softroce.sh, or modprobe rdma_rxe && rdma link add rxe0 type rxe netdev " +
                "eth0) or use --transport tcp");
            return lines;
        }
        for (final RdmaDevices.Device device : devices)
        {
            final RdmaDevices.Attributes attributes = device.attributes();
            lines.add(String.format(Locale.ROOT, "%s: firmware %s, %d port%s, max_qp %d, max_qp_wr %d, max_sge %d, " +
                "max_cqe %d, max_mr_size %d, rd_atom %d/%d", device.name(),
                attributes.firmware().isEmpty() ? "-" : attributes.firmware(), attributes.portCount(),
                attributes.portCount() == 1 ? "" : "s", attributes.maxQp(), attributes.maxQpWr(), attributes.maxSge(),
                attributes.maxCqe(), attributes.maxMrSize(), attributes.maxQpRdAtom(), attributes.maxQpInitRdAtom()));
            for (final RdmaDevices.Port port : device.ports())
            {
                lines.add(String.format(Locale.ROOT, "  port %d: %s, link layer %s, active MTU %d (max %d), " +
                    "max message %d", port.number(), portState(port.state()), linkLayer(port.linkLayer()),
                    port.activeMtuBytes(), RdmaDevices.mtuBytes(port.maxMtu()), port.maxMessage()));
                if (port.gids().isEmpty())
                {
                    lines.add("    no GID entries: give the Ethernet interface an IP address (RoCE) or check the " +
                        "subnet manager (InfiniBand)");
                }
                final RdmaDevices.Gid preferred = port.preferredGid();
                for (final RdmaDevices.Gid gid : port.gids())
                {
                    lines.add(gidLine(gid, gid == preferred, interfaceName));
                }
            }
        }
        return lines;
    }

    /**
     * @param state {@code enum ibv_port_state}.
     * @return e.g. {@code ACTIVE}.
     */
    public static String portState(final int state)
    {
        return state >= 0 && state < PORT_STATES.length ? PORT_STATES[state] : "state " + state;
    }

    /**
     * @param linkLayer {@code IBV_LINK_LAYER_*}.
     * @return {@code InfiniBand}, {@code Ethernet (RoCE)} or the number.
     */
    public static String linkLayer(final int linkLayer)
    {
        return switch (linkLayer)
        {
            case 0, 1 -> "InfiniBand";
            case RdmaDevices.LINK_LAYER_ETHERNET -> "Ethernet (RoCE)";
            default -> "type " + linkLayer;
        };
    }

    /**
     * @param raw 16 GID bytes.
     * @return the GID as {@code ibv_devinfo} prints it: eight groups of four hex digits.
     */
    public static String formatGid(final byte[] raw)
    {
        final StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < raw.length; i += 2)
        {
            if (i > 0)
            {
                text.append(':');
            }
            text.append(String.format(Locale.ROOT, "%02x%02x", raw[i], raw[i + 1]));
        }
        return text.toString();
    }

    private static String gidLine(final RdmaDevices.Gid gid, final boolean preferred,
        final IntFunction<String> interfaceName)
    {
        final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "    GID[%3d] %-8s %s",
            gid.index(), gid.typeName(), formatGid(gid.raw())));
        if (gid.isIpv4Mapped())
        {
            line.append(" (").append(gid.ipAddress().getHostAddress()).append(')');
        }
        final String name = 0 == gid.ifindex() ? null : interfaceName.apply(gid.ifindex());
        if (null != name)
        {
            line.append(" on ").append(name);
        }
        if (preferred)
        {
            line.append("  <- used by javelin");
        }
        return line.toString();
    }

    private static String memoryLockLine()
    {
        try
        {
            final long limit = MemoryLockLimit.softLimitBytes();
            return "locked-memory limit (ulimit -l): " + (MemoryLockLimit.UNLIMITED == limit ? "unlimited" :
                (limit / 1024) + " KiB") + (MemoryLockLimit.isRoot() ? " (root: not enforced)" : "");
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return "locked-memory limit unknown: " + ex.getMessage();
        }
    }

    private static String networkInterfaceName(final int ifindex)
    {
        try
        {
            final NetworkInterface networkInterface = NetworkInterface.getByIndex(ifindex);
            return null == networkInterface ? null : networkInterface.getName();
        }
        catch (final SocketException ex)
        {
            return null;
        }
    }
}
