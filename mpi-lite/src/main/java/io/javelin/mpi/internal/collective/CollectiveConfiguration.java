package io.javelin.mpi.internal.collective;

import io.javelin.transport.Sizes;
import io.javelin.transport.config.ConfigKey;

import java.util.List;
import java.util.Map;

/**
 * Where the collectives switch algorithm, by message size and rank count. Each key is read like every other
 * Javelin setting (default here, environment {@code JAVELIN_COLL_...}, system property, or an argument
 * {@code --javelin.coll....=value} to {@code Javelin.init} / {@code runLocal}); byte counts take k/m/g
 * suffixes. Every rank of a job must use the same values: ranks that chose different algorithms for one
 * collective would not match each other's messages.
 *
 * <p>The defaults suit one node over loopback TCP or shared memory; tune them per system with
 * {@code javelin bench allreduce|bcast}.
 */
public final class CollectiveConfiguration
{
    /**
     * Bytes from which bcast scatters the message (binomial tree) and reassembles it with a ring allgather
     * (van de Geijn) instead of sending it whole down a binomial tree.
     */
    public static final String BCAST_SCATTER_MIN_BYTES_PROP_NAME = "javelin.coll.bcast.scatter.min.bytes";
    /** Default: 512 KiB. */
    public static final long BCAST_SCATTER_MIN_BYTES_DEFAULT = 512 * 1024;
    /** Ranks from which bcast may use scatter + ring allgather (below, the binomial tree always). */
    public static final String BCAST_SCATTER_MIN_RANKS_PROP_NAME = "javelin.coll.bcast.scatter.min.ranks";
    /** Default: 3 (with 2 ranks the binomial tree sends each byte once, the ring twice). */
    public static final int BCAST_SCATTER_MIN_RANKS_DEFAULT = 3;
    /**
     * Bytes from which allreduce runs reduce-scatter by recursive halving + allgather by recursive doubling
     * (Rabenseifner) instead of recursive doubling on whole vectors.
     */
    public static final String ALLREDUCE_LARGE_MIN_BYTES_PROP_NAME = "javelin.coll.allreduce.large.min.bytes";
    /**
     * Default ({@code auto}) over a transport whose rendezvous transfers do not overlap (TCP): 128 KiB (with 2
     * ranks both algorithms move the same bytes, recursive doubling in one exchange instead of two; over
     * loopback TCP it stays ahead up to 64 KiB: 18-20 against 27-32 us there).
     */
    public static final long ALLREDUCE_LARGE_MIN_BYTES_DEFAULT = 128 * 1024;
    /**
     * Default ({@code auto}) where rendezvous transfers overlap (Aeron, RDMA, the local transport): 64 KiB. A
     * 64 KiB vector is past Aeron's eager limit, a rendezvous that nothing overlaps in recursive doubling;
     * Rabenseifner's halves go in eager segments, each reduced as it lands (2 ranks over Aeron IPC: 7-8 against
     * 11-12 us).
     */
    public static final long ALLREDUCE_LARGE_MIN_BYTES_OVERLAPPING_DEFAULT = 64 * 1024;
    /** {@link #allreduceLargeMinBytes} when the key says {@code auto}. */
    private static final long AUTO = -1;
    /** Bytes received in total from which allgather runs a ring instead of Bruck's algorithm. */
    public static final String ALLGATHER_RING_MIN_BYTES_PROP_NAME = "javelin.coll.allgather.ring.min.bytes";
    /** Default: 64 KiB. */
    public static final long ALLGATHER_RING_MIN_BYTES_DEFAULT = 64 * 1024;
    /**
     * Bytes of the send buffer from which reduceScatterBlock runs a ring instead of an allreduce (recursive
     * doubling) of the whole vector.
     */
    public static final String REDUCE_SCATTER_RING_MIN_BYTES_PROP_NAME =
        "javelin.coll.reducescatter.ring.min.bytes";
    /** Default: 64 KiB. */
    public static final long REDUCE_SCATTER_RING_MIN_BYTES_DEFAULT = 64 * 1024;

