package io.javelin.transport.rdma.verbs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The RDMA devices of this machine as libibverbs sees them: attributes, ports and GID tables. Opens each
 * device briefly ({@code ibv_open_device}, queries, {@code ibv_close_device}); nothing stays open.
 */
public final class RdmaDevices
{
    /** {@code IBV_PORT_ACTIVE}. */
    public static final int PORT_ACTIVE = 4;
    /** {@code IBV_LINK_LAYER_ETHERNET} (RoCE). */
    public static final int LINK_LAYER_ETHERNET = 2;
    /** {@code IBV_GID_TYPE_ROCE_V2}. */
    public static final int GID_TYPE_ROCE_V2 = 2;
    private static final int MAX_GIDS = 256;

    private RdmaDevices()
    {
    }

    /**
     * A device's limits, from {@code ibv_query_device}.
     *
     * @param firmware          firmware version text.
     * @param maxMrSize         largest memory registration, bytes.
     * @param maxQp             queue pairs.
     * @param maxQpWr           work requests per queue.
     * @param maxSge            scatter/gather entries per work request.
     * @param maxCqe            entries per completion queue.
     * @param maxQpRdAtom       RDMA reads a queue pair can serve at once (responder resources).
     * @param maxQpInitRdAtom   RDMA reads a queue pair can have outstanding (initiator depth).
     * @param portCount         physical ports.
     */
    public record Attributes(String firmware, long maxMrSize, int maxQp, int maxQpWr, int maxSge, int maxCqe,
        int maxQpRdAtom, int maxQpInitRdAtom, int portCount)
    {
    }

