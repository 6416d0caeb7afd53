package io.javelin.benchmarks;

import java.util.Locale;

/**
 * The message sizes a benchmark runs through, as OSU's {@code -m min:max}: {@code min}, then doubling
 * ({@code 0} is followed by {@code 1}) up to and including {@code max}.
 *
 * <p>Text form: {@code MIN:MAX} or just {@code MAX} (then MIN is the benchmark's default), each a byte
 * count with an optional binary suffix {@code k} (KiB), {@code m} (MiB) or {@code g} (GiB), e.g.
 * {@code 0:4m}.
 *
 * @param minBytes smallest size, at least 0.
 * @param maxBytes largest size, at least minBytes and at most {@link #MAX_BYTES}.
 */
public record SizeRange(int minBytes, int maxBytes)
{
    /** Largest message size a benchmark accepts: 1 GiB (a buffer of it is allocated per direction). */
    public static final int MAX_BYTES = 1 << 30;

    /**
     * @param minBytes smallest size.
     * @param maxBytes largest size.
     * @throws IllegalArgumentException naming the valid range.
     */
    public SizeRange
    {
        if (minBytes < 0 || maxBytes < minBytes || maxBytes > MAX_BYTES)
        {
            throw new IllegalArgumentException("sizes " + minBytes + ":" + maxBytes + " are not a range " +
                "MIN:MAX with 0 <= MIN <= MAX <= 1g");
        }
    }

    /**
     * @param text       {@code MIN:MAX} or {@code MAX}, with optional k/m/g suffixes.
     * @param defaultMin MIN when the text gives only MAX.
     * @return the range.
     * @throws IllegalArgumentException saying what is wrong with the text.
     */
    public static SizeRange parse(final String text, final int defaultMin)
    {
        final int colon = text.indexOf(':');
        if (colon < 0)
        {
            return new SizeRange(Math.min(defaultMin, parseBytes(text)), parseBytes(text));
        }
        return new SizeRange(parseBytes(text.substring(0, colon)), parseBytes(text.substring(colon + 1)));
    }

    /**
     * @param text a byte count with optional suffix k, m or g (powers of 1024), e.g. {@code 64k}.
     * @return bytes.
     * @throws IllegalArgumentException if it is not a count or exceeds {@link #MAX_BYTES}.
     */
    public static int parseBytes(final String text)
    {
        final String trimmed = text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.isEmpty())
        {
            throw new IllegalArgumentException("empty size: write a byte count such as 4096, 64k or 4m");
        }
        final char suffix = trimmed.charAt(trimmed.length() - 1);
        final int shift = switch (suffix)
        {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        final String digits = shift == 0 ? trimmed : trimmed.substring(0, trimmed.length() - 1);
        final long value;
        try
        {
            value = Long.parseLong(digits) << shift;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("'" + text + "' is not a size: write a byte count such as " +
                "4096, 64k or 4m", ex);
        }
        if (value < 0 || value > MAX_BYTES || Long.parseLong(digits) > MAX_BYTES)
        {
            throw new IllegalArgumentException("size '" + text + "' is out of range 0 .. 1g");
        }
        return (int)value;
    }

    /**
     * @return the sizes in order: min, then doubling (0 is followed by 1), up to max.
     */
    public int[] sizes()
    {
        int count = 0;
        for (long size = minBytes; size <= maxBytes; size = next(size))
        {
            count++;
        }
        final int[] sizes = new int[count];
        int i = 0;
        for (long size = minBytes; size <= maxBytes; size = next(size))
        {
            sizes[i++] = (int)size;
        }
        return sizes;
    }

    @Override
    public String toString()
    {
        return minBytes + ":" + maxBytes;
    }

    private static long next(final long size)
    {
        return size == 0 ? 1 : size * 2;
    }
}
