/**
 * Memory registration for transports whose one-sided operations are carried out by the target's progress
 * engine (TCP, Aeron): a table of regions by remote key that checks key, access and bounds of every request.
 */
package io.javelin.transport.emulated;
