package io.javelin.messaging.bootstrap;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The bootstrap of a job of one rank, started without any launcher ({@code java -cp ... Main}).
 *
 * <p>Values become visible at {@link #fence()}, as with every other bootstrap, so that code which forgets
 * to fence fails with one rank too. Not thread-safe.
 */
public final class SingletonBootstrap implements Bootstrap
{
    private final long jobSecret = new SecureRandom().nextLong();
    private final Map<String, byte[]> pending = new HashMap<>();
    private final Map<String, byte[]> fenced = new HashMap<>();

    /**
     * Creates the bootstrap of rank 0 of a job of size 1, with a random job secret.
     */
    public SingletonBootstrap()
    {
    }

    @Override
    public int rank()
    {
        return 0;
    }

    @Override
    public int size()
    {
        return 1;
    }

    @Override
    public long jobSecret()
    {
        return jobSecret;
    }

    @Override
    public int localSize()
    {
        return 1;
    }

    @Override
    public String kind()
    {
        return "singleton";
    }

    @Override
    public void put(final String key, final byte[] value)
    {
        pending.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value").clone());
    }

    @Override
    public void fence()
    {
        fenced.putAll(pending);
        pending.clear();
    }

    @Override
    public byte[] get(final String key)
    {
        final byte[] value = fenced.get(key);
        if (null == value)
        {
            throw new BootstrapException("no bootstrap key '" + key + "' was put before the last fence " +
                "(single-rank job): put it, then call fence, then get");
        }
        return value.clone();
    }

    @Override
    public void abort(final int exitCode, final String reason)
    {
        // no launcher to tell: the caller exits on its own
    }

    @Override
    public void close()
    {
        pending.clear();
    }
}