    /**
     * One GID table entry.
     *
     * @param index   its index in the port's table.
     * @param raw     the 16 GID bytes.
     * @param type    {@code IBV_GID_TYPE_IB}, {@code _ROCE_V1} or {@code _ROCE_V2}.
     * @param ifindex the network interface it belongs to (RoCE), else 0.
     */
    public record Gid(int index, byte[] raw, int type, int ifindex)
    {
        /**
         * @return the IP address a RoCE GID encodes (IPv4-mapped GIDs give the IPv4 address).
         */
        public InetAddress ipAddress()
        {
            try
            {
                return InetAddress.getByAddress(raw);
            }
            catch (final UnknownHostException ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        /**
         * @return whether this GID is an IPv4-mapped IPv6 address (::ffff:a.b.c.d).
         */
        public boolean isIpv4Mapped()
        {
            for (int i = 0; i < 10; i++)
            {
                if (0 != raw[i])
                {
                    return false;
                }
            }
            return (byte)0xFF == raw[10] && (byte)0xFF == raw[11];
        }

        /**
         * @return "IB", "RoCE v1" or "RoCE v2".
         */
        public String typeName()
        {
            return switch (type)
            {
                case 0 -> "IB";
                case 1 -> "RoCE v1";
                case GID_TYPE_ROCE_V2 -> "RoCE v2";
                default -> "type " + type;
            };
        }

        @Override
        public String toString()
        {
            return "GID[" + index + "] " + typeName() + " " + ipAddress().getHostAddress();
        }
    }

    /**
     * One port, from {@code ibv_query_port} and its GID table.
     *
     * @param number     port number (from 1).
     * @param state      {@code enum ibv_port_state}; {@link #PORT_ACTIVE} when usable.
     * @param maxMtu     {@code enum ibv_mtu} the port supports.
     * @param activeMtu  {@code enum ibv_mtu} in force: the path MTU connections get.
     * @param linkLayer  1 InfiniBand, 2 Ethernet (RoCE).
     * @param maxMessage largest message, bytes.
     * @param gids       the non-empty GID entries.
     */
    public record Port(int number, int state, int maxMtu, int activeMtu, int linkLayer, long maxMessage,
        List<Gid> gids)
    {
        /**
         * @return whether the port is up.
         */
        public boolean isActive()
        {
            return PORT_ACTIVE == state;
        }

        /**
         * @return the active MTU in bytes (256 to 4096).
         */
        public int activeMtuBytes()
        {
            return mtuBytes(activeMtu);
        }

        /**
         * Chooses the GID connections use: RoCE v2 with an IPv4-mapped address first (routable, what RDMA CM
         * resolves for an IPv4 peer), then any RoCE v2, then the first entry (InfiniBand).
         *
         * @return the GID, or null when the table is empty.
         */
        public Gid preferredGid()
        {
            Gid anyRoceV2 = null;
            for (final Gid gid : gids)
            {
                if (GID_TYPE_ROCE_V2 == gid.type())
                {
                    if (gid.isIpv4Mapped())
                    {
                        return gid;
                    }
                    anyRoceV2 = null == anyRoceV2 ? gid : anyRoceV2;
                }
            }
            return null != anyRoceV2 ? anyRoceV2 : gids.isEmpty() ? null : gids.getFirst();
        }
    }

    /**
     * One device.
     *
     * @param name       kernel name, e.g. {@code rxe0} or {@code mlx5_0}.
     * @param attributes its limits.
     * @param ports      its ports.
     */
    public record Device(String name, Attributes attributes, List<Port> ports)
    {
    }

    /**
     * @param mtu an {@code enum ibv_mtu} value (1 = 256 ... 5 = 4096).
     * @return bytes.
     */
    public static int mtuBytes(final int mtu)
    {
        return mtu >= 1 && mtu <= 5 ? 128 << mtu : 0;
    }

    /**
     * @return null when at least one device has an active port, else why RDMA cannot run here and the fix.
     */
    public static String unavailableReason()
    {
        final String library = NativeAccess.unavailableReason();
        if (null != library)
        {
            return library;
        }
        final List<Device> devices;
        try
        {
            devices = list();
        }
        catch (final VerbsException ex)
        {
            return ex.getMessage();
        }
        if (devices.isEmpty())
        {
            return "ibv_get_device_list returned 0 devices: load rdma_rxe (deploy/softroce/setup-softroce.sh) " +
                "or use --transport tcp";
        }
        for (final Device device : devices)
        {
            for (final Port port : device.ports())
            {
                if (port.isActive())
                {
                    return null;
                }
            }
        }
        return "no RDMA device has an active port (" + devices.stream().map(Device::name).toList() +
            "): check the link (ibv_devinfo) or use --transport tcp";
    }

    /**
     * @return every device libibverbs finds, with attributes, ports and GIDs; empty when there is none.
     * @throws VerbsException when a device cannot be opened or queried; the message names the fix.
     */
    public static List<Device> list()
    {
        final String library = NativeAccess.unavailableReason();
        if (null != library)
        {
            throw new VerbsException(library, 0);
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            final MemorySegment state = NativeAccess.callState(arena);
            final MemorySegment list = (MemorySegment)Ibv.GET_DEVICE_LIST.invokeExact(state, count);
            if (MemorySegment.NULL.equals(list))
            {
                // no /sys/class/infiniband (ENOSYS) or no devices: both mean "none here"
                return List.of();
            }
            try
            {
                final int n = count.get(ValueLayout.JAVA_INT, 0);
                final MemorySegment devices = list.reinterpret((long)n * ValueLayout.ADDRESS.byteSize());
                final List<Device> result = new ArrayList<>();
                for (int i = 0; i < n; i++)
                {
                    result.add(describe(devices.getAtIndex(ValueLayout.ADDRESS, i)));
                }
                return result;
            }
            finally
            {
                Ibv.FREE_DEVICE_LIST.invokeExact(list);
            }
        }
        catch (final Throwable ex)
        {
            throw NativeAccess.rethrow(ex);
        }
    }

    private static Device describe(final MemorySegment device) throws Throwable
    {
        final String name = NativeAccess.string((MemorySegment)Ibv.GET_DEVICE_NAME.invokeExact(device));
        final MemorySegment context = Ibv.pointerOrThrow("ibv_open_device(" + name + ")",
            "check that /dev/infiniband/uverbs* exists and is readable and writable by this user",
            state -> (MemorySegment)Ibv.OPEN_DEVICE.invokeExact(state, device));
        try (Arena arena = Arena.ofConfined())
        {
            final Attributes attributes = queryAttributes(context, name);
            final List<Port> ports = new ArrayList<>();
            for (int port = 1; port <= attributes.portCount(); port++)
            {
                ports.add(queryPort(arena, context, name, port));
            }
            return new Device(name, attributes, List.copyOf(ports));
        }
        finally
        {
            final int closed = (int)Ibv.CLOSE_DEVICE.invokeExact(context);
            assert 0 == closed : "ibv_close_device returned " + closed;
        }
    }

    static Attributes queryAttributes(final MemorySegment context, final String name)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment attr = arena.allocate(IbvLayouts.DEVICE_ATTR);
            Ibv.check("ibv_query_device(" + name + ")", (int)Ibv.QUERY_DEVICE.invokeExact(context, attr), "");
            return new Attributes(
                attr.getString(0),
                attr.get(ValueLayout.JAVA_LONG, Layouts.offset(IbvLayouts.DEVICE_ATTR, "max_mr_size")),
                intField(attr, "max_qp"), intField(attr, "max_qp_wr"), intField(attr, "max_sge"),
                intField(attr, "max_cqe"), intField(attr, "max_qp_rd_atom"), intField(attr, "max_qp_init_rd_atom"),
                Byte.toUnsignedInt(attr.get(ValueLayout.JAVA_BYTE,
                Layouts.offset(IbvLayouts.DEVICE_ATTR, "phys_port_cnt"))));
        }
        catch (final Throwable ex)
        {
            throw NativeAccess.rethrow(ex);
        }
    }

