package io.javelin.messaging.bootstrap;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.function.Consumer;

/**
 * Serves one rank's connection to the {@link BootstrapServer}: checks its HELLO, then hands its PUT,
 * FENCE, ABORT and BYE messages to the {@link BootstrapExchange}. Runs on its own (virtual) thread;
 * {@link #send(byte[])} may be called from any thread.
 */
final class BootstrapConnection implements Runnable
{
    /** A client sends HELLO right after connecting; one that does not within this time is dropped. */
    static final int HELLO_TIMEOUT_MS = 30_000;

    private final Socket socket;
    private final int size;
    private final long jobSecret;
    private final String jobId;
    private final BootstrapExchange exchange;
    private final BootstrapServer.Listener listener;
    private final Consumer<BootstrapConnection> onClose;
    private final byte[] greeting;
    private final Object sendLock = new Object();
    private int rank = -1;

    BootstrapConnection(
        final Socket socket,
        final int size,
        final long jobSecret,
        final String jobId,
        final BootstrapExchange exchange,
        final BootstrapServer.Listener listener,
        final Consumer<BootstrapConnection> onClose,
        final byte[] greeting)
    {
        this.greeting = greeting;
        this.socket = socket;
        this.size = size;
        this.jobSecret = jobSecret;
        this.jobId = jobId;
        this.exchange = exchange;
        this.listener = listener;
        this.onClose = onClose;
    }

    @Override
    public void run()
    {
        boolean leftCleanly = false;
        try
        {
            socket.setTcpNoDelay(true);
            final InputStream in = new BufferedInputStream(socket.getInputStream());
            if (!handshake(in))
            {
                return;
            }
            leftCleanly = serve(in);
        }
        catch (final IOException | BootstrapException ex)
        {
            if (rank >= 0 && !socket.isClosed())
            {
                listener.onWarning("bootstrap connection of rank " + rank + " failed: " + ex.getMessage());
            }
        }
        finally
        {
            if (rank >= 0)
            {
                exchange.leave(rank, leftCleanly);
            }
            close();
        }
    }

    /**
     * Sends one frame; a failure is left for the reading side to notice.
     *
     * @param frame an encoded frame.
     */
    void send(final byte[] frame)
    {
        synchronized (sendLock)
        {
            try
            {
                final OutputStream out = socket.getOutputStream();
                out.write(frame);
                out.flush();
            }
            catch (final IOException ignore)
            {
                // the connection is gone: run() sees it and reports the rank as left
            }
        }
    }

    void close()
    {
        try
        {
            socket.close();
        }
        catch (final IOException ignore)
        {
            // nothing left to release
        }
        onClose.accept(this);
    }

    private boolean handshake(final InputStream in) throws IOException
    {
        if (null != greeting)
        {
            send(greeting);
        }
        socket.setSoTimeout(HELLO_TIMEOUT_MS);
        final BootstrapFrame hello = BootstrapProtocol.readFrame(in);
        if (null == hello)
        {
            return false;
        }
        if (hello.type() != BootstrapProtocol.HELLO || hello.readInt() != BootstrapProtocol.MAGIC)
        {
            listener.onWarning("dropped a connection to the bootstrap server that does not speak the Javelin " +
                "bootstrap protocol (from " + socket.getRemoteSocketAddress() + ")");
            return false;
        }
        final int version = hello.readInt();
        final int helloRank = hello.readInt();
        final int helloSize = hello.readInt();
        final long secret = hello.readLong();
        hello.expectEnd();

        final String refusal;
        if (version != BootstrapProtocol.VERSION)
        {
            refusal = "the launcher speaks bootstrap protocol v" + BootstrapProtocol.VERSION + " but the rank v" +
                version + ": launcher and ranks must use the same Javelin jars";
        }
        else if (secret != jobSecret)
        {
            refusal = BootstrapProtocol.WRONG_SECRET_REFUSAL + ": this bootstrap server belongs to job " + jobId +
                "; a rank must get the job secret from the launcher that started it (javelin run or srun)";
        }
        else if (helloSize != size || helloRank < 0 || helloRank >= size)
        {
            refusal = "rank " + helloRank + " of size " + helloSize + " does not fit job " + jobId + " of size " + size;
        }
        else
        {
            refusal = exchange.join(helloRank, this);
        }

        if (null != refusal)
        {
            listener.onWarning("refused a bootstrap connection claiming rank " + helloRank + ": " + refusal);
            send(BootstrapProtocol.encodeReason(BootstrapProtocol.REFUSED, refusal));
            return false;
        }
        rank = helloRank;
        socket.setSoTimeout(0);
        send(BootstrapProtocol.encodeEmpty(BootstrapProtocol.WELCOME));
        return true;
    }

    /**
     * @return true when the rank said BYE, false when the connection ended without it.
     */
    private boolean serve(final InputStream in) throws IOException
    {
        while (true)
        {
            final BootstrapFrame frame = BootstrapProtocol.readFrame(in);
            if (null == frame)
            {
                return false;
            }
            switch (frame.type())
            {
                case BootstrapProtocol.PUT ->
                {
                    final String key = frame.readKey();
                    final byte[] value = frame.readBytes();
                    frame.expectEnd();
                    exchange.put(key, value);
                }
                case BootstrapProtocol.FENCE ->
                {
                    final long timeoutMs = frame.readLong();
                    frame.expectEnd();
                    exchange.arrive(rank, timeoutMs);
                }
                case BootstrapProtocol.ABORT ->
                {
                    final int exitCode = frame.readInt();
                    final String reason = frame.readString();
                    frame.expectEnd();
                    exchange.abort(rank, exitCode, reason);
                }
                case BootstrapProtocol.BYE ->
                {
                    return true;
                }
                default -> throw new BootstrapException("rank " + rank + " sent an unexpected " +
                    BootstrapProtocol.typeName(frame.type()) + " frame");
            }
        }
    }
}
