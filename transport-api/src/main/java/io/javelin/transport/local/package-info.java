/**
 * The in-JVM transport: ranks that are threads of one JVM ({@code Javelin.runLocal}) exchange messages
 * through lock-free inboxes and access each other's registered memory with one {@code memcpy}.
 */
package io.javelin.transport.local;