    private static Port queryPort(final Arena arena, final MemorySegment context, final String name, final int port)
        throws Throwable
    {
        final MemorySegment attr = arena.allocate(IbvLayouts.PORT_ATTR);
        Ibv.check("ibv_query_port(" + name + ", " + port + ")",
            (int)Ibv.QUERY_PORT.invokeExact(context, (byte)port, attr), "");
        final MemorySegment entry = arena.allocate(IbvLayouts.GID_ENTRY);
        final int tableLength = Math.min(MAX_GIDS, portInt(attr, "gid_tbl_len"));
        final List<Gid> gids = new ArrayList<>();
        for (int index = 0; index < tableLength; index++)
        {
            final int result = (int)Ibv.QUERY_GID_EX.invokeExact(context, port, index, entry, 0,
                IbvLayouts.GID_ENTRY.byteSize());
            final byte[] raw = entry.asSlice(0, 16).toArray(ValueLayout.JAVA_BYTE);
            if (0 == result && !Arrays.equals(raw, new byte[16]))
            {
                gids.add(new Gid(index, raw, gidInt(entry, "gid_type"), gidInt(entry, "ndev_ifindex")));
            }
        }
        return new Port(port, portInt(attr, "state"), portInt(attr, "max_mtu"), portInt(attr, "active_mtu"),
            Byte.toUnsignedInt(attr.get(ValueLayout.JAVA_BYTE, Layouts.offset(IbvLayouts.PORT_ATTR, "link_layer"))),
            Integer.toUnsignedLong(portInt(attr, "max_msg_sz")), List.copyOf(gids));
    }

    private static int intField(final MemorySegment attr, final String field)
    {
        return attr.get(ValueLayout.JAVA_INT, Layouts.offset(IbvLayouts.DEVICE_ATTR, field));
    }

    private static int portInt(final MemorySegment attr, final String field)
    {
        return attr.get(ValueLayout.JAVA_INT, Layouts.offset(IbvLayouts.PORT_ATTR, field));
    }

    private static int gidInt(final MemorySegment entry, final String field)
    {
        return entry.get(ValueLayout.JAVA_INT, Layouts.offset(IbvLayouts.GID_ENTRY, field));
    }
}
