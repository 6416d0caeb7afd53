package io.javelin.messaging.bootstrap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The server side of the bootstrap exchange: a TCP server that the ranks of one job join with
 * {@link LauncherBootstrap}, speaking {@link BootstrapProtocol}. It refuses connections without the job secret.
 * {@code javelin run} starts one on 127.0.0.1 (random port), or on an address other hosts reach when ranks run
 * on several hosts; under plain {@code srun} rank 0 starts one inside its own process on its node's address
 * ({@link SlurmBootstrap}).
 *
 * <p>Threads: one platform thread accepts; each connection is served by a virtual thread doing blocking
 * I/O (start-up only, a few messages per rank); one timer thread reports fence time-outs. The
 * {@link Listener} is called from those threads.
 */
public final class BootstrapServer implements AutoCloseable
{
    /**
     * Receives what the launcher must act on.
     */
    public interface Listener
    {
        /**
         * A rank asked to abort the job.
         *
         * @param rank     the rank.
         * @param exitCode the exit code it asked for.
         * @param reason   what happened.
         */
        void onAbort(int rank, int exitCode, String reason);

        /**
         * Something odd that does not stop the job (a refused connection).
         *
         * @param message what happened.
         */
        default void onWarning(final String message)
        {
        }
    }

    private final int size;
    private final long jobSecret;
    private final String jobId;
    private final Listener listener;
    private final ServerSocket serverSocket;
    private final ScheduledExecutorService timer;
    private final BootstrapExchange exchange;
    private final Set<BootstrapConnection> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptThread;
    private final byte[] greeting;
    private volatile boolean closed;

    private BootstrapServer(
        final int size,
        final long jobSecret,
        final String jobId,
        final Listener listener,
        final ServerSocket serverSocket,
        final String greeting)
    {
        this.greeting = null == greeting ? null : BootstrapProtocol.encodeReason(BootstrapProtocol.GREETING, greeting);
        this.size = size;
        this.jobSecret = jobSecret;
        this.jobId = jobId;
        this.listener = listener;
        this.serverSocket = serverSocket;
        this.timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("javelin-bootstrap-timer").daemon().factory());
        this.exchange = new BootstrapExchange(size, timer, listener);
        this.acceptThread = Thread.ofPlatform().name("javelin-bootstrap-accept").daemon().unstarted(this::acceptLoop);
    }

    /**
     * Starts a server on 127.0.0.1 with a random free port.
     *
     * @param size      ranks in the job.
     * @param jobSecret the secret every rank must present.
     * @param jobId     job identifier, for messages.
     * @param listener  receives aborts and warnings.
     * @return the running server.
     * @throws IOException when no port can be bound.
     */
    public static BootstrapServer start(
        final int size, final long jobSecret, final String jobId, final Listener listener) throws IOException
    {
        return start(size, jobSecret, jobId, listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /**
     * Starts a server on the given address of this host with a random free port.
     *
     * @param size        ranks in the job.
     * @param jobSecret   the secret every rank must present.
     * @param jobId       job identifier, for messages.
     * @param listener    receives aborts and warnings.
     * @param bindAddress an address of this host that every rank can reach.
     * @return the running server.
     * @throws IOException when no port can be bound.
     */
    public static BootstrapServer start(
        final int size,
        final long jobSecret,
        final String jobId,
        final Listener listener,
        final InetAddress bindAddress) throws IOException
    {
        return start(size, jobSecret, jobId, listener, new InetSocketAddress(bindAddress, 0));
    }

    /**
     * Starts a server on the given address.
     *
     * @param size        ranks in the job.
     * @param jobSecret   the secret every rank must present.
     * @param jobId       job identifier, for messages.
     * @param listener    receives aborts and warnings.
     * @param bindAddress address and port to listen on (port 0: a random free port).
     * @return the running server.
     * @throws IOException when the address cannot be bound (for example the port is taken).
     */
    public static BootstrapServer start(
        final int size,
        final long jobSecret,
        final String jobId,
        final Listener listener,
        final InetSocketAddress bindAddress) throws IOException
    {
        return start(size, jobSecret, jobId, listener, bindAddress, null);
    }

    /**
     * Starts a server on the given address that greets every connection first.
     *
     * @param size        ranks in the job.
     * @param jobSecret   the secret every rank must present.
     * @param jobId       job identifier, for messages.
     * @param listener    receives aborts and warnings.
     * @param bindAddress address and port to listen on (port 0: a random free port).
     * @param greeting    text every connection receives first in a {@link BootstrapProtocol#GREETING} frame,
     *                    before the rank's HELLO (so that the rank can learn the job secret); null for none.
     * @return the running server.
     * @throws IOException when the address cannot be bound (for example the port is taken).
     */
    public static BootstrapServer start(
        final int size,
        final long jobSecret,
        final String jobId,
        final Listener listener,
        final InetSocketAddress bindAddress,
        final String greeting) throws IOException
    {
        if (size < 1)
        {
            throw new IllegalArgumentException("job size " + size);
        }
        final ServerSocket serverSocket = new ServerSocket();
        try
        {
            serverSocket.bind(bindAddress, Math.max(64, size));
        }
        catch (final IOException | RuntimeException ex)
        {
            serverSocket.close();
            throw ex;
        }
        final BootstrapServer server = new BootstrapServer(size, jobSecret, jobId, listener, serverSocket, greeting);
        server.acceptThread.start();
        return server;
    }

    /**
     * @return {@code host:port}, the value of {@code JAVELIN_BOOTSTRAP} for the ranks.
     */
    public String address()
    {
        return serverSocket.getInetAddress().getHostAddress() + ":" + serverSocket.getLocalPort();
    }

    /**
     * @return the port the server listens on.
     */
    public int port()
    {
        return serverSocket.getLocalPort();
    }

    /**
     * Waits until every accepted connection has closed (each rank said BYE or exited), for a rank that runs
     * the server in its own process and must not pull it away from ranks still talking to it.
     *
     * @param timeoutMs time limit in milliseconds.
     * @return true when every connection closed in time.
     */
    public boolean awaitConnectionsClosed(final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000;
        while (!connections.isEmpty())
        {
            if (System.nanoTime() - deadlineNs >= 0)
            {
                return false;
            }
            try
            {
                Thread.sleep(5);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Stops accepting, closes every connection (ranks waiting in a fence see the connection close) and
     * stops the timer. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            serverSocket.close();
        }
        catch (final IOException ignore)
        {
            // already closed
        }
        connections.forEach(BootstrapConnection::close);
        timer.shutdownNow();
    }

    @Override
    public String toString()
    {
        return "BootstrapServer{" + address() + ", job " + jobId + ", size " + size + "}";
    }

    private void acceptLoop()
    {
        while (!closed)
        {
            final Socket socket;
            try
            {
                socket = serverSocket.accept();
            }
            catch (final IOException ex)
            {
                if (!closed)
                {
                    listener.onWarning("bootstrap server " + address() + " stopped accepting: " + ex);
                }
                return;
            }
            final BootstrapConnection connection = new BootstrapConnection(
                socket, size, jobSecret, jobId, exchange, listener, connections::remove, greeting);
            connections.add(connection);
            if (closed)
            {
                connection.close();
                return;
            }
            Thread.ofVirtual().name("javelin-bootstrap-connection").start(connection);
        }
    }
}
