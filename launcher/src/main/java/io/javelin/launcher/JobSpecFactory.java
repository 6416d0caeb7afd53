package io.javelin.launcher;

import io.javelin.transport.TransportProvider;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Turns command-line input into a checked {@link JobSpec}. Everything that can be checked before starting
 * N JVMs is checked here, with a message that names the fix ({@link InvalidJobException}).
 */
final class JobSpecFactory
{
    private JobSpecFactory()
    {
    }

    /**
     * @param ranks     number of ranks.
     * @param options   shared launch options.
     * @param classpath the user's {@code -cp}, or null.
     * @param jar       the user's {@code --jar}, or null.
     * @param program   main class and arguments (with {@code -cp}), or arguments only (with {@code --jar}).
     * @return the job.
     */
    static JobSpec forProgram(
        final int ranks,
        final LaunchOptions options,
        final String classpath,
        final Path jar,
        final List<String> program)
    {
        if (null != classpath && null != jar)
        {
            throw new InvalidJobException("give either -cp <classpath> <MainClass> or --jar app.jar, not both");
        }
        if (null != jar)
        {
            final String mainClass = mainClassOf(jar);
            return build(ranks, options, List.of(jar.toString()), mainClass, program,
                "the Main-Class " + mainClass + " of " + jar + " is not in the jar nor in Javelin's jars");
        }
        if (program.isEmpty())
        {
            throw new InvalidJobException("no program to run: give -cp <classpath> <MainClass> [args...] " +
                "or --jar app.jar [args...]");
        }
        final String mainClass = program.getFirst();
        final List<String> userClasspath = null == classpath ? List.of() : JavelinClasspath.split(classpath);
        final String notFound = null == classpath ?
            "main class " + mainClass + " is not in Javelin's jars: give your classes with -cp <classpath>" :
            "main class " + mainClass + " not found in -cp " + classpath + " nor in Javelin's jars: check the " +
            "fully qualified class name (e.g. com.example.Main) and the classpath";
        return build(ranks, options, userClasspath, mainClass, program.subList(1, program.size()), notFound);
    }

    /**
     * @param ranks     number of ranks.
     * @param options   shared launch options.
     * @param mainClass a class shipped with Javelin (a benchmark).
     * @param args      its arguments.
     * @return the job.
     */
    static JobSpec forJavelinClass(
        final int ranks, final LaunchOptions options, final String mainClass, final List<String> args)
    {
        return build(ranks, options, List.of(), mainClass, args, "class " + mainClass + " is not in this " +
            "Javelin build: its module does not provide it yet, or the build is stale (rebuild: mvn -B " +
            "-DskipTests package, or delete launcher/target and rerun ./javelin)");
    }

    private static JobSpec build(
        final int ranks,
        final LaunchOptions options,
        final List<String> userClasspath,
        final String mainClass,
        final List<String> args,
        final String notFoundMessage)
    {
        if (ranks < 1)
        {
            throw new InvalidJobException("-n " + ranks + ": a job needs at least 1 rank (e.g. -n 4)");
        }
        if (options.timeoutSeconds < 0)
        {
            throw new InvalidJobException("--timeout " + options.timeoutSeconds + ": give seconds > 0, or 0 for none");
        }
        if (mainClass.startsWith("-"))
        {
            throw new InvalidJobException("unknown option " + mainClass + " (or a missing main class before it); " +
                "options of javelin go before the main class, the program's after it");
        }
        final List<String> classpath = new ArrayList<>(JavelinClasspath.entries());
        classpath.addAll(JavelinClasspath.absolute(userClasspath));
        final List<String> deduplicated = JavelinClasspath.absolute(classpath);
        requireClass(mainClass, deduplicated, notFoundMessage);
        return new JobSpec(ranks, transport(options), options.timeoutSeconds, options.tagOutput,
            options.systemProperties, deduplicated, mainClass, args, hostPlan(ranks, options));
    }

