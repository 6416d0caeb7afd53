package io.javelin.transport.rdma.verbs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * An RDMA CM id ({@code struct rdma_cm_id}, port space TCP): a listening endpoint or one side of an RC
 * connection, with the queue pair made on it. Active side: {@link #resolveAddress}, then on ADDR_RESOLVED
 * {@link #resolveRoute}, on ROUTE_RESOLVED {@link #createQueuePair} and {@link #connect}. Passive side:
 * {@link #bind}, {@link #listen}; each CONNECT_REQUEST brings a new id ({@link #adopt}) to accept or reject.
 * Events arrive on the {@link CmEventChannel}. Owned by one object; close after destroying its queue pair.
 */
public final class CmId implements AutoCloseable
{
    private static final int RDMA_PS_TCP = 0x0106;
    private static final short AF_INET = 2;
    private static final short AF_INET6 = 10;
    private static final int SOCKADDR_STORAGE_BYTES = 128;
    private static final int IBV_QPT_RC = 2;

    private final MemorySegment id;
    private boolean hasQueuePair;
    private boolean closed;

    private CmId(final MemorySegment id)
    {
        this.id = id.reinterpret(RdmaCmLayouts.CM_ID.byteSize());
    }

    /**
     * @param channel where the id's events go.
     * @return a new id, owned by the caller.
     */
    public static CmId create(final CmEventChannel channel)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            RdmaCm.callOrThrow("rdma_create_id", "", state -> (int)RdmaCm.CREATE_ID.invokeExact(state,
                channel.channel, out, MemorySegment.NULL, RDMA_PS_TCP));
            return new CmId(out.get(ValueLayout.ADDRESS, 0));
        }
    }

    /**
     * @param address the id a CONNECT_REQUEST event brought ({@link CmEvent#id()}).
     * @return an object owning it: accept or reject it, and close it in the end.
     */
    public static CmId adopt(final long address)
    {
        return new CmId(MemorySegment.ofAddress(address));
    }

    /**
     * @return the id's address, as {@link CmEvent#id()} reports it.
     */
    public long address()
    {
        return id.address();
    }

    /**
     * @return the device context the id is bound to (after bind or address resolution).
     */
    public VerbsContext context()
    {
        return new VerbsContext(id.get(ValueLayout.ADDRESS, RdmaCmLayouts.CM_ID_VERBS));
    }

    /**
     * @return the device port the id is bound to.
     */
    public int portNumber()
    {
        return Byte.toUnsignedInt(id.get(ValueLayout.JAVA_BYTE, RdmaCmLayouts.CM_ID_PORT_NUM));
    }

    /**
     * @param address local IP address and port (0 picks a free port).
     * @throws VerbsException when the address belongs to no RDMA device.
     */
    public void bind(final InetSocketAddress address)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment sockaddr = sockaddr(arena, address);
            RdmaCm.callOrThrow("rdma_bind_addr(" + address + ")", "give an IP address of an RDMA-capable interface " +
                "(javelin.rdma.address; ibv_devinfo and 'rdma link' show them)",
                state -> (int)RdmaCm.BIND_ADDR.invokeExact(state, id, sockaddr));
        }
    }

    /**
     * @param backlog pending connection requests.
     */
    public void listen(final int backlog)
    {
        RdmaCm.callOrThrow("rdma_listen", "", state -> (int)RdmaCm.LISTEN.invokeExact(state, id, backlog));
    }

    /**
     * @return the local port in host order (after bind or listen).
     */
    public int localPort()
    {
        try
        {
            return Short.toUnsignedInt(Short.reverseBytes((short)RdmaCm.GET_SRC_PORT.invokeExact(id)));
        }
        catch (final Throwable ex)
        {
            throw NativeAccess.rethrow(ex);
        }
    }

    /**
     * Starts address resolution; ADDR_RESOLVED or ADDR_ERROR follows within {@code timeoutMs}.
     *
     * @param source      local address to resolve from (port 0), or null.
     * @param destination the peer's listening address.
     * @param timeoutMs   time limit.
     * @return 0 or the errno of the failed start.
     */
    public int resolveAddress(final InetSocketAddress source, final InetSocketAddress destination,
        final int timeoutMs)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment src = null == source ? MemorySegment.NULL : sockaddr(arena, source);
            final MemorySegment dst = sockaddr(arena, destination);
            return RdmaCm.call(state -> (int)RdmaCm.RESOLVE_ADDR.invokeExact(state, id, src, dst, timeoutMs));
        }
    }

    /**
     * Starts route resolution; ROUTE_RESOLVED or ROUTE_ERROR follows within {@code timeoutMs}.
     *
     * @return 0 or the errno of the failed start.
     */
    public int resolveRoute(final int timeoutMs)
    {
        return RdmaCm.call(state -> (int)RdmaCm.RESOLVE_ROUTE.invokeExact(state, id, timeoutMs));
    }

    /**
     * Creates the RC queue pair of this id on its device.
     *
     * @param pd             protection domain (of the id's device).
     * @param sendCq         completion queue for sends, writes and reads.
     * @param receiveCq      completion queue for receives.
     * @param sendDepth      send work requests outstanding at most.
     * @param receiveDepth   receives posted at most.
     * @param maxInlineBytes inline data asked for.
     * @return the queue pair; destroyed by {@link #destroyQueuePair()} or {@link #close()}.
     */
    public QueuePair createQueuePair(final ProtectionDomain pd, final CompletionQueue sendCq,
        final CompletionQueue receiveCq, final int sendDepth, final int receiveDepth, final int maxInlineBytes)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment attr = arena.allocate(IbvLayouts.QP_INIT_ATTR);
            attr.set(ValueLayout.ADDRESS, Layouts.offset(IbvLayouts.QP_INIT_ATTR, "send_cq"), sendCq.cq);
            attr.set(ValueLayout.ADDRESS, Layouts.offset(IbvLayouts.QP_INIT_ATTR, "recv_cq"), receiveCq.cq);
            attr.set(ValueLayout.JAVA_INT, Layouts.offset(IbvLayouts.QP_INIT_ATTR, "cap.max_send_wr"), sendDepth);
            attr.set(ValueLayout.JAVA_INT, Layouts.offset(IbvLayouts.QP_INIT_ATTR, "cap.max_recv_wr"), receiveDepth);
            attr.set(ValueLayout.JAVA_INT, Layouts.offset(IbvLayouts.QP_INIT_ATTR, "cap.max_send_sge"), 1);
            attr.set(ValueLayout.JAVA_INT, Layouts.offset(IbvLayouts.QP_INIT_ATTR, "cap.max_recv_sge"), 1);
            attr.set(ValueLayout.JAVA_INT, Layouts.offset(IbvLayouts.QP_INIT_ATTR, "cap.max_inline_data"),
                maxInlineBytes);
            attr.set(ValueLayout.JAVA_INT, Layouts.offset(IbvLayouts.QP_INIT_ATTR, "qp_type"), IBV_QPT_RC);
            attr.set(ValueLayout.JAVA_INT, Layouts.offset(IbvLayouts.QP_INIT_ATTR, "sq_sig_all"), 0);
            RdmaCm.callOrThrow("rdma_create_qp(send " + sendDepth + ", receive " + receiveDepth + ", inline " +
                maxInlineBytes + ")", "ask for smaller queues (javelin.rdma.*.depth)",
                state -> (int)RdmaCm.CREATE_QP.invokeExact(state, id, pd.pd, attr));
            hasQueuePair = true;
            final MemorySegment qp = id.get(ValueLayout.ADDRESS, RdmaCmLayouts.CM_ID_QP);
            return new QueuePair(pd.context(), qp,
                attr.get(ValueLayout.JAVA_INT, Layouts.offset(IbvLayouts.QP_INIT_ATTR, "cap.max_inline_data")),
                attr.get(ValueLayout.JAVA_INT, Layouts.offset(IbvLayouts.QP_INIT_ATTR, "cap.max_send_wr")),
                attr.get(ValueLayout.JAVA_INT, Layouts.offset(IbvLayouts.QP_INIT_ATTR, "cap.max_recv_wr")));
        }
    }

    /**
     * Sends the connection request (active side, after ROUTE_RESOLVED and {@link #createQueuePair}).
     *
     * @param privateData        bytes the peer sees in its CONNECT_REQUEST (at most 56).
     * @param responderResources RDMA reads this side serves at once.
     * @param initiatorDepth     RDMA reads this side has outstanding at most.
     * @param rnrRetry           receiver-not-ready retries (7 would mean forever; stay below).
     * @return 0 or the errno.
     */
    public int connect(final byte[] privateData, final int responderResources, final int initiatorDepth,
        final int rnrRetry)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment param = connParam(arena, privateData, responderResources, initiatorDepth, rnrRetry);
            return RdmaCm.call(state -> (int)RdmaCm.CONNECT.invokeExact(state, id, param));
        }
    }

    /**
     * Accepts a connection request (passive side, after {@link #createQueuePair}).
     *
     * @return 0 or the errno.
     */
    public int accept(final byte[] privateData, final int responderResources, final int initiatorDepth,
        final int rnrRetry)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment param = connParam(arena, privateData, responderResources, initiatorDepth, rnrRetry);
            return RdmaCm.call(state -> (int)RdmaCm.ACCEPT.invokeExact(state, id, param));
        }
    }

    /**
     * Refuses a connection request; the peer gets REJECTED with these bytes.
     *
     * @return 0 or the errno.
     */
    public int reject(final byte[] privateData)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment data = arena.allocateFrom(ValueLayout.JAVA_BYTE, privateData);
            return RdmaCm.call(state -> (int)RdmaCm.REJECT.invokeExact(state, id, data, (byte)privateData.length));
        }
    }

    /**
     * Starts an orderly disconnect: moves the queue pair to the error state (outstanding work requests
     * complete with flush errors) and tells the peer.
     *
     * @return 0 or the errno (EINVAL when not connected).
     */
    public int disconnect()
    {
        return RdmaCm.call(state -> (int)RdmaCm.DISCONNECT.invokeExact(state, id));
    }

    /**
     * Destroys the queue pair made by {@link #createQueuePair}, if any. Idempotent.
     */
    public void destroyQueuePair()
    {
        if (hasQueuePair)
        {
            hasQueuePair = false;
            try
            {
                RdmaCm.DESTROY_QP.invokeExact(MemorySegment.ofAddress(id.address()));
            }
            catch (final Throwable ex)
            {
                throw NativeAccess.rethrow(ex);
            }
        }
    }

    /**
     * Destroys the queue pair, if any, then the id. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        destroyQueuePair();
        RdmaCm.callOrThrow("rdma_destroy_id", "", state -> (int)RdmaCm.DESTROY_ID.invokeExact(state, id));
    }

    private static MemorySegment connParam(final Arena arena, final byte[] privateData, final int responderResources,
        final int initiatorDepth, final int rnrRetry)
    {
        final MemorySegment param = arena.allocate(RdmaCmLayouts.CONN_PARAM);
        param.set(ValueLayout.ADDRESS, RdmaCmLayouts.CONN_PARAM_PRIVATE_DATA,
            arena.allocateFrom(ValueLayout.JAVA_BYTE, privateData));
        param.set(ValueLayout.JAVA_BYTE, RdmaCmLayouts.CONN_PARAM_PRIVATE_DATA_LEN, (byte)privateData.length);
        param.set(ValueLayout.JAVA_BYTE, RdmaCmLayouts.CONN_PARAM_RESPONDER_RESOURCES, (byte)responderResources);
        param.set(ValueLayout.JAVA_BYTE, RdmaCmLayouts.CONN_PARAM_INITIATOR_DEPTH, (byte)initiatorDepth);
        param.set(ValueLayout.JAVA_BYTE, RdmaCmLayouts.CONN_PARAM_FLOW_CONTROL, (byte)1);
        param.set(ValueLayout.JAVA_BYTE, RdmaCmLayouts.CONN_PARAM_RETRY_COUNT, (byte)7);
        param.set(ValueLayout.JAVA_BYTE, RdmaCmLayouts.CONN_PARAM_RNR_RETRY_COUNT, (byte)rnrRetry);
        return param;
    }

    /**
     * @return a {@code struct sockaddr_in} or {@code sockaddr_in6} in a 128-byte (sockaddr_storage) segment.
     */
    static MemorySegment sockaddr(final Arena arena, final InetSocketAddress address)
    {
        final MemorySegment sockaddr = arena.allocate(SOCKADDR_STORAGE_BYTES, 8);
        final InetAddress ip = address.getAddress();
        final byte[] raw = ip.getAddress();
        final short port = Short.reverseBytes((short)address.getPort());
        if (ip instanceof Inet4Address)
        {
            sockaddr.set(ValueLayout.JAVA_SHORT, Layouts.offset(RdmaCmLayouts.SOCKADDR_IN, "sin_family"), AF_INET);
            sockaddr.set(ValueLayout.JAVA_SHORT, Layouts.offset(RdmaCmLayouts.SOCKADDR_IN, "sin_port"), port);
            MemorySegment.copy(raw, 0, sockaddr, ValueLayout.JAVA_BYTE,
                Layouts.offset(RdmaCmLayouts.SOCKADDR_IN, "sin_addr"), 4);
        }
        else
        {
            sockaddr.set(ValueLayout.JAVA_SHORT, Layouts.offset(RdmaCmLayouts.SOCKADDR_IN6, "sin6_family"), AF_INET6);
            sockaddr.set(ValueLayout.JAVA_SHORT, Layouts.offset(RdmaCmLayouts.SOCKADDR_IN6, "sin6_port"), port);
            MemorySegment.copy(raw, 0, sockaddr, ValueLayout.JAVA_BYTE,
                Layouts.offset(RdmaCmLayouts.SOCKADDR_IN6, "sin6_addr"), 16);
        }
        return sockaddr;
    }
}
