package io.javelin.launcher;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExitStatusTest
{
    @Test
    void shouldDescribeExitCodesAndSignals()
    {
        assertEquals("rank 2 exited with code 3", ExitStatus.describe(2, 3));
        assertEquals("rank 1 was killed by signal 9 (SIGKILL)", ExitStatus.describe(1, 137));
        assertEquals("rank 0 was killed by signal 15 (SIGTERM)", ExitStatus.describe(0, 143));
        assertEquals("rank 0 was killed by signal 40", ExitStatus.describe(0, 168));
        assertEquals("rank 4 exited with code 128", ExitStatus.describe(4, 128));
    }
}
