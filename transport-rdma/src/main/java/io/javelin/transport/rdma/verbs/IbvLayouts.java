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
 * The structs of {@code <infiniband/verbs.h>} the bindings read or write, as {@link MemoryLayout}s with the
 * field offsets the code uses. Only fields the bindings touch are named; the rest is padding of the right size.
 * {@code VerbsLayoutTest} compiles a C program against the installed headers and checks every named field's
 * offset and every struct's size against these, so a header change fails the build instead of corrupting memory.
 */
final class IbvLayouts
{
    /** {@code union ibv_gid}: 16 raw bytes. */
    static final MemoryLayout GID = bytes("raw", 16);

    /** {@code struct ibv_context}: the device, the provider's ops table, file descriptors. */
    static final StructLayout CONTEXT = MemoryLayout.structLayout(
        pointer("device"),
        MemoryLayout.structLayout(
            pad(11 * 8),
            pointer("poll_cq"),
            pad(13 * 8),
            pointer("post_send"),
            pointer("post_recv"),
            pad(5 * 8)).withName("ops"),
        u32("cmd_fd"),
        u32("async_fd"),
        u32("num_comp_vectors"),
        pad(4 + 40),
        pointer("abi_compat")).withName("ibv_context");
    static final long CONTEXT_DEVICE = offset(CONTEXT, "device");
    static final long CONTEXT_POLL_CQ = offset(CONTEXT, "ops.poll_cq");
    static final long CONTEXT_POST_SEND = offset(CONTEXT, "ops.post_send");
    static final long CONTEXT_POST_RECV = offset(CONTEXT, "ops.post_recv");

    /** {@code struct ibv_device_attr}. */
    static final StructLayout DEVICE_ATTR = MemoryLayout.structLayout(
        bytes("fw_ver", 64),
        u64("node_guid"),
        u64("sys_image_guid"),
        u64("max_mr_size"),
        u64("page_size_cap"),
        u32("vendor_id"),
        u32("vendor_part_id"),
        u32("hw_ver"),
        u32("max_qp"),
        u32("max_qp_wr"),
        u32("device_cap_flags"),
        u32("max_sge"),
        u32("max_sge_rd"),
        u32("max_cq"),
        u32("max_cqe"),
        u32("max_mr"),
        u32("max_pd"),
        u32("max_qp_rd_atom"),
        u32("max_ee_rd_atom"),
        u32("max_res_rd_atom"),
        u32("max_qp_init_rd_atom"),
        pad(4 * 13),
        u32("max_srq"),
        u32("max_srq_wr"),
        u32("max_srq_sge"),
        u16("max_pkeys"),
        u8("local_ca_ack_delay"),
        u8("phys_port_cnt"),
        pad(4)).withName("ibv_device_attr");

    /** {@code struct ibv_port_attr} (the full struct; the exported ibv_query_port fills its compat prefix). */
    static final StructLayout PORT_ATTR = MemoryLayout.structLayout(
        u32("state"),
        u32("max_mtu"),
        u32("active_mtu"),
        u32("gid_tbl_len"),
        u32("port_cap_flags"),
        u32("max_msg_sz"),
        pad(8),
        u16("pkey_tbl_len"),
        u16("lid"),
        pad(2 + 1 + 1 + 1 + 1 + 1),
        u8("active_width"),
        u8("active_speed"),
        u8("phys_state"),
        u8("link_layer"),
        pad(1 + 2 + 2)).withName("ibv_port_attr");

    /** {@code struct ibv_gid_entry}, filled by {@code _ibv_query_gid_ex}. */
    static final StructLayout GID_ENTRY = MemoryLayout.structLayout(
        GID.withName("gid"),
        u32("gid_index"),
        u32("port_num"),
        u32("gid_type"),
        u32("ndev_ifindex")).withName("ibv_gid_entry");

    /** {@code struct ibv_pd}. */
    static final StructLayout PD = MemoryLayout.structLayout(
        pointer("context"),
        u32("handle"),
        pad(4)).withName("ibv_pd");

    /** {@code struct ibv_mr}. */
    static final StructLayout MR = MemoryLayout.structLayout(
        pointer("context"),
        pointer("pd"),
        pointer("addr"),
        u64("length"),
        u32("handle"),
        u32("lkey"),
        u32("rkey"),
        pad(4)).withName("ibv_mr");
    static final long MR_LKEY = offset(MR, "lkey");
    static final long MR_RKEY = offset(MR, "rkey");

    /** {@code struct ibv_cq}. */
    static final StructLayout CQ = MemoryLayout.structLayout(
        pointer("context"),
        pointer("channel"),
        pointer("cq_context"),
        u32("handle"),
        u32("cqe"),
        pad(40 + 48 + 8)).withName("ibv_cq");
    static final long CQ_CQE = offset(CQ, "cqe");

    /** {@code struct ibv_qp}. */
    static final StructLayout QP = MemoryLayout.structLayout(
        pointer("context"),
        pointer("qp_context"),
        pointer("pd"),
        pointer("send_cq"),
        pointer("recv_cq"),
        pointer("srq"),
        u32("handle"),
        u32("qp_num"),
        u32("state"),
        u32("qp_type"),
        pad(40 + 48 + 8)).withName("ibv_qp");
    static final long QP_NUM = offset(QP, "qp_num");
    static final long QP_STATE = offset(QP, "state");

