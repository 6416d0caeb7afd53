package io.javelin.messaging.bootstrap;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * The bootstrap of a rank started by {@code javelin run}: a client of the launcher's bootstrap server,
 * speaking {@link BootstrapProtocol} over one blocking TCP connection that stays open until {@link #close()}.
 *
 * <p>Not thread-safe: one rank uses it from one thread (see {@link Bootstrap}), except that
 * {@link #abort(int, String)} may be called from any thread (a failure handler) at any time. Every wait has
 * the time limit given at creation ({@link BootstrapConfiguration#timeoutMs()} from the environment).
 */
public final class LauncherBootstrap implements Bootstrap
{
    /** How long past its own limit a rank waits for the server to report a fence time-out. */
    static final long SERVER_REPLY_GRACE_MS = 5_000;

    private final String address;
    private final int rank;
    private final int size;
    private final int localSize;
    /** Final after the hello: a rank that learns it from the server's greeting sets it then. */
    private long jobSecret;
    private final String jobId;
    private final long timeoutMs;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Map<String, byte[]> fencedValues = new HashMap<>();
    private volatile boolean closed;

    private LauncherBootstrap(
        final String address,
        final int rank,
        final int size,
        final int localSize,
        final long jobSecret,
        final String jobId,
        final long timeoutMs,
        final Socket socket) throws IOException
    {
        this.address = address;
        this.rank = rank;
        this.size = size;
        this.localSize = localSize;
        this.jobSecret = jobSecret;
        this.jobId = jobId;
        this.timeoutMs = timeoutMs;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Joins the job described by the {@link LaunchEnvironment} variables.
     *
     * @param environment the process environment (normally {@link System#getenv()}).
     * @return a bootstrap that has been welcomed by the launcher.
     * @throws BootstrapException when a variable is missing or malformed, or the launcher cannot be reached.
     */
    public static LauncherBootstrap fromEnvironment(final Map<String, String> environment)
    {
        final LaunchVariables variables = LaunchVariables.parse(environment);
        return connect(variables.host(), variables.port(), variables.rank(), variables.size(), variables.localSize(),
            variables.jobSecret(), variables.jobId(), BootstrapConfiguration.timeoutMs());
    }

    /**
     * Connects to a bootstrap server and introduces this rank.
     *
     * @param host      server host (the launcher listens on 127.0.0.1).
     * @param port      server port.
     * @param rank      this rank.
     * @param size      ranks in the job.
     * @param localSize ranks on this host.
     * @param jobSecret the job secret the server checks.
     * @param jobId     job identifier, for messages.
     * @param timeoutMs time limit of every wait.
     * @return a bootstrap that has been welcomed by the server.
     * @throws BootstrapException when the server cannot be reached, refuses this rank or does not answer.
     */
    public static LauncherBootstrap connect(
        final String host,
        final int port,
        final int rank,
        final int size,
        final int localSize,
        final long jobSecret,
        final String jobId,
        final long timeoutMs)
    {
        return connect(host, port, rank, size, localSize, jobSecret, null, jobId, timeoutMs, timeoutMs);
    }

    /**
     * As {@link #connect(String, int, int, int, int, long, String, long)}, with a shorter limit for connecting
     * and the hello than for later waits (a caller trying several ports), and optionally a job secret that
     * the rank computes from the server's {@link BootstrapProtocol#GREETING}.
     *
     * @param secretFromGreeting null: send jobSecret; else the server must greet first, and this function
     *                           turns the greeting into the job secret (it throws {@link BootstrapException}
     *                           when the greeting is not acceptable).
     * @throws RefusedException when the server answered the hello with a refusal.
     */
    static LauncherBootstrap connect(
        final String host,
        final int port,
        final int rank,
        final int size,
        final int localSize,
        final long jobSecret,
        final ToLongFunction<String> secretFromGreeting,
        final String jobId,
        final long timeoutMs,
        final long helloTimeoutMs)
    {
        Objects.requireNonNull(host, "host");
        if (size < 1 || rank < 0 || rank >= size || timeoutMs <= 0 || helloTimeoutMs <= 0)
        {
            throw new IllegalArgumentException("rank " + rank + " of size " + size + ", timeout " + timeoutMs + " ms");
        }
        final String address = host + ":" + port;
        final Socket socket = new Socket();
        try
        {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int)Math.min(Integer.MAX_VALUE, helloTimeoutMs));
            final LauncherBootstrap bootstrap = new LauncherBootstrap(
                address, rank, size, localSize, jobSecret, jobId, timeoutMs, socket);
            if (null != secretFromGreeting)
            {
                bootstrap.jobSecret = secretFromGreeting.applyAsLong(bootstrap.greeting(helloTimeoutMs));
            }
            bootstrap.hello(helloTimeoutMs);
            return bootstrap;
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(socket);
            if (ex instanceof BootstrapException bootstrapException)
            {
                throw bootstrapException;
            }
            throw new BootstrapException("rank " + rank + " cannot reach the launcher's bootstrap server at " +
                address + " (" + ex + "): the launcher has exited or " + LaunchEnvironment.BOOTSTRAP_ADDRESS +
                " is stale; start the job with javelin run", ex);
        }
    }

    private String greeting(final long helloTimeoutMs) throws IOException
    {
        final BootstrapFrame greeting = receive("greeting", helloTimeoutMs);
        if (greeting.type() != BootstrapProtocol.GREETING)
        {
            throw unexpected("greeting", greeting);
        }
        final String text = greeting.readString();
        greeting.expectEnd();
        return text;
    }

    private void hello(final long helloTimeoutMs) throws IOException
    {
        send(BootstrapProtocol.encodeHello(rank, size, jobSecret));
        final BootstrapFrame reply = receive("hello", helloTimeoutMs);
        switch (reply.type())
        {
            case BootstrapProtocol.WELCOME -> reply.expectEnd();
            case BootstrapProtocol.REFUSED -> throw new RefusedException(address, rank, reply.readString());
            default -> throw unexpected("hello", reply);
        }
    }

    @Override
    public int rank()
    {
        return rank;
    }

    @Override
    public int size()
    {
        return size;
    }

    @Override
    public long jobSecret()
    {
        return jobSecret;
    }

    @Override
    public int localSize()
    {
        return localSize;
    }

    @Override
    public String kind()
    {
        return "javelin-run";
    }

    /**
     * @return the job identifier the launcher gave.
     */
    public String jobId()
    {
        return jobId;
    }

    @Override
    public void put(final String key, final byte[] value)
    {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (key.getBytes(StandardCharsets.UTF_8).length > BootstrapProtocol.MAX_KEY_BYTES)
        {
            throw new BootstrapException("bootstrap key longer than " + BootstrapProtocol.MAX_KEY_BYTES + " bytes");
        }
        ensureOpen();
        try
        {
            send(BootstrapProtocol.encodePut(key, value));
        }
        catch (final IOException ex)
        {
            throw lostConnection("put '" + key + "'", ex);
        }
    }

    @Override
    public void fence()
    {
        ensureOpen();
        try
        {
            send(BootstrapProtocol.encodeFence(timeoutMs));
            final BootstrapFrame reply = receive("fence", timeoutMs + SERVER_REPLY_GRACE_MS);
            switch (reply.type())
            {
                case BootstrapProtocol.FENCE_DONE ->
                {
                    final int count = reply.readInt();
                    for (int i = 0; i < count; i++)
                    {
                        final String key = reply.readKey();
                        fencedValues.put(key, reply.readBytes());
                    }
                    reply.expectEnd();
                }
                case BootstrapProtocol.FENCE_FAILED -> throw new BootstrapException(
                    reply.readString() + " (rank " + rank + ", job " + jobId + ", bootstrap " + address + ")");
                default -> throw unexpected("fence", reply);
            }
        }
        catch (final IOException ex)
        {
            throw lostConnection("fence", ex);
        }
    }

    @Override
    public byte[] get(final String key)
    {
        final byte[] value = fencedValues.get(key);
        if (null == value)
        {
            throw new BootstrapException("no rank published bootstrap key '" + key + "' before the last fence (rank " +
                rank + " knows " + fencedValues.size() + " keys): check the key and that its owner put it " +
                "before calling fence");
        }
        return value.clone();
    }

    @Override
    public void abort(final int exitCode, final String reason)
    {
        if (closed)
        {
            return;
        }
        try
        {
            send(BootstrapProtocol.encodeAbort(exitCode, String.valueOf(reason)));
        }
        catch (final IOException | RuntimeException ignore)
        {
            // best effort: the launcher also sees this rank exit
        }
    }

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
            send(BootstrapProtocol.encodeEmpty(BootstrapProtocol.BYE));
        }
        catch (final IOException | RuntimeException ignore)
        {
            // the server treats a closed connection without BYE the same way, only less politely
        }
        closeQuietly(socket);
    }

    @Override
    public String toString()
    {
        return "LauncherBootstrap{rank=" + rank + ", size=" + size + ", job=" + jobId + ", server=" + address + "}";
    }

    private void send(final byte[] frame) throws IOException
    {
        synchronized (out)
        {
            out.write(frame);
            out.flush();
        }
    }

    private BootstrapFrame receive(final String what, final long waitMs) throws IOException
    {
        socket.setSoTimeout((int)Math.min(Integer.MAX_VALUE, waitMs));
        final BootstrapFrame frame;
        try
        {
            frame = BootstrapProtocol.readFrame(in);
        }
        catch (final SocketTimeoutException ex)
        {
            throw new BootstrapException(what + ": rank " + rank + " got no answer from the launcher's bootstrap " +
                "server at " + address + " after " + BootstrapConfiguration.formatSeconds(waitMs) +
                ": is the launcher still alive? (raise -D" + BootstrapConfiguration.TIMEOUT_PROP_NAME +
                "=<seconds> if ranks start slowly)", ex);
        }
        if (null == frame)
        {
            throw new BootstrapException(what + ": the launcher's bootstrap server at " + address +
                " closed the connection of rank " + rank + ": the launcher is stopping the job (see its output)");
        }
        return frame;
    }

    private BootstrapException unexpected(final String what, final BootstrapFrame frame)
    {
        return new BootstrapException(what + ": unexpected " + BootstrapProtocol.typeName(frame.type()) +
            " from the bootstrap server at " + address + ": launcher and rank use different Javelin versions?");
    }

    private BootstrapException lostConnection(final String what, final IOException ex)
    {
        return new BootstrapException(what + ": rank " + rank + " lost its connection to the launcher's bootstrap " +
            "server at " + address + " (" + ex.getMessage() + "): the launcher is stopping the job", ex);
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("bootstrap of rank " + rank + " is closed");
        }
    }

    /**
     * The bootstrap server refused this rank; {@link #reason()} is the server's word.
     */
    static final class RefusedException extends BootstrapException
    {
        private static final long serialVersionUID = 1L;
        private final String reason;

        RefusedException(final String address, final int rank, final String reason)
        {
            super("the bootstrap server at " + address + " refused rank " + rank + ": " + reason);
            this.reason = reason;
        }

        /**
         * @return the reason the server gave.
         */
        String reason()
        {
            return reason;
        }
    }

    private static void closeQuietly(final Socket socket)
    {
        try
        {
            socket.close();
        }
        catch (final IOException ignore)
        {
            // nothing left to release
        }
    }
}
