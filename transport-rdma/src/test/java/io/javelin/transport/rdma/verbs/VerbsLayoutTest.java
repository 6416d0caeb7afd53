package io.javelin.transport.rdma.verbs;

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
 * Checks the Java struct layouts of the verbs bindings against the C compiler's view of the installed headers:
 * compiles {@code src/test/c/verbs_layout.c} with gcc into {@code target/}, runs it, and compares every struct
 * size and every named field's offset and size. Needs no RDMA device, only gcc and the -dev packages; when they
 * are missing the test fails and names the package to install (a skipped check would let a wrong offset through).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VerbsLayoutTest
{
    private static final String PACKAGES = "apt-get install gcc libibverbs-dev librdmacm-dev";

    @Test
    void shouldMatchTheOffsetsAndSizesOfTheInstalledHeaders() throws Exception
    {
        final Map<String, Long> cValues = runLayoutProgram();
        final Map<String, StructLayout> structs = new TreeMap<>();
        structs.putAll(IbvLayouts.ALL);
        structs.putAll(RdmaCmLayouts.ALL);

        final List<String> mismatches = new ArrayList<>();
        final Set<String> javaKeys = new HashSet<>();
        for (final Map.Entry<String, StructLayout> struct : structs.entrySet())
        {
            final String name = struct.getKey();
            final StructLayout layout = struct.getValue();
            javaKeys.add("S " + name);
            compare(mismatches, "sizeof(struct " + name + ")", cValues.get("S " + name), layout.byteSize());
            final Map<String, long[]> fields = new TreeMap<>();
            collectFields(layout, "", 0, fields);
            for (final Map.Entry<String, long[]> field : fields.entrySet())
            {
                final String key = "F " + name + " " + field.getKey();
                javaKeys.add(key + " offset");
                javaKeys.add(key + " size");
                compare(mismatches, "offsetof(struct " + name + ", " + field.getKey() + ")",
                    cValues.get(key + " offset"), field.getValue()[0]);
                compare(mismatches, "sizeof(struct " + name + "." + field.getKey() + ")",
                    cValues.get(key + " size"), field.getValue()[1]);
            }
        }
        for (final String key : cValues.keySet())
        {
            if (!javaKeys.contains(key))
            {
                mismatches.add(key + " is printed by verbs_layout.c but not named in IbvLayouts / RdmaCmLayouts");
            }
        }
        assertEquals(List.of(), mismatches, "Java MemoryLayouts differ from the C headers");
        assertTrue(cValues.containsKey("F ibv_context ops.post_send offset"), "the ops table offsets are checked");
    }

    private static void compare(final List<String> mismatches, final String what, final Long c, final long java)
    {
        if (null == c)
        {
            mismatches.add(what + " is named in Java but verbs_layout.c does not print it: add it there");
        }
        else if (c != java)
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

    private static Map<String, Long> runLayoutProgram() throws IOException, InterruptedException
    {
        final Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        final Path source = module.resolve("src/test/c/verbs_layout.c");
        assertTrue(Files.isRegularFile(source), "missing " + source);
        final Path binary = module.resolve("target/verbs-layout");
        Files.createDirectories(binary.getParent());

        final ProcessResult compile;
        try
        {
            compile = run(List.of("gcc", "-Wall", "-o", binary.toString(), source.toString()));
        }
        catch (final IOException ex)
        {
            throw new AssertionError("gcc is not installed, so the verbs struct layouts cannot be checked against " +
                "the headers: " + PACKAGES + " (" + ex.getMessage() + ")", ex);
        }
        if (0 != compile.exitCode)
        {
            final String hint = compile.output.contains("infiniband/verbs.h") ? "libibverbs-dev is missing" :
                compile.output.contains("rdma/rdma_cma.h") ? "librdmacm-dev is missing" : "gcc failed";
            fail(hint + ": " + PACKAGES + "\n" + compile.output);
        }
        final ProcessResult layout = run(List.of(binary.toString()));
        assertEquals(0, layout.exitCode, "verbs-layout failed:\n" + layout.output);

        final Map<String, Long> values = new HashMap<>();
        for (final String line : layout.output.split("\n"))
        {
            final String[] words = line.trim().split(" ");
            if ("S".equals(words[0]) && words.length == 3)
            {
                values.put("S " + words[1], Long.parseLong(words[2]));
            }
            else if ("F".equals(words[0]) && words.length == 5)
            {
                values.put("F " + words[1] + " " + words[2] + " offset", Long.parseLong(words[3]));
                values.put("F " + words[1] + " " + words[2] + " size", Long.parseLong(words[4]));
            }
            else if (!line.isBlank())
            {
                fail("unexpected line from verbs-layout: " + line);
            }
        }
        return values;
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
