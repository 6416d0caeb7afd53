/*
 * Prints the size of every struct and the offset and size of every field the Javelin verbs bindings
 * (io.javelin.transport.rdma.verbs.IbvLayouts / RdmaCmLayouts) name, as compiled against this machine's
 * headers. VerbsLayoutTest compiles this file with gcc at test time and compares each line with the Java
 * MemoryLayouts. Output lines:
 *   S <struct> <sizeof>
 *   F <struct> <field.path> <offsetof> <sizeof field>
 */
#include <stddef.h>
#include <stdio.h>
#include <poll.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <infiniband/verbs.h>
#include <rdma/rdma_cma.h>

#define S(type, name) printf("S %s %zu\n", name, sizeof(type))
#define F(type, name, path) printf("F %s %s %zu %zu\n", name, #path, offsetof(type, path), sizeof(((type *)0)->path))

int main(void)
{
    S(struct ibv_context, "ibv_context");
    F(struct ibv_context, "ibv_context", device);
    F(struct ibv_context, "ibv_context", ops);
    F(struct ibv_context, "ibv_context", ops.poll_cq);
    F(struct ibv_context, "ibv_context", ops.post_send);
    F(struct ibv_context, "ibv_context", ops.post_recv);
    F(struct ibv_context, "ibv_context", cmd_fd);
    F(struct ibv_context, "ibv_context", async_fd);
    F(struct ibv_context, "ibv_context", num_comp_vectors);
    F(struct ibv_context, "ibv_context", abi_compat);

    S(struct ibv_device_attr, "ibv_device_attr");
    F(struct ibv_device_attr, "ibv_device_attr", fw_ver);
    F(struct ibv_device_attr, "ibv_device_attr", node_guid);
    F(struct ibv_device_attr, "ibv_device_attr", sys_image_guid);
    F(struct ibv_device_attr, "ibv_device_attr", max_mr_size);
    F(struct ibv_device_attr, "ibv_device_attr", page_size_cap);
    F(struct ibv_device_attr, "ibv_device_attr", vendor_id);
    F(struct ibv_device_attr, "ibv_device_attr", vendor_part_id);
    F(struct ibv_device_attr, "ibv_device_attr", hw_ver);
    F(struct ibv_device_attr, "ibv_device_attr", max_qp);
    F(struct ibv_device_attr, "ibv_device_attr", max_qp_wr);
    F(struct ibv_device_attr, "ibv_device_attr", device_cap_flags);
    F(struct ibv_device_attr, "ibv_device_attr", max_sge);
    F(struct ibv_device_attr, "ibv_device_attr", max_sge_rd);
    F(struct ibv_device_attr, "ibv_device_attr", max_cq);
    F(struct ibv_device_attr, "ibv_device_attr", max_cqe);
    F(struct ibv_device_attr, "ibv_device_attr", max_mr);
    F(struct ibv_device_attr, "ibv_device_attr", max_pd);
    F(struct ibv_device_attr, "ibv_device_attr", max_qp_rd_atom);
    F(struct ibv_device_attr, "ibv_device_attr", max_ee_rd_atom);
    F(struct ibv_device_attr, "ibv_device_attr", max_res_rd_atom);
    F(struct ibv_device_attr, "ibv_device_attr", max_qp_init_rd_atom);
    F(struct ibv_device_attr, "ibv_device_attr", max_srq);
    F(struct ibv_device_attr, "ibv_device_attr", max_srq_wr);
    F(struct ibv_device_attr, "ibv_device_attr", max_srq_sge);
    F(struct ibv_device_attr, "ibv_device_attr", max_pkeys);
    F(struct ibv_device_attr, "ibv_device_attr", local_ca_ack_delay);
    F(struct ibv_device_attr, "ibv_device_attr", phys_port_cnt);

    S(struct ibv_port_attr, "ibv_port_attr");
    F(struct ibv_port_attr, "ibv_port_attr", state);
    F(struct ibv_port_attr, "ibv_port_attr", max_mtu);
    F(struct ibv_port_attr, "ibv_port_attr", active_mtu);
    F(struct ibv_port_attr, "ibv_port_attr", gid_tbl_len);
    F(struct ibv_port_attr, "ibv_port_attr", port_cap_flags);
    F(struct ibv_port_attr, "ibv_port_attr", max_msg_sz);
    F(struct ibv_port_attr, "ibv_port_attr", pkey_tbl_len);
    F(struct ibv_port_attr, "ibv_port_attr", lid);
    F(struct ibv_port_attr, "ibv_port_attr", active_width);
    F(struct ibv_port_attr, "ibv_port_attr", active_speed);
    F(struct ibv_port_attr, "ibv_port_attr", phys_state);
    F(struct ibv_port_attr, "ibv_port_attr", link_layer);

    S(struct ibv_gid_entry, "ibv_gid_entry");
    F(struct ibv_gid_entry, "ibv_gid_entry", gid);
    F(struct ibv_gid_entry, "ibv_gid_entry", gid_index);
    F(struct ibv_gid_entry, "ibv_gid_entry", port_num);
    F(struct ibv_gid_entry, "ibv_gid_entry", gid_type);
    F(struct ibv_gid_entry, "ibv_gid_entry", ndev_ifindex);

    S(struct ibv_pd, "ibv_pd");
    F(struct ibv_pd, "ibv_pd", context);
    F(struct ibv_pd, "ibv_pd", handle);

    S(struct ibv_mr, "ibv_mr");
    F(struct ibv_mr, "ibv_mr", context);
    F(struct ibv_mr, "ibv_mr", pd);
    F(struct ibv_mr, "ibv_mr", addr);
    F(struct ibv_mr, "ibv_mr", length);
    F(struct ibv_mr, "ibv_mr", handle);
    F(struct ibv_mr, "ibv_mr", lkey);
    F(struct ibv_mr, "ibv_mr", rkey);

    S(struct ibv_cq, "ibv_cq");
    F(struct ibv_cq, "ibv_cq", context);
    F(struct ibv_cq, "ibv_cq", channel);
    F(struct ibv_cq, "ibv_cq", cq_context);
    F(struct ibv_cq, "ibv_cq", handle);
    F(struct ibv_cq, "ibv_cq", cqe);

    S(struct ibv_qp, "ibv_qp");
    F(struct ibv_qp, "ibv_qp", context);
    F(struct ibv_qp, "ibv_qp", qp_context);
    F(struct ibv_qp, "ibv_qp", pd);
    F(struct ibv_qp, "ibv_qp", send_cq);
    F(struct ibv_qp, "ibv_qp", recv_cq);
    F(struct ibv_qp, "ibv_qp", srq);
    F(struct ibv_qp, "ibv_qp", handle);
    F(struct ibv_qp, "ibv_qp", qp_num);
    F(struct ibv_qp, "ibv_qp", state);
    F(struct ibv_qp, "ibv_qp", qp_type);

    S(struct ibv_qp_cap, "ibv_qp_cap");
    F(struct ibv_qp_cap, "ibv_qp_cap", max_send_wr);
    F(struct ibv_qp_cap, "ibv_qp_cap", max_recv_wr);
    F(struct ibv_qp_cap, "ibv_qp_cap", max_send_sge);
    F(struct ibv_qp_cap, "ibv_qp_cap", max_recv_sge);
    F(struct ibv_qp_cap, "ibv_qp_cap", max_inline_data);

    S(struct ibv_qp_init_attr, "ibv_qp_init_attr");
    F(struct ibv_qp_init_attr, "ibv_qp_init_attr", qp_context);
    F(struct ibv_qp_init_attr, "ibv_qp_init_attr", send_cq);
    F(struct ibv_qp_init_attr, "ibv_qp_init_attr", recv_cq);
    F(struct ibv_qp_init_attr, "ibv_qp_init_attr", srq);
    F(struct ibv_qp_init_attr, "ibv_qp_init_attr", cap);
    F(struct ibv_qp_init_attr, "ibv_qp_init_attr", cap.max_send_wr);
    F(struct ibv_qp_init_attr, "ibv_qp_init_attr", cap.max_recv_wr);
    F(struct ibv_qp_init_attr, "ibv_qp_init_attr", cap.max_send_sge);
    F(struct ibv_qp_init_attr, "ibv_qp_init_attr", cap.max_recv_sge);
    F(struct ibv_qp_init_attr, "ibv_qp_init_attr", cap.max_inline_data);
    F(struct ibv_qp_init_attr, "ibv_qp_init_attr", qp_type);
    F(struct ibv_qp_init_attr, "ibv_qp_init_attr", sq_sig_all);

    S(struct ibv_sge, "ibv_sge");
    F(struct ibv_sge, "ibv_sge", addr);
    F(struct ibv_sge, "ibv_sge", length);
    F(struct ibv_sge, "ibv_sge", lkey);

    S(struct ibv_send_wr, "ibv_send_wr");
    F(struct ibv_send_wr, "ibv_send_wr", wr_id);
    F(struct ibv_send_wr, "ibv_send_wr", next);
    F(struct ibv_send_wr, "ibv_send_wr", sg_list);
    F(struct ibv_send_wr, "ibv_send_wr", num_sge);
    F(struct ibv_send_wr, "ibv_send_wr", opcode);
    F(struct ibv_send_wr, "ibv_send_wr", send_flags);
    F(struct ibv_send_wr, "ibv_send_wr", imm_data);
    F(struct ibv_send_wr, "ibv_send_wr", wr);
    F(struct ibv_send_wr, "ibv_send_wr", wr.rdma);
    F(struct ibv_send_wr, "ibv_send_wr", wr.rdma.remote_addr);
    F(struct ibv_send_wr, "ibv_send_wr", wr.rdma.rkey);
    F(struct ibv_send_wr, "ibv_send_wr", wr.atomic);
    F(struct ibv_send_wr, "ibv_send_wr", wr.atomic.remote_addr);
    F(struct ibv_send_wr, "ibv_send_wr", wr.atomic.compare_add);
    F(struct ibv_send_wr, "ibv_send_wr", wr.atomic.swap);
    F(struct ibv_send_wr, "ibv_send_wr", wr.atomic.rkey);
    F(struct ibv_send_wr, "ibv_send_wr", qp_type);

    S(struct ibv_recv_wr, "ibv_recv_wr");
    F(struct ibv_recv_wr, "ibv_recv_wr", wr_id);
    F(struct ibv_recv_wr, "ibv_recv_wr", next);
    F(struct ibv_recv_wr, "ibv_recv_wr", sg_list);
    F(struct ibv_recv_wr, "ibv_recv_wr", num_sge);

    S(struct ibv_wc, "ibv_wc");
    F(struct ibv_wc, "ibv_wc", wr_id);
    F(struct ibv_wc, "ibv_wc", status);
    F(struct ibv_wc, "ibv_wc", opcode);
    F(struct ibv_wc, "ibv_wc", vendor_err);
    F(struct ibv_wc, "ibv_wc", byte_len);
    F(struct ibv_wc, "ibv_wc", imm_data);
    F(struct ibv_wc, "ibv_wc", qp_num);
    F(struct ibv_wc, "ibv_wc", src_qp);
    F(struct ibv_wc, "ibv_wc", wc_flags);
    F(struct ibv_wc, "ibv_wc", pkey_index);
    F(struct ibv_wc, "ibv_wc", slid);
    F(struct ibv_wc, "ibv_wc", sl);
    F(struct ibv_wc, "ibv_wc", dlid_path_bits);

    S(struct rdma_event_channel, "rdma_event_channel");
    F(struct rdma_event_channel, "rdma_event_channel", fd);

    S(struct rdma_cm_id, "rdma_cm_id");
    F(struct rdma_cm_id, "rdma_cm_id", verbs);
    F(struct rdma_cm_id, "rdma_cm_id", channel);
    F(struct rdma_cm_id, "rdma_cm_id", context);
    F(struct rdma_cm_id, "rdma_cm_id", qp);
    F(struct rdma_cm_id, "rdma_cm_id", route);
    F(struct rdma_cm_id, "rdma_cm_id", ps);
    F(struct rdma_cm_id, "rdma_cm_id", port_num);
    F(struct rdma_cm_id, "rdma_cm_id", event);
    F(struct rdma_cm_id, "rdma_cm_id", send_cq_channel);
    F(struct rdma_cm_id, "rdma_cm_id", send_cq);
    F(struct rdma_cm_id, "rdma_cm_id", recv_cq_channel);
    F(struct rdma_cm_id, "rdma_cm_id", recv_cq);
    F(struct rdma_cm_id, "rdma_cm_id", srq);
    F(struct rdma_cm_id, "rdma_cm_id", pd);
    F(struct rdma_cm_id, "rdma_cm_id", qp_type);

    S(struct rdma_conn_param, "rdma_conn_param");
    F(struct rdma_conn_param, "rdma_conn_param", private_data);
    F(struct rdma_conn_param, "rdma_conn_param", private_data_len);
    F(struct rdma_conn_param, "rdma_conn_param", responder_resources);
    F(struct rdma_conn_param, "rdma_conn_param", initiator_depth);
    F(struct rdma_conn_param, "rdma_conn_param", flow_control);
    F(struct rdma_conn_param, "rdma_conn_param", retry_count);
    F(struct rdma_conn_param, "rdma_conn_param", rnr_retry_count);
    F(struct rdma_conn_param, "rdma_conn_param", srq);
    F(struct rdma_conn_param, "rdma_conn_param", qp_num);

    S(struct rdma_cm_event, "rdma_cm_event");
    F(struct rdma_cm_event, "rdma_cm_event", id);
    F(struct rdma_cm_event, "rdma_cm_event", listen_id);
    F(struct rdma_cm_event, "rdma_cm_event", event);
    F(struct rdma_cm_event, "rdma_cm_event", status);
    F(struct rdma_cm_event, "rdma_cm_event", param);
    F(struct rdma_cm_event, "rdma_cm_event", param.conn);
    F(struct rdma_cm_event, "rdma_cm_event", param.conn.private_data);
    F(struct rdma_cm_event, "rdma_cm_event", param.conn.private_data_len);
    F(struct rdma_cm_event, "rdma_cm_event", param.conn.responder_resources);
    F(struct rdma_cm_event, "rdma_cm_event", param.conn.initiator_depth);
    F(struct rdma_cm_event, "rdma_cm_event", param.conn.flow_control);
    F(struct rdma_cm_event, "rdma_cm_event", param.conn.retry_count);
    F(struct rdma_cm_event, "rdma_cm_event", param.conn.rnr_retry_count);
    F(struct rdma_cm_event, "rdma_cm_event", param.conn.srq);
    F(struct rdma_cm_event, "rdma_cm_event", param.conn.qp_num);
    F(struct rdma_cm_event, "rdma_cm_event", param.ud);
    F(struct rdma_cm_event, "rdma_cm_event", param.ud.private_data);
    F(struct rdma_cm_event, "rdma_cm_event", param.ud.private_data_len);
    F(struct rdma_cm_event, "rdma_cm_event", param.ud.qp_num);
    F(struct rdma_cm_event, "rdma_cm_event", param.ud.qkey);

    S(struct sockaddr_in, "sockaddr_in");
    F(struct sockaddr_in, "sockaddr_in", sin_family);
    F(struct sockaddr_in, "sockaddr_in", sin_port);
    F(struct sockaddr_in, "sockaddr_in", sin_addr);
    F(struct sockaddr_in, "sockaddr_in", sin_zero);

    S(struct sockaddr_in6, "sockaddr_in6");
    F(struct sockaddr_in6, "sockaddr_in6", sin6_family);
    F(struct sockaddr_in6, "sockaddr_in6", sin6_port);
    F(struct sockaddr_in6, "sockaddr_in6", sin6_flowinfo);
    F(struct sockaddr_in6, "sockaddr_in6", sin6_addr);
    F(struct sockaddr_in6, "sockaddr_in6", sin6_scope_id);

    S(struct pollfd, "pollfd");
    F(struct pollfd, "pollfd", fd);
    F(struct pollfd, "pollfd", events);
    F(struct pollfd, "pollfd", revents);

    S(struct rlimit, "rlimit");
    F(struct rlimit, "rlimit", rlim_cur);
    F(struct rlimit, "rlimit", rlim_max);
    return 0;
}
