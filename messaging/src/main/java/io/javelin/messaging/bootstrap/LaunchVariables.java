package io.javelin.messaging.bootstrap;

import java.util.Map;

/**
 * The {@link LaunchEnvironment} variables of one rank, parsed and checked once.
 *
 * @param rank      this rank.
 * @param size      ranks in the job.
 * @param localSize ranks on this host.
 * @param host      bootstrap server host.
 * @param port      bootstrap server port.
 * @param jobSecret the job secret.
 * @param jobId     the job identifier.
 */
record LaunchVariables(int rank, int size, int localSize, String host, int port, long jobSecret, String jobId)
{
    private static final String FIX = ": ranks of a Javelin job must be started by javelin run";

    static LaunchVariables parse(final Map<String, String> environment)
    {
        final int size = parseInt(environment, LaunchEnvironment.SIZE, 1, Integer.MAX_VALUE);
        final int rank = parseInt(environment, LaunchEnvironment.RANK, 0, size - 1);
        final int localSize = null == environment.get(LaunchEnvironment.LOCAL_SIZE) ?
            size : parseInt(environment, LaunchEnvironment.LOCAL_SIZE, 1, size);

        final String address = require(environment, LaunchEnvironment.BOOTSTRAP_ADDRESS);
        final int colon = address.lastIndexOf(':');
        if (colon <= 0)
        {
            throw invalid(LaunchEnvironment.BOOTSTRAP_ADDRESS, address, "host:port");
        }
        final String host = address.substring(0, colon);
        final int port;
        try
        {
            port = Integer.parseInt(address.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw invalid(LaunchEnvironment.BOOTSTRAP_ADDRESS, address, "host:port");
        }
        if (port < 1 || port > 65535)
        {
            throw invalid(LaunchEnvironment.BOOTSTRAP_ADDRESS, address, "host:port with port 1..65535");
        }

        final String secretText = require(environment, LaunchEnvironment.JOB_SECRET);
        final long secret;
        try
        {
            if (secretText.length() != 16)
            {
                throw new NumberFormatException();
            }
            secret = Long.parseUnsignedLong(secretText, 16);
        }
        catch (final NumberFormatException ex)
        {
            throw invalid(LaunchEnvironment.JOB_SECRET, "(hidden)", "16 hex digits");
        }

        final String jobId = environment.getOrDefault(LaunchEnvironment.JOB_ID, "unknown");
        return new LaunchVariables(rank, size, localSize, host, port, secret, jobId);
    }

    private static int parseInt(final Map<String, String> environment, final String name, final int min, final int max)
    {
        final String text = require(environment, name);
        try
        {
            final int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max)
            {
                return value;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below
        }
        throw invalid(name, text, "a whole number in " + min + ".." + max);
    }

    private static String require(final Map<String, String> environment, final String name)
    {
        final String value = environment.get(name);
        if (null == value || value.isBlank())
        {
            throw new BootstrapException("environment variable " + name + " is not set" + FIX);
        }
        return value;
    }

    private static BootstrapException invalid(final String name, final String value, final String expected)
    {
        return new BootstrapException("environment variable " + name + "=" + value + " is not " + expected + FIX);
    }
}
