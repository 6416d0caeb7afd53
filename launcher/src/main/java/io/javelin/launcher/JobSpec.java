package io.javelin.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A checked description of one job: what every rank runs and how the launcher supervises it.
 *
 * @param ranks            number of ranks, at least 1.
 * @param transport        value of {@code javelin.transport} for every rank.
 * @param timeoutSeconds   stop the job after this long; 0 for no limit.
 * @param tagOutput        prefix output lines with {@code [rank] }.
 * @param systemProperties {@code -D} properties for every rank, in order.
 * @param classpath        the full classpath of a rank: Javelin's, then the user's.
 * @param mainClass        the class whose main every rank runs.
 * @param args             its arguments.
 * @param hosts            where the ranks run.
 */
record JobSpec(
    int ranks,
    String transport,
    long timeoutSeconds,
    boolean tagOutput,
    Map<String, String> systemProperties,
    List<String> classpath,
    String mainClass,
    List<String> args,
    HostPlan hosts)
{
    JobSpec
    {
        systemProperties = Collections.unmodifiableMap(new LinkedHashMap<>(systemProperties));
        classpath = List.copyOf(classpath);
        args = List.copyOf(args);
    }

    /**
     * @return the command line of every rank's JVM: the launcher's own java, the flags every rank needs,
     *         the system properties (transport last, so it wins), classpath, main class and arguments.
     */
    List<String> jvmCommand()
    {
        final List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(LauncherConfiguration.RANK_JVM_FLAGS);
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-D" + LauncherConfiguration.TRANSPORT_PROP_NAME + "=" + transport);
        command.add("-cp");
        command.add(JavelinClasspath.join(classpath));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /**
     * @return the java executable running this launcher, so that ranks run the same JDK.
     */
    static String javaExecutable()
    {
        final Optional<String> current = ProcessHandle.current().info().command();
        if (current.isPresent() && Files.isExecutable(Path.of(current.get())))
        {
            return current.get();
        }
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
