package io.javelin.messaging.bootstrap;

/**
 * Environment variables {@code javelin run} sets for every rank it starts.
 */
public final class LaunchEnvironment
{
    /** This rank, 0 .. size - 1. */
    public static final String RANK = "JAVELIN_RANK";
    /** Ranks in the job. */
    public static final String SIZE = "JAVELIN_SIZE";
    /** Ranks on this host. */
    public static final String LOCAL_SIZE = "JAVELIN_LOCAL_SIZE";
    /** Rank on this host. */
    public static final String LOCAL_RANK = "JAVELIN_LOCAL_RANK";
    /** host:port of the launcher's bootstrap server. */
    public static final String BOOTSTRAP_ADDRESS = "JAVELIN_BOOTSTRAP";
    /** The job secret, 16 hex digits. */
    public static final String JOB_SECRET = "JAVELIN_JOB_SECRET";
    /** A job identifier, for logs and per-job directories. */
    public static final String JOB_ID = "JAVELIN_JOB_ID";

    private LaunchEnvironment()
    {
    }
}
