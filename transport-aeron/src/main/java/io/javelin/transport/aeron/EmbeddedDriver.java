package io.javelin.transport.aeron;

import io.aeron.Aeron;
import io.aeron.AvailableImageHandler;
import io.aeron.CommonContext;
import io.aeron.Subscription;
import io.aeron.UnavailableImageHandler;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.javelin.transport.TransportException;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentInvoker;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One rank's media driver, embedded in its process with {@link ThreadingMode#INVOKER} (see
 * {@link AeronConfiguration} for why), the rank's own Aeron client of it, the two subscriptions every peer
 * publishes to (UDP from other hosts, IPC from this host) and the clients this rank holds of the drivers of
 * its same-host peers (an IPC publication lives in the subscriber's driver, so a rank publishes to a
 * same-host peer through a client of that peer's driver).
 *
 * <p>Nothing here runs by itself: {@link #doWork(long, boolean)} runs the driver's agents and the clients'
 * conductors on the calling thread. Owned and used by one transport on its progress thread.
 */
final class EmbeddedDriver implements AutoCloseable
{
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    /**
     * Nanoseconds between two runs of the driver while no peer uses UDP and no publication is back-pressured.
     * Each run polls the UDP socket (a system call, most of a microsecond, until {@link #closeUnusedUdp} closes
     * it in a job whose ranks all share this host) and walks the conductor's duties; IPC
     * needs the driver only to move publication limits, keep clients alive and set things up. The limits of the
     * publications peers write into this rank's images move ahead of what it consumed by half a term, and the
     * transport also runs the driver at once whenever its images have consumed a sixteenth of a term since
     * ({@code AeronTransport.consumed}). A message that arrives while the driver runs waits for it, so running it
     * on a clock rather than every few polls keeps it off the latency path. (100 us was tried: the median
     * ping-pong did not move measurably, and eager windows near half a term became less steady.)
     */
    private static final long DRIVER_PERIOD_NS = TimeUnit.MICROSECONDS.toNanos(10);
    /** Nanoseconds between two runs of this rank's client conductor (image callbacks, keep-alives). */
    private static final long CLIENT_PERIOD_NS = TimeUnit.MICROSECONDS.toNanos(1000);
    /** Nanoseconds between two runs of the conductors of the clients of peers' drivers (keep-alives, set-up). */
    private static final long PEER_CLIENT_PERIOD_NS = TimeUnit.MICROSECONDS.toNanos(1000);

    final Path directory;
    final InetSocketAddress udpEndpoint;
    final Subscription udpSubscription;
    final Subscription ipcSubscription;
    private final AeronConfiguration configuration;
    private final MediaDriver driver;
    private final AgentInvoker driverInvoker;
    private final Aeron aeron;
    private final AgentInvoker clientInvoker;
    private final ErrorHandler errorHandler;
    private final Map<String, Aeron> peerClients = new HashMap<>();
    private AgentInvoker[] peerInvokers = new AgentInvoker[0];
    private final Thread cleanupAtExit;
    private long nextDriverNs;
    private long nextClientNs;
    private long nextPeerClientNs;
    private boolean udpInUse;
    private boolean udpClosed;

    private EmbeddedDriver(
        final AeronConfiguration configuration,
        final int rank,
        final AvailableImageHandler onImage,
        final UnavailableImageHandler onImageGone,
        final ErrorHandler errorHandler)
    {
        this.configuration = configuration;
        this.errorHandler = errorHandler;
        final Path base = configuration.directoryBase;
        DriverDirectories.deleteStale(base);
        directory = DriverDirectories.newDirectory(base, rank);
        final long livenessNs = configuration.livenessTimeoutNs;
        MediaDriver launched = null;
        Aeron client = null;
        try
        {
            Files.createDirectories(base);
            launched = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(directory.toString())
                .threadingMode(ThreadingMode.INVOKER)
                .asyncTaskExecutorThreads(0) // the conductor's slow tasks (name lookups) run inline too
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .warnIfDirectoryExists(false)
                .termBufferSparseFile(true)
                .performStorageChecks(false)
                .publicationTermBufferLength(configuration.termLength)
                .ipcTermBufferLength(configuration.termLength)
                .mtuLength(configuration.mtu)
                .ipcMtuLength(configuration.ipcMtu)
                .clientLivenessTimeoutNs(livenessNs)
                .publicationUnblockTimeoutNs(livenessNs + TimeUnit.SECONDS.toNanos(1))
                .imageLivenessTimeoutNs(livenessNs)
                .publicationConnectionTimeoutNs(livenessNs)
                .publicationLingerTimeoutNs(TimeUnit.MILLISECONDS.toNanos(100))
                .errorHandler(errorHandler));
            driverInvoker = launched.sharedAgentInvoker();
            client = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(directory.toString())
                .useConductorAgentInvoker(true)
                .driverAgentInvoker(driverInvoker)
                .driverTimeoutMs(TimeUnit.NANOSECONDS.toMillis(livenessNs))
                .availableImageHandler(onImage)
                .unavailableImageHandler(onImageGone)
                .errorHandler(errorHandler));
            clientInvoker = client.conductorAgentInvoker();
            ipcSubscription = client.addSubscription(CommonContext.IPC_CHANNEL, AeronConfiguration.STREAM_ID);
            if ("ipc".equals(configuration.media))
            {
                udpSubscription = null;
                udpEndpoint = new InetSocketAddress(configuration.bindAddress.getAddress(), 0);
            }
            else
            {
                udpSubscription = client.addSubscription("aeron:udp?endpoint=" +
                    configuration.bindAddress.getAddress().getHostAddress() + ":" + configuration.bindAddress.getPort(),
                    AeronConfiguration.STREAM_ID);
                udpEndpoint = resolve(udpSubscription, driverInvoker, clientInvoker, configuration);
            }
        }
        catch (final RuntimeException | java.io.IOException ex)
        {
            CloseHelper.quietCloseAll(client, launched);
            IoUtil.delete(directory.toFile(), true);
            throw ex instanceof TransportException transportException ? transportException :
                new TransportException("rank " + rank + " cannot start its Aeron media driver in " + directory +
                " (" + ex + "): set " + AeronConfiguration.DIR_PROP_NAME + " to a writable folder with room for " +
                "the term buffers, and " + AeronConfiguration.BIND_PROP_NAME + " to an address of this host", ex);
        }
        driver = launched;
        aeron = client;
        final File toDelete = directory.toFile();
        cleanupAtExit = new Thread(() -> IoUtil.delete(toDelete, true), "javelin-aeron-dir-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupAtExit); // a rank that exits without close() (not killed)
    }

    static EmbeddedDriver launch(
        final AeronConfiguration configuration,
        final int rank,
        final AvailableImageHandler onImage,
        final UnavailableImageHandler onImageGone,
        final ErrorHandler errorHandler)
    {
        return new EmbeddedDriver(configuration, rank, onImage, onImageGone, errorHandler);
    }

    /**
     * Runs the driver's conductor, sender and receiver when UDP is in use, a publication is back-pressured, or
     * its period has passed; this rank's client conductor and the conductors of the clients of peers' drivers
     * (they only keep alive and answer set-up) when theirs have.
     *
     * @param nowNs  {@link System#nanoTime()} now.
     * @param urgent a publication is back-pressured: its limit moves only when the driver runs.
     * @return work done.
     */
    int doWork(final long nowNs, final boolean urgent)
    {
        int work = 0;
        if (udpInUse || urgent || nowNs - nextDriverNs >= 0)
        {
            nextDriverNs = nowNs + DRIVER_PERIOD_NS;
            work += driverInvoker.invoke();
        }
        if (nowNs - nextClientNs >= 0)
        {
            nextClientNs = nowNs + CLIENT_PERIOD_NS;
            work += clientInvoker.invoke();
        }
        if (nowNs - nextPeerClientNs >= 0)
        {
            nextPeerClientNs = nowNs + PEER_CLIENT_PERIOD_NS;
            for (final AgentInvoker invoker : peerInvokers)
            {
                work += invoker.invoke();
            }
        }
        return work;
    }

    /**
     * Runs the driver's agents and this rank's client conductor now, whatever the intervals say.
     */
    void doAllWork()
    {
        driverInvoker.invoke();
        clientInvoker.invoke();
    }

    /**
     * From now on the driver runs on every progress call: UDP frames must be received and sent promptly.
     */
    void useUdp()
    {
        udpInUse = true;
    }

    /**
     * Closes the UDP subscription of a rank whose peers all publish to it by IPC (the caller checks that it knows
     * every peer's address and that all are on this host): while it is open, every run of the driver's receiver
     * polls its socket, a system call of most of a microsecond that a message arriving meanwhile waits for (it
     * was most of the 99th percentile of an 8-byte allreduce). Nothing is sent to it any more: peers are fixed
     * for the job. Does nothing once a peer uses UDP, or when it is closed already.
     */
    void closeUnusedUdp()
    {
        if (udpInUse || udpClosed || null == udpSubscription)
        {
            return;
        }
        udpClosed = true;
        udpSubscription.close();
    }

    /**
     * @return true while the UDP subscription is open (for tests).
     */
    boolean udpOpen()
    {
        return null != udpSubscription && !udpClosed;
    }

    /**
     * @return true once a peer uses UDP: the driver then runs on every progress call.
     */
    boolean usesUdp()
    {
        return udpInUse;
    }

    /**
     * Runs every peer client's conductor now (while waiting for a publication to be added).
     */
    void doPeerClientWork()
    {
        for (final AgentInvoker invoker : peerInvokers)
        {
            invoker.invoke();
        }
    }

    /**
     * @return this rank's client of its own driver.
     */
    Aeron client()
    {
        return aeron;
    }

    /**
     * Returns this rank's client of a same-host peer's driver, connecting on first use.
     *
     * @param peerDirectory the peer's driver directory.
     * @return the client.
     * @throws TransportException when the directory holds no running driver.
     */
    Aeron peerClient(final String peerDirectory)
    {
        if (peerDirectory.equals(directory.toString()))
        {
            return aeron;
        }
        Aeron client = peerClients.get(peerDirectory);
        if (null != client && !client.isClosed())
        {
            return client;
        }
        if (!new File(peerDirectory, "cnc.dat").exists())
        {
            throw new TransportException("no Aeron driver at " + peerDirectory + ": has that rank exited?");
        }
        client = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(peerDirectory)
            .useConductorAgentInvoker(true)
            .driverTimeoutMs(TimeUnit.NANOSECONDS.toMillis(configuration.livenessTimeoutNs))
            .errorHandler(errorHandler));
        peerClients.put(peerDirectory, client);
        peerInvokers = peerClients.values().stream().map(Aeron::conductorAgentInvoker).toArray(AgentInvoker[]::new);
        return client;
    }

    @Override
    public void close()
    {
        for (int i = 0; i < 20; i++)
        {
            doAllWork(); // lets the sender put queued frames (a BYE) on the wire
        }
        CloseHelper.quietCloseAll(peerClients.values());
        peerClients.clear();
        peerInvokers = new AgentInvoker[0];
        CloseHelper.quietCloseAll(aeron, driver);
        IoUtil.delete(directory.toFile(), true);
        try
        {
            Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
        }
        catch (final IllegalStateException ex)
        {
            // closing during shutdown: the hook runs anyway
        }
    }

    private static InetSocketAddress resolve(
        final Subscription subscription,
        final AgentInvoker driverInvoker,
        final AgentInvoker clientInvoker,
        final AeronConfiguration configuration)
    {
        final long deadlineNs = System.nanoTime() + START_TIMEOUT_NS;
        String endpoint;
        while (null == (endpoint = subscription.resolvedEndpoint()))
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new TransportException("the Aeron driver did not bind UDP " + configuration.bindAddress +
                    " within 10 s: set " + AeronConfiguration.BIND_PROP_NAME + " to an address of this host");
            }
            driverInvoker.invoke();
            clientInvoker.invoke();
            Thread.onSpinWait();
        }
        final int colon = endpoint.lastIndexOf(':');
        final int port = Integer.parseInt(endpoint.substring(colon + 1));
        return new InetSocketAddress(configuration.bindAddress.getAddress(), port);
    }
}
