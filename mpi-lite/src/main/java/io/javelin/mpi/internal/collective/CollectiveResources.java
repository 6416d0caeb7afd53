package io.javelin.mpi.internal.collective;

/**
 * What the collectives of one rank share across its communicators: scratch memory, remembered slices of
 * buffers, the reduction kernels' arrays and the algorithm switch points.
 *
 * <p>Not thread-safe: used by the rank's thread (collectives of one rank never run at the same time).
 */
public final class CollectiveResources
{
    private final CollectiveConfiguration configuration;
    private final ScratchMemory scratch = new ScratchMemory();
    private final SliceCache slices = new SliceCache();
    private final ElementwiseReducer reducer = new ElementwiseReducer();

    /**
     * @param configuration algorithm switch points.
     */
    public CollectiveResources(final CollectiveConfiguration configuration)
    {
        this.configuration = configuration;
    }

    /**
     * @return algorithm switch points.
     */
    public CollectiveConfiguration configuration()
    {
        return configuration;
    }

    ScratchMemory scratch()
    {
        return scratch;
    }

    SliceCache slices()
    {
        return slices;
    }

    ElementwiseReducer reducer()
    {
        return reducer;
    }
}
