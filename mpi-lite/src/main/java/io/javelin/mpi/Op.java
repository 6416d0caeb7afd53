package io.javelin.mpi;

/**
 * Reduction operations, element-wise on INT, LONG, FLOAT and DOUBLE (BAND, BOR, BXOR on INT and LONG only).
 */
public final class Op
{
    /** Sum. */
    public static final Op SUM = new Op("SUM", false);
    /** Product. */
    public static final Op PROD = new Op("PROD", false);
    /** Minimum. */
    public static final Op MIN = new Op("MIN", false);
    /** Maximum. */
    public static final Op MAX = new Op("MAX", false);
    /** Bitwise and. */
    public static final Op BAND = new Op("BAND", true);
    /** Bitwise or. */
    public static final Op BOR = new Op("BOR", true);
    /** Bitwise exclusive or. */
    public static final Op BXOR = new Op("BXOR", true);

    private final String name;
    private final boolean bitwise;

    private Op(final String name, final boolean bitwise)
    {
        this.name = name;
        this.bitwise = bitwise;
    }

    /**
     * @return true for BAND, BOR, BXOR, which apply to integer types only.
     */
    public boolean isBitwise()
    {
        return bitwise;
    }

    @Override
    public String toString()
    {
        return name;
    }
}
