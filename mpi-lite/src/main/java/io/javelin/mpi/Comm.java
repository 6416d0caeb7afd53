package io.javelin.mpi;

import java.util.Optional;

/**
 * A communicator: a group of ranks with its own matching context, so that its messages never match
 * another communicator's. Ranks are numbered 0 .. size() - 1 within it.
 *
 * <p>Semantics follow MPI: messages from one sender to one receiver on one communicator arrive in the
 * order sent; {@link #ANY_SOURCE} and {@link #ANY_TAG} match anything; tags are 0 .. Integer.MAX_VALUE; a
 * receive buffer longer than the message is fine, a shorter one is TRUNCATE; an invalid rank, tag or buffer
 * is INVALID_ARGUMENT at the call. A communicator is used by one thread at a time.
 */
public interface Comm extends AutoCloseable
{
    /** Matches a message from any rank. */
    int ANY_SOURCE = -1;
    /** Matches a message with any tag. */
    int ANY_TAG = -1;

    /**
     * @return this rank in the communicator.
     */
    int rank();

    /**
     * @return ranks in the communicator.
     */
    int size();

    /**
     * Sends and returns when the buffer may be reused.
     *
     * @param buf  what to send.
     * @param dest destination rank.
     * @param tag  0 .. Integer.MAX_VALUE.
     */
    void send(Buf buf, int dest, int tag);

    /**
     * Receives one message.
     *
     * @param buf    where to receive; at least as long as the message.
     * @param source source rank or ANY_SOURCE.
     * @param tag    tag or ANY_TAG.
     * @return who sent it, its tag and length.
     * @throws JavelinException TRUNCATE if the message is longer than buf (buf holds its first bytes).
     */
    Status recv(Buf buf, int source, int tag);

    /**
     * Sends and receives at once (deadlock-free for exchanges).
     *
     * @return the receive's status.
     */
    Status sendrecv(Buf sendBuf, int dest, int sendTag, Buf recvBuf, int source, int recvTag);

    /**
     * Waits until a matching message has arrived, without receiving it.
     *
     * @return its source, tag and length (count in bytes).
     */
    Status probe(int source, int tag);

    /**
     * Starts a send.
     *
     * @return the request; the buffer must not change until it completes.
     */
    Request isend(Buf buf, int dest, int tag);

    /**
     * Starts a receive.
     *
     * @return the request; the buffer must not be read until it completes.
     */
    Request irecv(Buf buf, int source, int tag);

    /**
     * Checks once for a matching message that has arrived.
     *
     * @return its status, or empty.
     */
    Optional<Status> iprobe(int source, int tag);

    /**
     * Returns when every rank of the communicator has entered it.
     */
    void barrier();

    /**
     * Copies root's buffer to every rank.
     */
    void bcast(Buf buf, int root);

    /**
     * Reduces element-wise into recv at root (recv used at root only).
     */
    void reduce(Buf send, Buf recv, Op op, int root);

    /**
     * Reduces element-wise into recv at every rank.
     */
    void allreduce(Buf send, Buf recv, Op op);

    /**
     * Gathers every rank's send into root's recv (size() * send.count() elements), in rank order.
     */
    void gather(Buf send, Buf recv, int root);

    /**
     * Scatters equal blocks of root's send to every rank's recv.
     */
    void scatter(Buf send, Buf recv, int root);

    /**
     * Gathers every rank's send into every rank's recv, in rank order.
     */
    void allgather(Buf send, Buf recv);

    /**
     * Block i of send goes to rank i; block j of recv comes from rank j.
     */
    void alltoall(Buf send, Buf recv);

    /**
     * Reduces element-wise, then scatters equal blocks of the result.
     */
    void reduceScatterBlock(Buf send, Buf recv, Op op);

    /**
     * Inclusive prefix reduction in rank order.
     */
    void scan(Buf send, Buf recv, Op op);

    /**
     * Exclusive prefix reduction in rank order (recv undefined at rank 0).
     */
    void exscan(Buf send, Buf recv, Op op);

    /**
     * Splits into sub-communicators by color, ordered by key then old rank.
     *
     * @return the new communicator, or null for a negative color.
     */
    Comm split(int color, int key);

    /**
     * @return a communicator with the same group and a new context.
     */
    Comm dup();

    /**
     * Frees this communicator (not for world).
     */
    @Override
    void close();
}