    /**
     * Segments that each exchange of the large allreduce is cut into, so that reductions overlap the
     * transfer (and smaller segments may skip the rendezvous handshake).
     */
    public static final String SEGMENTS_PROP_NAME = "javelin.coll.segments";
    /**
     * Default: 2 (over loopback TCP, 2 segments of a 128 KiB half go eagerly and beat one rendezvous; more,
     * smaller segments cost more per message than the overlap saves). Over a transport whose rendezvous
     * transfers do not overlap (TCP), segments longer than the eager limit are not cut: the exchange goes as one
     * message.
     */
    public static final int SEGMENTS_DEFAULT = 2;

    /** {@link #BCAST_SCATTER_MIN_BYTES_PROP_NAME} declared. */
    public static final ConfigKey<Long> BCAST_SCATTER_MIN_BYTES = ConfigKey.bytes(BCAST_SCATTER_MIN_BYTES_PROP_NAME,
        BCAST_SCATTER_MIN_BYTES_DEFAULT, 0, Long.MAX_VALUE,
        "bcast: binomial tree below, scatter + ring allgather from here (bytes; same on every rank)");
    /** {@link #BCAST_SCATTER_MIN_RANKS_PROP_NAME} declared. */
    public static final ConfigKey<Long> BCAST_SCATTER_MIN_RANKS = ConfigKey.number(BCAST_SCATTER_MIN_RANKS_PROP_NAME,
        BCAST_SCATTER_MIN_RANKS_DEFAULT, 1, Integer.MAX_VALUE,
        "bcast: ranks from which scatter + ring allgather may be used (same on every rank)");
    /** {@link #ALLREDUCE_LARGE_MIN_BYTES_PROP_NAME} declared. */
    public static final ConfigKey<Long> ALLREDUCE_LARGE_MIN_BYTES = ConfigKey.of(
        ALLREDUCE_LARGE_MIN_BYTES_PROP_NAME, "auto",
        "allreduce: recursive doubling below, Rabenseifner from here (bytes, or auto: 64k where rendezvous " +
        "transfers overlap, as over Aeron and RDMA, 128k over TCP; same on every rank)",
        CollectiveConfiguration::parseAutoOrBytes);
    /** {@link #ALLGATHER_RING_MIN_BYTES_PROP_NAME} declared. */
    public static final ConfigKey<Long> ALLGATHER_RING_MIN_BYTES = ConfigKey.bytes(ALLGATHER_RING_MIN_BYTES_PROP_NAME,
        ALLGATHER_RING_MIN_BYTES_DEFAULT, 0, Long.MAX_VALUE,
        "allgather (total received): Bruck below, ring from here (bytes; same on every rank)");
    /** {@link #REDUCE_SCATTER_RING_MIN_BYTES_PROP_NAME} declared. */
    public static final ConfigKey<Long> REDUCE_SCATTER_RING_MIN_BYTES = ConfigKey.bytes(
        REDUCE_SCATTER_RING_MIN_BYTES_PROP_NAME, REDUCE_SCATTER_RING_MIN_BYTES_DEFAULT, 0, Long.MAX_VALUE,
        "reduceScatterBlock (send bytes): allreduce + copy below, ring from here (same on every rank)");
    /** {@link #SEGMENTS_PROP_NAME} declared. */
    public static final ConfigKey<Long> SEGMENTS = ConfigKey.number(SEGMENTS_PROP_NAME, SEGMENTS_DEFAULT, 1,
        Integer.MAX_VALUE, "large allreduce: segments per exchange, each reduced as it arrives (same on every rank)");
    /** Every collectives key, in the order {@code javelin info} shows them. */
    public static final List<ConfigKey<?>> KEYS = List.of(ALLREDUCE_LARGE_MIN_BYTES, SEGMENTS,
        BCAST_SCATTER_MIN_BYTES, BCAST_SCATTER_MIN_RANKS, ALLGATHER_RING_MIN_BYTES, REDUCE_SCATTER_RING_MIN_BYTES);

    private final long bcastScatterMinBytes;
    private final int bcastScatterMinRanks;
    private final long allreduceLargeMinBytes;
    private final long allgatherRingMinBytes;
    private final long reduceScatterRingMinBytes;
    private final int segments;

