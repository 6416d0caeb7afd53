package io.javelin.launcher;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Javelin's version, from {@code javelin-version.properties} (filled in by the build).
 */
public final class JavelinVersion implements IVersionProvider
{
    /**
     * @return the version, e.g. {@code 0.1.0-SNAPSHOT}, or {@code "unknown"} outside a build.
     */
    public static String version()
    {
        try (InputStream in = JavelinVersion.class.getResourceAsStream("javelin-version.properties"))
        {
            if (null == in)
            {
                return "unknown";
            }
            final Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion()
    {
        return new String[]{"Javelin " + version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
}
