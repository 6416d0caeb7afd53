package io.javelin.launcher;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobSpecFactoryTest
{
    @Test
    void shouldBuildTheRankCommandWithFlagsPropertiesAndJavelinsClasspathFirst()
    {
        final LaunchOptions options = new LaunchOptions();
        options.transport = "TCP";
        options.systemProperties.put("javelin.transport", "rdma");
        options.systemProperties.put("app.mode", "fast");
        final String userClasses = RunCommandTest.testClasses();

        final JobSpec spec = JobSpecFactory.forProgram(
            3, options, userClasses, null, List.of(BootstrapTestProgram.class.getName(), "a", "-b"));
        final List<String> command = spec.jvmCommand();

        assertEquals(JobSpec.javaExecutable(), command.getFirst());
        assertTrue(command.containsAll(LauncherConfiguration.RANK_JVM_FLAGS), command.toString());
        final int cp = command.indexOf("-cp");
        assertEquals("-Djavelin.transport=tcp", command.get(cp - 1), "--transport wins over -D");
        assertTrue(command.indexOf("-Dapp.mode=fast") < cp, command.toString());
        final List<String> classpath = List.of(command.get(cp + 1).split(File.pathSeparator));
        assertEquals(JavelinClasspath.entries(), classpath, "test-classes is already on Javelin's classpath");
        assertEquals(List.of(BootstrapTestProgram.class.getName(), "a", "-b"), command.subList(cp + 2, command.size()));
    }

    @Test
    void shouldUseTheTransportPropertyWhenNoTransportOptionIsGiven()
    {
        final LaunchOptions options = new LaunchOptions();
        assertEquals("auto", JobSpecFactory.forProgram(
            1, options, null, null, List.of(BootstrapTestProgram.class.getName())).transport());
        options.systemProperties.put("javelin.transport", "aeron");
        assertEquals("aeron", JobSpecFactory.forProgram(
            1, options, null, null, List.of(BootstrapTestProgram.class.getName())).transport());
    }
}
