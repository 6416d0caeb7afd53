package io.javelin.messaging.bootstrap.pmix;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks {@link PmixLayouts} against the C compiler's view of the installed PMIx headers: compiles
 * {@code src/test/c/pmix_layout.c} with gcc into {@code target/}, runs it, and compares every struct size, every
 * named field's offset and size, every constant and every attribute key. Needs gcc and libpmix-dev; without them
 * the test is skipped on a developer machine and fails under CI ({@code CI} set), naming the packages.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PmixLayoutTest
{
    private static final String PACKAGES = "apt-get install gcc libpmix-dev";
    /** Where Debian's libpmix-dev puts pmix.h when pkg-config is missing. */
    private static final List<String> INCLUDE_DIRS = List.of(
        "/usr/lib/x86_64-linux-gnu/pmix2/include", "/usr/lib/aarch64-linux-gnu/pmix2/include", "/usr/include");

    @Test
    void shouldMatchTheSizesOffsetsAndConstantsOfTheInstalledHeaders() throws Exception
    {
        final Map<String, String> cValues = runLayoutProgram();
        final List<String> mismatches = new ArrayList<>();
        final Set<String> javaKeys = new HashSet<>();
        for (final Map.Entry<String, StructLayout> struct : new TreeMap<>(PmixLayouts.STRUCTS).entrySet())
        {
            final String name = struct.getKey();
            javaKeys.add("S " + name);
            compare(mismatches, "sizeof(" + name + ")", cValues.get("S " + name), struct.getValue().byteSize());
            final Map<String, long[]> fields = new TreeMap<>();
            collectFields(struct.getValue(), "", 0, fields);
            for (final Map.Entry<String, long[]> field : fields.entrySet())
            {
                final String key = "F " + name + " " + field.getKey();
                javaKeys.add(key + " offset");
                javaKeys.add(key + " size");
                compare(mismatches, "offsetof(" + name + ", " + field.getKey() + ")", cValues.get(key + " offset"),
                    field.getValue()[0]);
                compare(mismatches, "sizeof(" + name + "." + field.getKey() + ")", cValues.get(key + " size"),
                    field.getValue()[1]);
            }
        }
        for (final Map.Entry<String, Long> constant : PmixLayouts.CONSTANTS.entrySet())
        {
            javaKeys.add("C " + constant.getKey());
            compare(mismatches, constant.getKey(), cValues.get("C " + constant.getKey()), constant.getValue());
        }
        for (final Map.Entry<String, String> key : PmixLayouts.KEYS.entrySet())
        {
            javaKeys.add("K " + key.getKey());
            final String c = cValues.get("K " + key.getKey());
            if (!key.getValue().equals(c))
            {
                mismatches.add(key.getKey() + ": C says " + c + ", Java says " + key.getValue());
            }
        }
        for (final String key : cValues.keySet())
        {
            if (!javaKeys.contains(key))
            {
                mismatches.add(key + " is printed by pmix_layout.c but not named in PmixLayouts");
            }
        }
        assertEquals(List.of(), mismatches, "PmixLayouts differ from the installed PMIx headers");
        assertTrue(cValues.containsKey("F pmix_info_t value.data.bo.size offset"), "nested offsets are checked");
    }

    private static void compare(final List<String> mismatches, final String what, final String c, final long java)
    {
        if (null == c)
        {
            mismatches.add(what + " is named in PmixLayouts but pmix_layout.c does not print it: add it there");
        }
        else if (Long.parseLong(c) != java)
        {
            mismatches.add(what + ": C says " + c + ", Java says " + java);
        }
    }

    private static void collectFields(final GroupLayout group, final String prefix, final long base,
        final Map<String, long[]> fields)
    {
        long offset = 0;
        for (final MemoryLayout member : group.memberLayouts())
        {
            final long memberOffset = group instanceof StructLayout ? offset : 0;
            if (member.name().isPresent())
            {
                final String path = prefix + member.name().get();
                fields.put(path, new long[]{base + memberOffset, member.byteSize()});
                if (member instanceof GroupLayout inner)
                {
                    collectFields(inner, path + ".", base + memberOffset, fields);
                }
            }
            offset += member.byteSize();
        }
    }

    private static Map<String, String> runLayoutProgram() throws IOException, InterruptedException
    {
        final Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        final Path source = module.resolve("src/test/c/pmix_layout.c");
        assertTrue(Files.isRegularFile(source), "missing " + source);
        final Path binary = module.resolve("target/pmix-layout");
        Files.createDirectories(binary.getParent());

        final List<String> command = new ArrayList<>(List.of("gcc", "-Wall", "-o", binary.toString()));
        for (final String dir : INCLUDE_DIRS)
        {
            if (Files.isRegularFile(Path.of(dir, "pmix.h")))
            {
                command.add("-I" + dir);
            }
        }
        command.add(source.toString());
        final boolean headersFound = command.stream().anyMatch(arg -> arg.startsWith("-I"));
        requireTool(headersFound, "the PMIx headers (pmix.h) are not installed");

        final ProcessResult compile;
        try
        {
            compile = run(command);
        }
        catch (final IOException ex)
        {
            requireTool(false, "gcc is not installed (" + ex.getMessage() + ")");
            throw ex;
        }
        if (0 != compile.exitCode)
        {
            fail("gcc failed on pmix_layout.c (" + PACKAGES + "?)\n" + compile.output);
        }
        final ProcessResult layout = run(List.of(binary.toString()));
        assertEquals(0, layout.exitCode, "pmix-layout failed:\n" + layout.output);

        final Map<String, String> values = new HashMap<>();
        for (final String line : layout.output.split("\n"))
        {
            final String[] words = line.trim().split(" ");
            if (("S".equals(words[0]) || "C".equals(words[0]) || "K".equals(words[0])) && words.length == 3)
            {
                values.put(words[0] + " " + words[1], words[2]);
            }
            else if ("F".equals(words[0]) && words.length == 5)
            {
                values.put("F " + words[1] + " " + words[2] + " offset", words[3]);
                values.put("F " + words[1] + " " + words[2] + " size", words[4]);
            }
            else if (!line.isBlank())
            {
                fail("unexpected line from pmix-layout: " + line);
            }
        }
        return values;
    }

    /** Skips on a developer machine without the tools; fails under CI, where .ci/run installs them. */
    private static void requireTool(final boolean present, final String what)
    {
        if (present)
        {
            return;
        }
        final String message = what + ", so the PMIx struct layouts cannot be checked: " + PACKAGES;
        if (null != System.getenv("CI"))
        {
            fail(message + " (CI is set: .ci/run installs them)");
        }
        Assumptions.abort(message);
    }

    private record ProcessResult(int exitCode, String output)
    {
    }

    private static ProcessResult run(final List<String> command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try
        {
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                fail(String.join(" ", command) + " did not finish within 60 s");
            }
            return new ProcessResult(process.exitValue(), output);
        }
        finally
        {
            process.destroyForcibly();
        }
    }
}