    private CollectiveConfiguration(final long bcastScatterMinBytes, final int bcastScatterMinRanks,
        final long allreduceLargeMinBytes, final long allgatherRingMinBytes, final long reduceScatterRingMinBytes,
        final int segments)
    {
        this.bcastScatterMinBytes = bcastScatterMinBytes;
        this.bcastScatterMinRanks = bcastScatterMinRanks;
        this.allreduceLargeMinBytes = allreduceLargeMinBytes;
        this.allgatherRingMinBytes = allgatherRingMinBytes;
        this.reduceScatterRingMinBytes = reduceScatterRingMinBytes;
        this.segments = segments;
    }

    /**
     * @param settings resolved settings ({@code javelin.*} keys to values); missing keys take the defaults.
     * @return the validated configuration.
     * @throws IllegalArgumentException naming the key whose value is not a size or count.
     */
    public static CollectiveConfiguration from(final Map<String, String> settings)
    {
        return new CollectiveConfiguration(
            get(settings, BCAST_SCATTER_MIN_BYTES),
            get(settings, BCAST_SCATTER_MIN_RANKS).intValue(),
            get(settings, ALLREDUCE_LARGE_MIN_BYTES),
            get(settings, ALLGATHER_RING_MIN_BYTES),
            get(settings, REDUCE_SCATTER_RING_MIN_BYTES),
            get(settings, SEGMENTS).intValue());
    }

    /**
     * @return the defaults.
     */
    public static CollectiveConfiguration defaults()
    {
        return from(Map.of());
    }

    /**
     * @return message bytes from which bcast uses scatter + ring allgather.
     */
    public long bcastScatterMinBytes()
    {
        return bcastScatterMinBytes;
    }

    /**
     * @return ranks from which bcast may use scatter + ring allgather.
     */
    public int bcastScatterMinRanks()
    {
        return bcastScatterMinRanks;
    }

    /**
     * @param rendezvousOverlaps {@code TransportCapabilities.rendezvousOverlaps} of the communicator's transport.
     * @return vector bytes from which allreduce uses Rabenseifner's algorithm: as set, or for {@code auto} the
     *         default for such a transport.
     */
    public long allreduceLargeMinBytes(final boolean rendezvousOverlaps)
    {
        if (AUTO != allreduceLargeMinBytes)
        {
            return allreduceLargeMinBytes;
        }
        return rendezvousOverlaps ? ALLREDUCE_LARGE_MIN_BYTES_OVERLAPPING_DEFAULT : ALLREDUCE_LARGE_MIN_BYTES_DEFAULT;
    }

    /**
     * @return total received bytes from which allgather uses a ring.
     */
    public long allgatherRingMinBytes()
    {
        return allgatherRingMinBytes;
    }

    /**
     * @return send bytes from which reduceScatterBlock uses a ring.
     */
    public long reduceScatterRingMinBytes()
    {
        return reduceScatterRingMinBytes;
    }

    /**
     * @return segments per exchange of the large allreduce (at least 1).
     */
    public int segments()
    {
        return segments;
    }

    @Override
    public String toString()
    {
        return BCAST_SCATTER_MIN_BYTES_PROP_NAME + "=" + bcastScatterMinBytes + ", " +
            BCAST_SCATTER_MIN_RANKS_PROP_NAME + "=" + bcastScatterMinRanks + ", " +
            ALLREDUCE_LARGE_MIN_BYTES_PROP_NAME + "=" + (AUTO == allreduceLargeMinBytes ? "auto" :
            allreduceLargeMinBytes) + ", " +
            ALLGATHER_RING_MIN_BYTES_PROP_NAME + "=" + allgatherRingMinBytes + ", " +
            REDUCE_SCATTER_RING_MIN_BYTES_PROP_NAME + "=" + reduceScatterRingMinBytes + ", " +
            SEGMENTS_PROP_NAME + "=" + segments;
    }

    private static long parseAutoOrBytes(final String key, final String text)
    {
        if ("auto".equalsIgnoreCase(text.trim()))
        {
            return AUTO;
        }
        try
        {
            return Sizes.parseBytes(key, text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(ex.getMessage() + ", or auto", ex);
        }
    }

    /**
     * A blank value means the default, as it always has for these keys.
     */
    private static <T> T get(final Map<String, String> settings, final ConfigKey<T> key)
    {
        final String value = settings.get(key.name());
        return null == value || value.isBlank() ? key.defaultValue() : key.parse(value.trim());
    }
}
