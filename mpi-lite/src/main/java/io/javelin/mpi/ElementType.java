package io.javelin.mpi;

/**
 * The element types a {@link Buf} can hold, with their size in bytes.
 */
public enum ElementType
{
    /** 8-bit bytes. */
    BYTE(1),
    /** 32-bit signed integers. */
    INT(4),
    /** 64-bit signed integers. */
    LONG(8),
    /** 32-bit IEEE floats. */
    FLOAT(4),
    /** 64-bit IEEE doubles. */
    DOUBLE(8);

    private final int byteSize;

    ElementType(final int byteSize)
    {
        this.byteSize = byteSize;
    }

    /**
     * @return bytes per element.
     */
    public int byteSize()
    {
        return byteSize;
    }
}
