package io.javelin.launcher;

import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options every command that starts a job shares ({@code run}, {@code pingpong}, {@code bench}).
 */
final class LaunchOptions
{
    @Option(names = "--transport", paramLabel = "NAME",
        description = "transport of every rank: auto (default: the best available), tcp, local, rdma or aeron")
    String transport;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0",
        description = "stop every rank after this many seconds (default: no limit)")
    long timeoutSeconds;

    @Option(names = "--tag-output", description = "prefix every output line with [rank]")
    boolean tagOutput;

    @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
        description = "system property for every rank, e.g. -Djavelin.bootstrap.timeout=300")
    Map<String, String> systemProperties = new LinkedHashMap<>();
}
