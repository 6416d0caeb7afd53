/**
 * Configuration keys shared by every module: each key is declared once as a
 * {@link io.javelin.transport.config.ConfigKey} (name, default, description, parser), and
 * {@link io.javelin.transport.config.ConfigResolver} merges defaults, environment, system properties and
 * arguments, remembering where each value came from so that {@code javelin info} can print it.
 */
package io.javelin.transport.config;
