package io.javelin.messaging.bootstrap;

import java.util.Objects;

/**
 * The bootstrap of one rank of a job whose ranks are threads of one JVM; created by
 * {@link LocalExchange#bootstrap(int)}, which owns the shared state. Use it from that rank's thread.
 */
public final class LocalBootstrap implements Bootstrap
{
    private final LocalExchange exchange;
    private final int rank;
    private boolean closed;

    LocalBootstrap(final LocalExchange exchange, final int rank)
    {
        this.exchange = exchange;
        this.rank = rank;
    }

    @Override
    public int rank()
    {
        return rank;
    }

    @Override
    public int size()
    {
        return exchange.size();
    }

    @Override
    public long jobSecret()
    {
        return exchange.jobSecret();
    }

    @Override
    public int localSize()
    {
        return exchange.size();
    }

    @Override
    public String kind()
    {
        return "local";
    }

    @Override
    public void put(final String key, final byte[] value)
    {
        ensureOpen();
        exchange.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    }

    @Override
    public void fence()
    {
        ensureOpen();
        exchange.fence(rank);
    }

    @Override
    public byte[] get(final String key)
    {
        return exchange.get(rank, key);
    }

    @Override
    public void abort(final int exitCode, final String reason)
    {
        exchange.abort(rank, exitCode, reason);
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            exchange.leave(rank);
        }
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("bootstrap of rank " + rank + " is closed");
        }
    }
}
