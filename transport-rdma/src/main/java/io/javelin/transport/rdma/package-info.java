/**
 * The RDMA transport: RC queue pairs per peer made through RDMA CM, eager two-sided sends into pre-posted
 * receive buffers paced by credits, and one-sided RDMA WRITE / READ of registered memory, over the FFM bindings
 * of {@link io.javelin.transport.rdma.verbs}.
 */
package io.javelin.transport.rdma;
