package io.javelin.transport.local;

import io.javelin.transport.TransportException;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry of live local transports of this JVM: fabric name to rank to transport. A fabric groups
 * the ranks of one job; it exists while at least one of its transports is open.
 *
 * <p>Thread-safe. Used at creation, close and first contact with a peer, never per message.
 */
final class LocalFabric
{
    private static final ConcurrentHashMap<String, ConcurrentHashMap<Integer, LocalTransport>> FABRICS =
        new ConcurrentHashMap<>();

    private LocalFabric()
    {
    }

    /**
     * @param address   fabric and rank.
     * @param transport the transport living there.
     * @throws TransportException if the rank is taken in that fabric.
     */
    static void register(final LocalAddress address, final LocalTransport transport)
    {
        FABRICS.compute(address.fabric(), (name, ranks) ->
        {
            final ConcurrentHashMap<Integer, LocalTransport> live = null == ranks ? new ConcurrentHashMap<>() : ranks;
            if (null != live.putIfAbsent(address.rank(), transport))
            {
                throw new TransportException(address + " is already open in this JVM (two jobs sharing a fabric, " +
                    "or a transport not closed): give each job its own " +
                    LocalTransportConfiguration.FABRIC_PROP_NAME + ", and close transports when a job ends");
            }
            return live;
        });
    }

    /**
     * Removes the transport; removes the fabric when it was the last one.
     *
     * @param address   fabric and rank.
     * @param transport the transport registered there.
     */
    static void unregister(final LocalAddress address, final LocalTransport transport)
    {
        FABRICS.computeIfPresent(address.fabric(), (name, ranks) ->
        {
            ranks.remove(address.rank(), transport);
            return ranks.isEmpty() ? null : ranks;
        });
    }

    /**
     * @param address fabric and rank.
     * @return the open transport there, or null.
     */
    static LocalTransport lookup(final LocalAddress address)
    {
        final ConcurrentHashMap<Integer, LocalTransport> ranks = FABRICS.get(address.fabric());
        return null == ranks ? null : ranks.get(address.rank());
    }

    /**
     * @param fabric a fabric name.
     * @return whether any transport of that fabric is open.
     */
    static boolean exists(final String fabric)
    {
        return FABRICS.containsKey(fabric);
    }

    /**
     * @param fabric a fabric name.
     * @return the transports open in it now (a snapshot).
     */
    static Collection<LocalTransport> members(final String fabric)
    {
        final ConcurrentHashMap<Integer, LocalTransport> ranks = FABRICS.get(fabric);
        return null == ranks ? List.of() : List.copyOf(ranks.values());
    }
}
