package io.javelin.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class CompilerThreadsTest
{
    @Test
    void shouldAddUserAndSystemTicksOfACompilerThreadOnly()
    {
        assertEquals(17 + 5, CompilerThreads.ticksOfCompiler(
            "4242 (C2 CompilerThre) S 4200 4200 4100 0 -1 1077936192 900 0 3 0 17 5 0 0 20 0 30 0 100 0 0"));
        assertEquals(3 + 4, CompilerThreads.ticksOfCompiler(
            "4243 (C1 CompilerThre) R 4200 4200 4100 0 -1 1077936192 900 0 3 0 3 4 0 0 20 0 30 0 100 0 0"));
        assertEquals(0, CompilerThreads.ticksOfCompiler(
            "4244 (main) R 4200 4200 4100 0 -1 1077936192 900 0 3 0 300 40 0 0 20 0 30 0 100 0 0"));
        assertEquals(0, CompilerThreads.ticksOfCompiler(
            "4245 (x (C2 CompilerThre) y) R 4200 4200 4100 0 -1 0 0 0 0 0 300 40 0 0 20 0 30 0 100 0 0"),
            "comm ends at the last ')'");
    }

    @Test
    void shouldFindTheCompilerThreadsOfThisJvm()
    {
        // this JVM has compiled JUnit's start-up: its compiler threads have used CPU time, so a reader that
        // missed them (their names, the fields of stat) would give 0
        assertTrue(CompilerThreads.cpuTicks() > 0, "compiler threads' CPU ticks: " + CompilerThreads.cpuTicks());
    }
}
