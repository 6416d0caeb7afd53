/**
 * The Aeron transport: UDP unicast between hosts, IPC within a host, single-copy one-sided transfers within
 * a host by cross-memory attach, and the media driver embedded in each rank and run by its progress calls.
 */
package io.javelin.transport.aeron;
