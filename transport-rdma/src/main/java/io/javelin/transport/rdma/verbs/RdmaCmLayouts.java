package io.javelin.transport.rdma.verbs;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.Map;

import static io.javelin.transport.rdma.verbs.Layouts.bytes;
import static io.javelin.transport.rdma.verbs.Layouts.offset;
import static io.javelin.transport.rdma.verbs.Layouts.pad;
import static io.javelin.transport.rdma.verbs.Layouts.pointer;
import static io.javelin.transport.rdma.verbs.Layouts.u16;
import static io.javelin.transport.rdma.verbs.Layouts.u32;
import static io.javelin.transport.rdma.verbs.Layouts.u64;
import static io.javelin.transport.rdma.verbs.Layouts.u8;

/**
 * The structs of {@code <rdma/rdma_cma.h>} and the few libc structs the bindings use, as checked by
 * {@code VerbsLayoutTest} against the installed headers (see {@link IbvLayouts}).
 */
final class RdmaCmLayouts
{
    /** {@code struct rdma_event_channel}. */
    static final StructLayout EVENT_CHANNEL = MemoryLayout.structLayout(
        u32("fd")).withName("rdma_event_channel");
    static final long EVENT_CHANNEL_FD = offset(EVENT_CHANNEL, "fd");

    /** {@code struct rdma_cm_id}: the route (addresses, path records) is padding; the bindings ask functions. */
    static final StructLayout CM_ID = MemoryLayout.structLayout(
        pointer("verbs"),
        pointer("channel"),
        pointer("context"),
        pointer("qp"),
        pad(312).withName("route"),
        u32("ps"),
        u8("port_num"),
        pad(3),
        pointer("event"),
        pointer("send_cq_channel"),
        pointer("send_cq"),
        pointer("recv_cq_channel"),
        pointer("recv_cq"),
        pointer("srq"),
        pointer("pd"),
        u32("qp_type"),
        pad(4)).withName("rdma_cm_id");
    static final long CM_ID_VERBS = offset(CM_ID, "verbs");
    static final long CM_ID_CONTEXT = offset(CM_ID, "context");
    static final long CM_ID_QP = offset(CM_ID, "qp");
    static final long CM_ID_PORT_NUM = offset(CM_ID, "port_num");

    /** {@code struct rdma_conn_param}. */
    static final StructLayout CONN_PARAM = MemoryLayout.structLayout(
        pointer("private_data"),
        u8("private_data_len"),
        u8("responder_resources"),
        u8("initiator_depth"),
        u8("flow_control"),
        u8("retry_count"),
        u8("rnr_retry_count"),
        u8("srq"),
        pad(1),
        u32("qp_num"),
        pad(4)).withName("rdma_conn_param");
    static final long CONN_PARAM_PRIVATE_DATA = offset(CONN_PARAM, "private_data");
    static final long CONN_PARAM_PRIVATE_DATA_LEN = offset(CONN_PARAM, "private_data_len");
    static final long CONN_PARAM_RESPONDER_RESOURCES = offset(CONN_PARAM, "responder_resources");
    static final long CONN_PARAM_INITIATOR_DEPTH = offset(CONN_PARAM, "initiator_depth");
    static final long CONN_PARAM_FLOW_CONTROL = offset(CONN_PARAM, "flow_control");
    static final long CONN_PARAM_RETRY_COUNT = offset(CONN_PARAM, "retry_count");
    static final long CONN_PARAM_RNR_RETRY_COUNT = offset(CONN_PARAM, "rnr_retry_count");

    /** {@code struct rdma_cm_event}: the {@code param} union is as large as its {@code ud} member. */
    static final StructLayout CM_EVENT = MemoryLayout.structLayout(
        pointer("id"),
        pointer("listen_id"),
        u32("event"),
        u32("status"),
        MemoryLayout.unionLayout(
            CONN_PARAM.withName("conn"),
            MemoryLayout.structLayout(pointer("private_data"), u8("private_data_len"), pad(7 + 32),
                u32("qp_num"), u32("qkey")).withName("ud")).withName("param")).withName("rdma_cm_event");
    static final long CM_EVENT_ID = offset(CM_EVENT, "id");
    static final long CM_EVENT_LISTEN_ID = offset(CM_EVENT, "listen_id");
    static final long CM_EVENT_EVENT = offset(CM_EVENT, "event");
    static final long CM_EVENT_STATUS = offset(CM_EVENT, "status");
    static final long CM_EVENT_CONN = offset(CM_EVENT, "param.conn");

    /** {@code struct sockaddr_in}: port and address in network byte order. */
    static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
        u16("sin_family"),
        u16("sin_port"),
        u32("sin_addr"),
        bytes("sin_zero", 8)).withName("sockaddr_in");

    /** {@code struct sockaddr_in6}. */
    static final StructLayout SOCKADDR_IN6 = MemoryLayout.structLayout(
        u16("sin6_family"),
        u16("sin6_port"),
        u32("sin6_flowinfo"),
        bytes("sin6_addr", 16),
        u32("sin6_scope_id")).withName("sockaddr_in6");

    /** {@code struct pollfd}. */
    static final StructLayout POLLFD = MemoryLayout.structLayout(
        u32("fd"),
        u16("events"),
        u16("revents")).withName("pollfd");

    /** {@code struct rlimit}. */
    static final StructLayout RLIMIT = MemoryLayout.structLayout(
        u64("rlim_cur"),
        u64("rlim_max")).withName("rlimit");

    /** Every struct above by its C name, for the layout test. */
    static final Map<String, StructLayout> ALL = Map.of(
        "rdma_event_channel", EVENT_CHANNEL,
        "rdma_cm_id", CM_ID,
        "rdma_conn_param", CONN_PARAM,
        "rdma_cm_event", CM_EVENT,
        "sockaddr_in", SOCKADDR_IN,
        "sockaddr_in6", SOCKADDR_IN6,
        "pollfd", POLLFD,
        "rlimit", RLIMIT);

    private RdmaCmLayouts()
    {
    }
}
