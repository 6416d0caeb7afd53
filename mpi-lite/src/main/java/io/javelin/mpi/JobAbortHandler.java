package io.javelin.mpi;

import io.javelin.messaging.bootstrap.Bootstrap;

/**
 * Turns an exception that escapes the thread which called {@link Javelin#init} into a job abort: the thread's
 * previous handler reports it as usual (stack trace on standard error), then the launcher is told through
 * {@link Bootstrap#abort(int, String)} (PMIx_Abort under mpirun or srun, an abort message under javelin run) and
 * this process exits with code 1, so that the other ranks are stopped instead of waiting for this one. Without it
 * an exception in one rank leaves the others blocked until a launcher notices the exit, which a PMIx server only
 * does once the whole process is gone (and not at all while other non-daemon threads keep the JVM alive).
 */
final class JobAbortHandler implements Thread.UncaughtExceptionHandler
{
    /** Exit code of a rank whose main thread died of an exception, as the JVM's own. */
    static final int EXIT_CODE = 1;

    private final Bootstrap bootstrap;
    private final Thread thread;
    private final Thread.UncaughtExceptionHandler previous;
    private final boolean previousWasSet;

    private JobAbortHandler(final Bootstrap bootstrap, final Thread thread)
    {
        this.bootstrap = bootstrap;
        this.thread = thread;
        this.previous = thread.getUncaughtExceptionHandler();
        this.previousWasSet = !(previous instanceof ThreadGroup);
    }

    /**
     * Installs a handler on the current thread; jobs of one rank get none (there is nobody to stop).
     *
     * @param bootstrap the job's bootstrap.
     * @return the handler, or null when none was installed.
     */
    static JobAbortHandler install(final Bootstrap bootstrap)
    {
        if (bootstrap.size() < 2)
        {
            return null;
        }
        final JobAbortHandler handler = new JobAbortHandler(bootstrap, Thread.currentThread());
        handler.thread.setUncaughtExceptionHandler(handler);
        return handler;
    }

    /**
     * Puts the thread's previous handler back (the job is over: an exception now is no longer a job abort).
     */
    void uninstall()
    {
        if (thread.getUncaughtExceptionHandler() == this)
        {
            thread.setUncaughtExceptionHandler(previousWasSet ? previous : null);
        }
    }

    @Override
    public void uncaughtException(final Thread failed, final Throwable ex)
    {
        try
        {
            previous.uncaughtException(failed, ex);
        }
        finally
        {
            bootstrap.abort(EXIT_CODE, "uncaught " + ex + " in thread " + failed.getName());
            System.exit(EXIT_CODE);
        }
    }
}
