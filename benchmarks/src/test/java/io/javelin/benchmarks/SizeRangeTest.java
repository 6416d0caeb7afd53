package io.javelin.benchmarks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SizeRangeTest
{
    @Test
    void shouldDoubleFromZeroThroughOneAsOsu()
    {
        assertArrayEquals(new int[]{0, 1, 2, 4, 8, 16}, SizeRange.parse("0:16", 0).sizes());
    }

    @Test
    void shouldReadBinarySuffixes()
    {
        assertEquals(new SizeRange(1024, 4 << 20), SizeRange.parse("1k:4M", 0));
        assertEquals(1 << 30, SizeRange.parseBytes("1g"));
        assertEquals(64, SizeRange.parseBytes(" 64 "));
    }

    @Test
    void shouldKeepTheDefaultMinimumWhenOnlyTheMaximumIsGiven()
    {
        assertArrayEquals(new int[]{1, 2, 4}, SizeRange.parse("4", 1).sizes());
        assertArrayEquals(new int[]{0}, SizeRange.parse("0", 1).sizes());
    }

    @Test
    void shouldStopAtTheMaximumWhenItIsNotAPowerOfTwo()
    {
        assertArrayEquals(new int[]{3, 6, 12}, SizeRange.parse("3:20", 0).sizes());
        assertArrayEquals(new int[]{8}, SizeRange.parse("8:8", 0).sizes());
    }

    @Test
    void shouldRejectWhatIsNotARange()
    {
        assertThrows(IllegalArgumentException.class, () -> SizeRange.parse("8:4", 0));
        assertThrows(IllegalArgumentException.class, () -> SizeRange.parse("x:4", 0));
        assertThrows(IllegalArgumentException.class, () -> SizeRange.parse("0:2g", 0));
        assertThrows(IllegalArgumentException.class, () -> SizeRange.parse("-1:4", 0));
        assertThrows(IllegalArgumentException.class, () -> SizeRange.parse(":", 0));
        assertThrows(IllegalArgumentException.class, () -> SizeRange.parseBytes("99999999999999k"));
    }
}
