package io.javelin.messaging.bootstrap.pmix;

import io.javelin.messaging.bootstrap.BootstrapConfiguration;
import io.javelin.messaging.bootstrap.BootstrapException;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs PMIx calls on one daemon thread and waits for each with a time limit. PMIx servers may ignore
 * {@code PMIX_TIMEOUT} and a native call cannot be interrupted, so a call that does not return within its limit is
 * left behind on that thread, the caller gets a {@link PmixException} with {@code PMIX_ERR_TIMEOUT}, and every
 * later call fails at once (the server is gone or wedged). Callers are one thread at a time.
 */
final class PmixCaller implements AutoCloseable
{
    private final ExecutorService executor;
    private volatile String unusableBecause;

    /**
     * @param threadName name of the daemon thread the calls run on.
     */
    PmixCaller(final String threadName)
    {
        executor = Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * @param what    the call, for messages ("PMIx_Fence").
     * @param limitMs how long to wait for it.
     * @param body    the native calls; runs on this caller's thread (so it allocates its own arena).
     * @param <T>     what it returns.
     * @return what the body returned.
     * @throws PmixException with {@code PMIX_ERR_TIMEOUT} when the body did not return in time, or what the body
     *                       threw.
     */
    <T> T call(final String what, final long limitMs, final NativeCall<T> body)
    {
        final String unusable = unusableBecause;
        if (null != unusable)
        {
            throw new PmixException(what + ": not called because " + unusable, PmixLayouts.ERR_TIMEOUT);
        }
        final Future<T> future = executor.submit(() ->
        {
            try
            {
                return body.call();
            }
            catch (final RuntimeException | Error ex)
            {
                throw ex;
            }
            catch (final Throwable ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        try
        {
            return future.get(limitMs, TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException ex)
        {
            future.cancel(true);
            unusableBecause = what + " never returned (the PMIx server is gone or wedged)";
            throw new PmixException(what + " did not return within " + BootstrapConfiguration.formatSeconds(limitMs),
                PmixLayouts.ERR_TIMEOUT);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof RuntimeException runtime)
            {
                throw runtime;
            }
            if (ex.getCause() instanceof Error error)
            {
                throw error;
            }
            throw new BootstrapException(what + " failed: " + ex.getCause(), ex.getCause());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new BootstrapException(what + ": interrupted while waiting for the PMIx server", ex);
        }
    }

    /**
     * @return whether every call so far returned and {@link #markUnusable(String)} was not called.
     */
    boolean usable()
    {
        return null == unusableBecause;
    }

    /**
     * Makes later calls fail at once.
     *
     * @param because why, for their messages.
     */
    void markUnusable(final String because)
    {
        if (null == unusableBecause)
        {
            unusableBecause = because;
        }
    }

    /**
     * Lets the thread end once its call returns (never, for a call that is stuck: the thread is a daemon).
     */
    @Override
    public void close()
    {
        executor.shutdown();
    }

    /**
     * A body of native calls; downcall handles throw Throwable.
     *
     * @param <T> what it returns.
     */
    @FunctionalInterface
    interface NativeCall<T>
    {
        /**
         * @return the result.
         * @throws Throwable what a downcall threw.
         */
        T call() throws Throwable;
    }
}
