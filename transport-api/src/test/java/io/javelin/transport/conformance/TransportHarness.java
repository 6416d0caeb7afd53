package io.javelin.transport.conformance;

import io.javelin.transport.Endpoint;
import io.javelin.transport.Transport;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * Creates transports for one test and drives all of them from the calling thread: every wait calls
 * {@code progress()} on each open transport in turn until a condition holds or a deadline passes.
 * Works for transports that need their peer's progress to move bytes (TCP), since nothing blocks.
 *
 * <p>Not thread-safe: one test thread owns the harness and every transport in it.
 */
public final class TransportHarness implements AutoCloseable
{
    /** System property overriding the wait deadline, in seconds. */
    public static final String TIMEOUT_PROP_NAME = "javelin.conformance.timeout.s";
    /** Default wait deadline. */
    public static final Duration TIMEOUT_DEFAULT = Duration.ofSeconds(30);

    /**
     * One transport under test with its listener and its endpoints to the other nodes.
     */
    public static final class Node
    {
        private final int rank;
        private final Transport transport;
        private final RecordingListener listener;
        private final Endpoint[] endpoints;
        private boolean closed;

        private Node(final int rank, final int jobSize, final Transport transport, final RecordingListener listener)
        {
            this.rank = rank;
            this.transport = transport;
            this.listener = listener;
            this.endpoints = new Endpoint[jobSize];
        }

        /**
         * @return this node's rank.
         */
        public int rank()
        {
            return rank;
        }

        /**
         * @return the transport under test.
         */
        public Transport transport()
        {
            return transport;
        }

        /**
         * @return what the transport delivered.
         */
        public RecordingListener listener()
        {
            return listener;
        }

        /**
         * @param peer a peer rank.
         * @return the endpoint {@code connect} returned for it.
         */
        public Endpoint endpoint(final int peer)
        {
            final Endpoint endpoint = endpoints[peer];
            if (null == endpoint)
            {
                throw new AssertionError("rank " + rank + " is not connected to rank " + peer);
            }
            return endpoint;
        }

        /**
         * @return whether the harness closed this node.
         */
        public boolean isClosed()
        {
            return closed;
        }

        private int progress()
        {
            listener.callbacksAllowed(true);
            try
            {
                return transport.progress();
            }
            finally
            {
                listener.callbacksAllowed(false);
            }
        }

        private void close()
        {
            closed = true;
            listener.callbacksAllowed(true);
            try
            {
                transport.close();
            }
            finally
            {
                listener.callbacksAllowed(false);
            }
        }
    }

    private final Function<TransportContext, Transport> factory;
    private final Map<String, String> properties;
    private final Duration timeout;
    private final List<Node> nodes = new ArrayList<>();

    /**
     * @param factory    creates a transport for a context.
     * @param properties configuration passed in every context.
     */
    public TransportHarness(final Function<TransportContext, Transport> factory, final Map<String, String> properties)
    {
        this.factory = factory;
        this.properties = Map.copyOf(properties);
        this.timeout = Duration.ofSeconds(Long.getLong(TIMEOUT_PROP_NAME, TIMEOUT_DEFAULT.toSeconds()));
    }

    /**
     * Creates one transport per rank of a job of {@code jobSize} ranks and connects every pair.
     *
     * @param jobSize   ranks.
     * @param jobSecret the job's secret.
     * @return the nodes, indexed by rank.
     */
    public List<Node> startJob(final int jobSize, final long jobSecret)
    {
        final List<Node> job = new ArrayList<>();
        for (int rank = 0; rank < jobSize; rank++)
        {
            job.add(create(rank, jobSize, jobSecret));
        }
        connect(job);
        return job;
    }

    /**
     * Creates one transport (not connected).
     *
     * @param rank      its rank.
     * @param jobSize   ranks in its job.
     * @param jobSecret its job secret.
     * @return the node.
     */
    public Node create(final int rank, final int jobSize, final long jobSecret)
    {
        final RecordingListener listener = new RecordingListener("rank " + rank + " (#" + nodes.size() + ")");
        final Transport transport = factory.apply(new TransportContext(rank, jobSize, jobSecret, listener, properties));
        final Node node = new Node(rank, jobSize, transport, listener);
        nodes.add(node);
        return node;
    }

