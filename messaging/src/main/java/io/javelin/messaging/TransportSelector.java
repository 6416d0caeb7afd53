package io.javelin.messaging;

import io.javelin.transport.TransportProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Chooses the transport: by name, or for {@code auto} the available one with the highest priority.
 * Transports are found with {@link ServiceLoader}; adding one touches its module and one service file.
 */
public final class TransportSelector
{
    private TransportSelector()
    {
    }

    /**
     * A choice and why it was made.
     *
     * @param provider the chosen transport.
     * @param reason   for {@code javelin info} and logs.
     */
    public record Selection(TransportProvider provider, String reason)
    {
    }

    /**
     * @return every transport on the class path, highest priority first.
     */
    public static List<TransportProvider> providers()
    {
        final List<TransportProvider> providers = new ArrayList<>();
        ServiceLoader.load(TransportProvider.class).forEach(providers::add);
        providers.sort((a, b) -> Integer.compare(b.priority(), a.priority()));
        return providers;
    }

    /**
     * @param requested a transport name or "auto".
     * @param jobSize   ranks in the job.
     * @param inJvm     ranks are threads of this JVM (runLocal).
     * @return the choice.
     * @throws IllegalArgumentException naming the transports there are, when the requested one is unknown or
     *                                  unavailable.
     */
    public static Selection select(final String requested, final int jobSize, final boolean inJvm)
    {
        final List<TransportProvider> providers = providers();
        final List<String> names = providers.stream().map(TransportProvider::name).toList();
        if (!"auto".equals(requested))
        {
            for (final TransportProvider provider : providers)
            {
                if (provider.name().equals(requested))
                {
                    final String why = provider.unavailableReason();
                    if (null != why)
                    {
                        throw new IllegalArgumentException("transport " + requested + " is not available here: " +
                            why + "; or choose another with --transport (" + String.join(", ", names) + ")");
                    }
                    return new Selection(provider, "requested");
                }
            }
            throw new IllegalArgumentException("unknown transport '" + requested + "': choose one of auto, " +
                String.join(", ", names));
        }
        final StringBuilder skipped = new StringBuilder();
        for (final TransportProvider provider : providers)
        {
            final boolean local = "local".equals(provider.name());
            if (local != (inJvm || jobSize == 1))
            {
                continue;
            }
            final String why = provider.unavailableReason();
            if (null == why)
            {
                return new Selection(provider, "auto" + (skipped.isEmpty() ? "" : " (" + skipped + ")"));
            }
            skipped.append(skipped.isEmpty() ? "" : "; ").append(provider.name()).append(": ").append(why);
        }
        throw new IllegalArgumentException("no transport is available" +
            (skipped.isEmpty() ? "" : " (" + skipped + ")") + "; transports on the class path: " + names);
    }
}
