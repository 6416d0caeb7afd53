/**
 * Bindings to the system's {@code libibverbs.so.1} and {@code librdmacm.so.1} through the JDK's foreign function
 * API: device discovery, protection domains, memory registration, completion queues, RC queue pairs connected
 * through RDMA CM, and work requests laid out once in native memory and re-posted with fields patched. Struct
 * layouts are checked against the installed headers by {@code VerbsLayoutTest}.
 */
package io.javelin.transport.rdma.verbs;