    /**
     * Connects every node to every other node of the list with the other's {@code localAddress()}.
     *
     * @param job nodes of one job, each with a distinct rank.
     */
    public void connect(final List<Node> job)
    {
        for (final Node node : job)
        {
            for (final Node peer : job)
            {
                if (peer != node)
                {
                    node.endpoints[peer.rank] = node.transport.connect(peer.rank, peer.transport.localAddress());
                }
            }
        }
    }

    /**
     * Calls {@code progress()} once on every open transport.
     *
     * @return the sum of the work counts.
     */
    public int progressAll()
    {
        int work = 0;
        for (final Node node : nodes)
        {
            if (!node.closed)
            {
                work += node.progress();
            }
        }
        return work;
    }

    /**
     * Drives every transport until the condition holds.
     *
     * @param what      what is awaited, for the failure message.
     * @param condition checked after every round of progress.
     * @throws AssertionError when the deadline passes first.
     */
    public void await(final String what, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        int idleRounds = 0;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what +
                    "; " + summary());
            }
            idleRounds = progressAll() > 0 ? 0 : idleRounds + 1;
            idle(idleRounds);
        }
    }

    /**
     * Drives every transport for a number of rounds, e.g. to let stray events arrive before checking
     * that none did.
     *
     * @param rounds rounds of progress.
     */
    public void drive(final int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            idle(progressAll() > 0 ? 0 : i);
        }
    }

    /**
     * Posts, retrying while the post returns {@link TransportStatus#BACK_PRESSURED} and driving every
     * transport between attempts.
     *
     * @param what what is posted, for the failure message.
     * @param post the post.
     * @return the first status that is not BACK_PRESSURED.
     * @throws AssertionError when still back-pressured at the deadline.
     */
    public int post(final String what, final IntSupplier post)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        int idleRounds = 0;
        int status;
        while (TransportStatus.BACK_PRESSURED == (status = post.getAsInt()))
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("still BACK_PRESSURED after " + timeout.toSeconds() + " s posting " + what +
                    "; " + summary());
            }
            idleRounds = progressAll() > 0 ? 0 : idleRounds + 1;
            idle(idleRounds);
        }
        return status;
    }

    /**
     * Closes one node's transport (callbacks during close are allowed).
     *
     * @param node the node.
     */
    public void close(final Node node)
    {
        node.close();
    }

    /**
     * @return contract violations seen by every listener.
     */
    public List<String> violations()
    {
        final List<String> all = new ArrayList<>();
        for (final Node node : nodes)
        {
            all.addAll(node.listener.violations());
        }
        return all;
    }

    /**
     * @return one line per node, for failure messages.
     */
    public String summary()
    {
        final StringBuilder text = new StringBuilder();
        for (final Node node : nodes)
        {
            text.append(text.isEmpty() ? "" : "; ").append(node.listener.summary());
            text.append(node.closed ? " [closed]" : "");
        }
        return text.toString();
    }

    /**
     * Closes every transport still open, in reverse order of creation; rethrows the first failure after
     * trying them all.
     */
    @Override
    public void close()
    {
        RuntimeException failure = null;
        for (int i = nodes.size() - 1; i >= 0; i--)
        {
            final Node node = nodes.get(i);
            if (!node.closed)
            {
                try
                {
                    node.close();
                }
                catch (final RuntimeException ex)
                {
                    if (null == failure)
                    {
                        failure = ex;
                    }
                    else
                    {
                        failure.addSuppressed(ex);
                    }
                }
            }
        }
        if (null != failure)
        {
            throw failure;
        }
    }

    private static void idle(final int idleRounds)
    {
        if (idleRounds < 100)
        {
            Thread.onSpinWait();
        }
        else
        {
            Thread.yield();
        }
    }
}
