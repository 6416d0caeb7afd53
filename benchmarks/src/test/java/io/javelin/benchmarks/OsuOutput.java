package io.javelin.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads OSU Micro-Benchmarks output the way simple OSU scripts do: lines starting with '#' are comments (the
 * last one names the columns), every other non-blank line is whitespace-separated numbers, size first.
 *
 * @param comments comment lines, in order.
 * @param rows     data lines as numbers.
 */
record OsuOutput(List<String> comments, List<double[]> rows)
{
    static OsuOutput parse(final String text)
    {
        final List<String> comments = new ArrayList<>();
        final List<double[]> rows = new ArrayList<>();
        for (final String line : text.split("\\R"))
        {
            if (line.startsWith("#"))
            {
                comments.add(line);
            }
            else if (!line.isBlank())
            {
                try
                {
                    rows.add(Arrays.stream(line.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray());
                }
                catch (final NumberFormatException ex)
                {
                    fail("not an OSU data line: '" + line + "' in\n" + text);
                }
            }
        }
        return new OsuOutput(comments, rows);
    }

    String columnHeader()
    {
        assertTrue(!comments.isEmpty(), "no comment lines");
        return comments.getLast();
    }

    /**
     * Asserts that the rows have the given sizes in order and the given number of columns.
     */
    void assertShape(final int[] sizes, final int columns)
    {
        assertEquals(sizes.length, rows.size(), "data lines");
        for (int i = 0; i < sizes.length; i++)
        {
            final double[] row = rows.get(i);
            assertEquals(columns, row.length, "columns of line " + i);
            assertEquals(sizes[i], row[0], "size of line " + i);
            for (int c = 1; c < columns; c++)
            {
                assertTrue(row[c] >= 0 && Double.isFinite(row[c]), "value " + row[c] + " of line " + i);
            }
        }
    }
}
