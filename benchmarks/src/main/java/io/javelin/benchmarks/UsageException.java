package io.javelin.benchmarks;

/**
 * The command line or the job does not suit the benchmark (unknown option, bad value, too few ranks).
 * Every rank sees the same arguments and job size, so every rank throws it alike.
 */
public final class UsageException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String usage;

    /**
     * @param message what is wrong and how to fix it.
     * @param usage   the benchmark's option summary, or "" when the options are not the problem.
     */
    public UsageException(final String message, final String usage)
    {
        super(message);
        this.usage = usage;
    }

    /**
     * @return the benchmark's option summary, or "" when the options are not the problem.
     */
    public String usage()
    {
        return usage;
    }
}
