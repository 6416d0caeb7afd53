/**
 * Linux cross-memory attach (CMA): single-copy transfers between the memory of two processes on one host
 * with {@code process_vm_readv} / {@code process_vm_writev}, as Open MPI's vader and UCX's cma transports do.
 * Shared by the transports (it knows nothing of any of them); a transport uses it only for spans its peer
 * has checked against a registration.
 */
package io.javelin.transport.cma;