    /** {@code struct ibv_qp_cap}. */
    static final StructLayout QP_CAP = MemoryLayout.structLayout(
        u32("max_send_wr"),
        u32("max_recv_wr"),
        u32("max_send_sge"),
        u32("max_recv_sge"),
        u32("max_inline_data")).withName("ibv_qp_cap");

    /** {@code struct ibv_qp_init_attr}. */
    static final StructLayout QP_INIT_ATTR = MemoryLayout.structLayout(
        pointer("qp_context"),
        pointer("send_cq"),
        pointer("recv_cq"),
        pointer("srq"),
        QP_CAP.withName("cap"),
        u32("qp_type"),
        u32("sq_sig_all"),
        pad(4)).withName("ibv_qp_init_attr");

    /** {@code struct ibv_sge}. */
    static final StructLayout SGE = MemoryLayout.structLayout(
        u64("addr"),
        u32("length"),
        u32("lkey")).withName("ibv_sge");
    static final long SGE_ADDR = offset(SGE, "addr");
    static final long SGE_LENGTH = offset(SGE, "length");
    static final long SGE_LKEY = offset(SGE, "lkey");

    /** {@code struct ibv_send_wr}: the rdma and atomic members of {@code wr}; the bind_mw/tso union is padding. */
    static final StructLayout SEND_WR = MemoryLayout.structLayout(
        u64("wr_id"),
        pointer("next"),
        pointer("sg_list"),
        u32("num_sge"),
        u32("opcode"),
        u32("send_flags"),
        u32("imm_data"),
        MemoryLayout.unionLayout(
            MemoryLayout.structLayout(u64("remote_addr"), u32("rkey"), pad(4)).withName("rdma"),
            MemoryLayout.structLayout(u64("remote_addr"), u64("compare_add"), u64("swap"), u32("rkey"), pad(4))
                .withName("atomic")).withName("wr"),
        u32("qp_type"),
        pad(4),
        pad(48)).withName("ibv_send_wr");
    static final long SEND_WR_ID = offset(SEND_WR, "wr_id");
    static final long SEND_WR_NEXT = offset(SEND_WR, "next");
    static final long SEND_WR_SG_LIST = offset(SEND_WR, "sg_list");
    static final long SEND_WR_NUM_SGE = offset(SEND_WR, "num_sge");
    static final long SEND_WR_OPCODE = offset(SEND_WR, "opcode");
    static final long SEND_WR_SEND_FLAGS = offset(SEND_WR, "send_flags");
    static final long SEND_WR_IMM_DATA = offset(SEND_WR, "imm_data");
    static final long SEND_WR_REMOTE_ADDR = offset(SEND_WR, "wr.rdma.remote_addr");
    static final long SEND_WR_RKEY = offset(SEND_WR, "wr.rdma.rkey");

    /** {@code struct ibv_recv_wr}. */
    static final StructLayout RECV_WR = MemoryLayout.structLayout(
        u64("wr_id"),
        pointer("next"),
        pointer("sg_list"),
        u32("num_sge"),
        pad(4)).withName("ibv_recv_wr");
    static final long RECV_WR_ID = offset(RECV_WR, "wr_id");
    static final long RECV_WR_NEXT = offset(RECV_WR, "next");
    static final long RECV_WR_SG_LIST = offset(RECV_WR, "sg_list");
    static final long RECV_WR_NUM_SGE = offset(RECV_WR, "num_sge");

    /** {@code struct ibv_wc}. */
    static final StructLayout WC = MemoryLayout.structLayout(
        u64("wr_id"),
        u32("status"),
        u32("opcode"),
        u32("vendor_err"),
        u32("byte_len"),
        u32("imm_data"),
        u32("qp_num"),
        u32("src_qp"),
        u32("wc_flags"),
        u16("pkey_index"),
        u16("slid"),
        u8("sl"),
        u8("dlid_path_bits"),
        pad(2)).withName("ibv_wc");
    static final long WC_ID = offset(WC, "wr_id");
    static final long WC_STATUS = offset(WC, "status");
    static final long WC_OPCODE = offset(WC, "opcode");
    static final long WC_VENDOR_ERR = offset(WC, "vendor_err");
    static final long WC_BYTE_LEN = offset(WC, "byte_len");
    static final long WC_IMM_DATA = offset(WC, "imm_data");
    static final long WC_QP_NUM = offset(WC, "qp_num");
    static final long WC_FLAGS = offset(WC, "wc_flags");

    /** Every struct above by its C name, for the layout test. */
    static final Map<String, StructLayout> ALL = Map.ofEntries(
        Map.entry("ibv_context", CONTEXT),
        Map.entry("ibv_device_attr", DEVICE_ATTR),
        Map.entry("ibv_port_attr", PORT_ATTR),
        Map.entry("ibv_gid_entry", GID_ENTRY),
        Map.entry("ibv_pd", PD),
        Map.entry("ibv_mr", MR),
        Map.entry("ibv_cq", CQ),
        Map.entry("ibv_qp", QP),
        Map.entry("ibv_qp_cap", QP_CAP),
        Map.entry("ibv_qp_init_attr", QP_INIT_ATTR),
        Map.entry("ibv_sge", SGE),
        Map.entry("ibv_send_wr", SEND_WR),
        Map.entry("ibv_recv_wr", RECV_WR),
        Map.entry("ibv_wc", WC));

    private IbvLayouts()
    {
    }
}
