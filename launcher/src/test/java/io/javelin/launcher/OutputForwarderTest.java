package io.javelin.launcher;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OutputForwarderTest
{
    private static String forward(final String input, final String prefix)
    {
        final ByteArrayOutputStream target = new ByteArrayOutputStream();
        new OutputForwarder(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(target, false, StandardCharsets.UTF_8), prefix).run();
        return target.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldPrefixEveryLineIncludingAnUnterminatedLast()
    {
        assertEquals("[3] a\n[3] \n[3] bc\n[3] d", forward("a\n\nbc\nd", "[3] "));
    }

    @Test
    void shouldCopyBytesUnchangedWithoutPrefix()
    {
        assertEquals("héllo\nwörld\n", forward("héllo\nwörld\n", null));
    }

    @Test
    void shouldPrefixAVeryLongLineOnlyAtItsStart()
    {
        final String longLine = "x".repeat(OutputForwarder.MAX_LINE_BYTES * 2 + 17);
        assertEquals("[0] " + longLine + "\n[0] y\n", forward(longLine + "\ny\n", "[0] "));
    }
}
