package io.javelin.transport.rdma.verbs;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One RDMA CM event, copied out of librdmacm's {@code struct rdma_cm_event} before it is acknowledged (so the
 * ids it names may be destroyed right after). Reused by {@link CmEventChannel#poll}; set-up path only.
 */
public final class CmEvent
{
    /** {@code RDMA_CM_EVENT_ADDR_RESOLVED}. */
    public static final int ADDR_RESOLVED = 0;
    /** {@code RDMA_CM_EVENT_ADDR_ERROR}. */
    public static final int ADDR_ERROR = 1;
    /** {@code RDMA_CM_EVENT_ROUTE_RESOLVED}. */
    public static final int ROUTE_RESOLVED = 2;
    /** {@code RDMA_CM_EVENT_ROUTE_ERROR}. */
    public static final int ROUTE_ERROR = 3;
    /** {@code RDMA_CM_EVENT_CONNECT_REQUEST}: {@link #id()} is a new id, owned by the receiver of the event. */
    public static final int CONNECT_REQUEST = 4;
    /** {@code RDMA_CM_EVENT_CONNECT_RESPONSE}. */
    public static final int CONNECT_RESPONSE = 5;
    /** {@code RDMA_CM_EVENT_CONNECT_ERROR}. */
    public static final int CONNECT_ERROR = 6;
    /** {@code RDMA_CM_EVENT_UNREACHABLE}. */
    public static final int UNREACHABLE = 7;
    /** {@code RDMA_CM_EVENT_REJECTED}; {@link #status()} is the reject reason, private data the peer's words. */
    public static final int REJECTED = 8;
    /** {@code RDMA_CM_EVENT_ESTABLISHED}. */
    public static final int ESTABLISHED = 9;
    /** {@code RDMA_CM_EVENT_DISCONNECTED}. */
    public static final int DISCONNECTED = 10;
    /** {@code RDMA_CM_EVENT_DEVICE_REMOVAL}. */
    public static final int DEVICE_REMOVAL = 11;
    /** {@code RDMA_CM_EVENT_TIMEWAIT_EXIT}. */
    public static final int TIMEWAIT_EXIT = 15;

    private int type = -1;
    private int status;
    private long id;
    private long listenId;
    private int responderResources;
    private int initiatorDepth;
    private byte[] privateData = new byte[0];

    void copyFrom(final MemorySegment event)
    {
        final MemorySegment e = event.reinterpret(RdmaCmLayouts.CM_EVENT.byteSize());
        type = e.get(ValueLayout.JAVA_INT, RdmaCmLayouts.CM_EVENT_EVENT);
        status = e.get(ValueLayout.JAVA_INT, RdmaCmLayouts.CM_EVENT_STATUS);
        id = e.get(ValueLayout.ADDRESS, RdmaCmLayouts.CM_EVENT_ID).address();
        listenId = e.get(ValueLayout.ADDRESS, RdmaCmLayouts.CM_EVENT_LISTEN_ID).address();
        final long conn = RdmaCmLayouts.CM_EVENT_CONN;
        responderResources = Byte.toUnsignedInt(
            e.get(ValueLayout.JAVA_BYTE, conn + RdmaCmLayouts.CONN_PARAM_RESPONDER_RESOURCES));
        initiatorDepth = Byte.toUnsignedInt(
            e.get(ValueLayout.JAVA_BYTE, conn + RdmaCmLayouts.CONN_PARAM_INITIATOR_DEPTH));
        final MemorySegment data = e.get(ValueLayout.ADDRESS, conn + RdmaCmLayouts.CONN_PARAM_PRIVATE_DATA);
        final int length = Byte.toUnsignedInt(
            e.get(ValueLayout.JAVA_BYTE, conn + RdmaCmLayouts.CONN_PARAM_PRIVATE_DATA_LEN));
        privateData = MemorySegment.NULL.equals(data) || 0 == length ? new byte[0] :
            data.reinterpret(length).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * @return the {@code RDMA_CM_EVENT_*} type.
     */
    public int type()
    {
        return type;
    }

    /**
     * @return the event's status: 0, a negative errno, or (for {@link #REJECTED}) the CM reject reason.
     */
    public int status()
    {
        return status;
    }

    /**
     * @return the address of the {@code rdma_cm_id} the event is about (see {@link CmId#address()}).
     */
    public long id()
    {
        return id;
    }

    /**
     * @return the address of the listening id, for {@link #CONNECT_REQUEST}.
     */
    public long listenId()
    {
        return listenId;
    }

    /**
     * @return responder resources the peer offered (connect request / response).
     */
    public int responderResources()
    {
        return responderResources;
    }

    /**
     * @return initiator depth the peer offered.
     */
    public int initiatorDepth()
    {
        return initiatorDepth;
    }

    /**
     * @return the private data the peer sent (copy; may be longer than what it sent, padded with zeros).
     */
    public byte[] privateData()
    {
        return privateData;
    }

    /**
     * @return librdmacm's name of the type, e.g. "RDMA_CM_EVENT_ESTABLISHED".
     */
    public String typeName()
    {
        return RdmaCm.eventName(type);
    }

    @Override
    public String toString()
    {
        return typeName() + " (status " + status + ")";
    }
}
