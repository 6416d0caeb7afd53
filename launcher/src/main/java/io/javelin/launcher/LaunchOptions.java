package io.javelin.launcher;

import picocli.CommandLine.Option;

import java.nio.file.Path;
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

    // ranks on several hosts over ssh (issue 6)
    @Option(names = "--hosts", paramLabel = "HOST:SLOTS,...",
        description = "run the ranks on these hosts, filling each host's slots in order (e.g. node1:4,node2:4); " +
            "hosts other than this one are reached by ssh")
    String hosts;

    @Option(names = "--hostfile", paramLabel = "FILE",
        description = "hosts as in Open MPI: one 'host slots=N' or 'host:N' per line, # starts a comment")
    Path hostfile;

    @Option(names = "--ssh", paramLabel = "COMMAND",
        description = "ssh command for other hosts, e.g. \"ssh -p 2222 -i ~/.ssh/cluster\" " +
            "(default: $JAVELIN_SSH, else ssh; BatchMode=yes is added)")
    String ssh;

    @Option(names = "--bootstrap-address", paramLabel = "ADDRESS",
        description = "address of this host the ranks reach the launcher at (default: loopback when every " +
            "rank runs here, else the address this host's name resolves to)")
    String bootstrapAddress;
}