    private static HostPlan hostPlan(final int ranks, final LaunchOptions options)
    {
        if (null != options.hosts && null != options.hostfile)
        {
            throw new InvalidJobException("give either --hosts or --hostfile, not both");
        }
        if (null == options.hosts && null == options.hostfile)
        {
            if (null != options.bootstrapAddress)
            {
                return HostPlan.forHosts(ranks, List.of(new HostSlots("localhost", ranks)), List.of(),
                    options.bootstrapAddress);
            }
            return HostPlan.local(ranks);
        }
        final List<HostSlots> hosts = null != options.hosts ?
            HostSlots.parseList(options.hosts) : HostSlots.parseHostfile(options.hostfile);
        return HostPlan.forHosts(ranks, hosts, HostPlan.sshCommand(options.ssh), options.bootstrapAddress);
    }

    private static String transport(final LaunchOptions options)
    {
        if (null == options.transport)
        {
            return options.systemProperties.getOrDefault(LauncherConfiguration.TRANSPORT_PROP_NAME, "auto");
        }
        final String name = options.transport.trim().toLowerCase(Locale.ROOT);
        if (LauncherConfiguration.KNOWN_TRANSPORTS.contains(name))
        {
            return name;
        }
        final TreeSet<String> known = new TreeSet<>(LauncherConfiguration.KNOWN_TRANSPORTS);
        try
        {
            for (final TransportProvider provider : ServiceLoader.load(TransportProvider.class))
            {
                if (provider.name().equals(name))
                {
                    return name;
                }
                known.add(provider.name());
            }
        }
        catch (final ServiceConfigurationError ignore)
        {
            // a broken provider cannot be the one asked for; javelin info shows the error
        }
        throw new InvalidJobException("unknown transport '" + options.transport + "': use one of " +
            String.join(", ", known) + " (javelin info shows which are available)");
    }

    private static String mainClassOf(final Path jar)
    {
        if (!Files.isRegularFile(jar))
        {
            throw new InvalidJobException("--jar " + jar + ": no such file");
        }
        try (JarFile jarFile = new JarFile(jar.toFile()))
        {
            final Manifest manifest = jarFile.getManifest();
            final String mainClass = null == manifest ? null : manifest.getMainAttributes().getValue("Main-Class");
            if (null == mainClass || mainClass.isBlank())
            {
                throw new InvalidJobException("--jar " + jar + " has no Main-Class in its manifest: " +
                    "use -cp " + jar + " <MainClass> instead");
            }
            return mainClass.trim();
        }
        catch (final IOException ex)
        {
            throw new InvalidJobException("--jar " + jar + " cannot be read as a jar: " + ex.getMessage());
        }
    }

    private static void requireClass(
        final String mainClass, final List<String> classpath, final String notFoundMessage)
    {
        final List<URL> urls = new ArrayList<>();
        for (final String entry : classpath)
        {
            try
            {
                if (entry.endsWith(File.separator + "*"))
                {
                    addJars(Path.of(entry.substring(0, entry.length() - 2)), urls);
                }
                else
                {
                    urls.add(Path.of(entry).toUri().toURL());
                }
            }
            catch (final IOException ignore)
            {
                // an unreadable entry cannot hold the class; the JVM will skip it too
            }
        }
        final String resource = mainClass.replace('.', '/') + ".class";
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), null))
        {
            if (null == loader.findResource(resource))
            {
                throw new InvalidJobException(notFoundMessage);
            }
        }
        catch (final IOException ex)
        {
            throw new InvalidJobException("cannot search the classpath for " + mainClass + ": " + ex.getMessage());
        }
    }

    private static void addJars(final Path directory, final List<URL> urls) throws IOException
    {
        if (!Files.isDirectory(directory))
        {
            return;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(directory, "*.{jar,JAR}"))
        {
            for (final Path jar : jars)
            {
                try
                {
                    urls.add(jar.toUri().toURL());
                }
                catch (final MalformedURLException ignore)
                {
                    // cannot happen for a file path
                }
            }
        }
    }
}
