package io.javelin.mpi.internal.collective;

import io.javelin.mpi.ElementType;
import io.javelin.mpi.Op;
import io.javelin.mpi.internal.Errors;

/**
 * The reduction operations as an enum the kernels switch on, with the element types each applies to.
 */
public enum ReductionOp
{
    /** {@link Op#SUM}. */
    SUM,
    /** {@link Op#PROD}. */
    PROD,
    /** {@link Op#MIN}: {@code Math.min} semantics on FLOAT and DOUBLE (NaN wins, -0.0 below 0.0). */
    MIN,
    /** {@link Op#MAX}: {@code Math.max} semantics on FLOAT and DOUBLE (NaN wins, 0.0 above -0.0). */
    MAX,
    /** {@link Op#BAND}, INT and LONG only. */
    BAND,
    /** {@link Op#BOR}, INT and LONG only. */
    BOR,
    /** {@link Op#BXOR}, INT and LONG only. */
    BXOR;

    /**
     * Checks that the operation applies to the element type.
     *
     * @param op        the public operation.
     * @param type      element type of the buffers.
     * @param operation the collective, for the message.
     * @return the operation.
     * @throws io.javelin.mpi.JavelinException INVALID_ARGUMENT for a null op, BYTE buffers, or a bitwise op on
     *                                         FLOAT or DOUBLE.
     */
    public static ReductionOp of(final Op op, final ElementType type, final String operation)
    {
        if (null == op)
        {
            throw Errors.invalid(operation + ": op is null; pass Op.SUM, Op.MAX, ...");
        }
        final ReductionOp reduction = op == Op.SUM ? SUM : op == Op.PROD ? PROD : op == Op.MIN ? MIN :
            op == Op.MAX ? MAX : op == Op.BAND ? BAND : op == Op.BOR ? BOR : BXOR;
        if (type == ElementType.BYTE)
        {
            throw Errors.invalid(operation + ": " + op + " cannot reduce BYTE buffers: reductions apply to INT, " +
                "LONG, FLOAT and DOUBLE; view the memory as one of them (Buf.of(segment, ElementType.INT))");
        }
        if (op.isBitwise() && (type == ElementType.FLOAT || type == ElementType.DOUBLE))
        {
            throw Errors.invalid(operation + ": " + op + " applies to INT and LONG only, not " + type +
                ": use SUM, PROD, MIN or MAX for floating-point data");
        }
        return reduction;
    }
}
