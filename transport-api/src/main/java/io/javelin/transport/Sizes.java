package io.javelin.transport;

/**
 * Parses byte sizes written as {@code 4096}, {@code 64k}, {@code 4m}, {@code 1g} (powers of 1024).
 */
public final class Sizes
{
    private Sizes()
    {
    }

    /**
     * @param what  the setting being parsed, for the error message.
     * @param value the text.
     * @return bytes.
     * @throws IllegalArgumentException naming the setting and the accepted forms.
     */
    public static long parseBytes(final String what, final String value)
    {
        final String text = value.trim().toLowerCase(java.util.Locale.ROOT);
        long multiplier = 1;
        String digits = text;
        if (!text.isEmpty())
        {
            switch (text.charAt(text.length() - 1))
            {
                case 'k' -> multiplier = 1L << 10;
                case 'm' -> multiplier = 1L << 20;
                case 'g' -> multiplier = 1L << 30;
                default -> multiplier = 1;
            }
            if (multiplier != 1)
            {
                digits = text.substring(0, text.length() - 1);
            }
        }
        try
        {
            final long n = Long.parseLong(digits);
            if (n < 0)
            {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, multiplier);
        }
        catch (final NumberFormatException | ArithmeticException ex)
        {
            throw new IllegalArgumentException(what + "=" + value +
                " is not a byte size: write a non-negative number with an optional k, m or g suffix, e.g. 64k");
        }
    }
}
