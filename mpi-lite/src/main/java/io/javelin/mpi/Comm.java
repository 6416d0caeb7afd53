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
 *
 * <p>Collectives: every rank of the communicator calls them, in the same order, with matching arguments;
 * their messages never match point-to-point ones. Buffers must have the lengths each method states
 * (INVALID_ARGUMENT at the call otherwise); a length that differs between ranks is reported as TRUNCATE or
 * INVALID_ARGUMENT naming the collective, on the ranks that receive the odd message, once the collective's
 * messages have all moved. Reductions work on heap and off-heap memory alike, without boxing.
 */
public interface Comm extends AutoCloseable
{
    /** Matches a message from any rank. */
    int ANY_SOURCE = -1;
    /** Matches a message with any tag. */
    int ANY_TAG = -1;
    /** The color with which a rank takes part in {@link #split} without joining a new communicator. */
    int UNDEFINED = -1;

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
     * Returns when every rank of the communicator has entered it (dissemination: ceil(log2 size) rounds).
     */
    void barrier();

    /**
     * Copies root's buffer to every rank: a binomial tree for small messages, a scatter then a ring allgather
     * for large ones (switch points: {@code javelin.coll.bcast.*}).
     *
     * @param buf  the message at root; where it lands elsewhere (the same length on every rank).
     * @param root the rank that sends.
     */
    void bcast(Buf buf, int root);

    /**
     * Reduces element-wise into recv at root, along a binomial tree.
     *
     * @param send this rank's vector (INT, LONG, FLOAT or DOUBLE; BAND/BOR/BXOR on INT and LONG only).
     * @param recv the result at root, as many elements as send, same type; ignored (may be null) elsewhere.
     * @param op   the operation.
     * @param root the rank that gets the result.
     */
    void reduce(Buf send, Buf recv, Op op, int root);

    /**
     * Reduces element-wise into recv at every rank: recursive doubling for small vectors, reduce-scatter +
     * allgather (Rabenseifner) for large ones (switch point: {@code javelin.coll.allreduce.large.min.bytes}).
     * Floating-point results are deterministic: for a given rank count and algorithm, values are combined in
     * the same order on every rank and in every run, so every rank gets the same bits.
     *
     * @param send this rank's vector (INT, LONG, FLOAT or DOUBLE; BAND/BOR/BXOR on INT and LONG only).
     * @param recv the result, as many elements as send, same type; may be send itself.
     * @param op   the operation.
     */
    void allreduce(Buf send, Buf recv, Op op);

    /**
     * Gathers every rank's send into root's recv, in rank order.
     *
     * @param send this rank's block (the same length on every rank).
     * @param recv at root: size() * send.count() elements of send's type; ignored (may be null) elsewhere.
     * @param root the rank that gathers.
     */
    void gather(Buf send, Buf recv, int root);

    /**
     * Gathers blocks of different lengths into root's recv.
     *
     * @param send          this rank's block.
     * @param recv          at root: the buffer the blocks go to; ignored (may be null) elsewhere.
     * @param counts        at root: elements from each rank (counts[root] == send.count()); ignored elsewhere.
     * @param displacements at root: where each rank's block starts in recv, in elements; ignored elsewhere.
     * @param root          the rank that gathers.
     */
    void gatherv(Buf send, Buf recv, int[] counts, int[] displacements, int root);

    /**
     * Scatters equal blocks of root's send to every rank's recv, in rank order.
     *
     * @param send at root: size() * recv.count() elements of recv's type; ignored (may be null) elsewhere.
     * @param recv this rank's block (the same length on every rank).
     * @param root the rank that scatters.
     */
    void scatter(Buf send, Buf recv, int root);

    /**
     * Scatters blocks of different lengths from root's send.
     *
     * @param send          at root: the buffer of blocks; ignored (may be null) elsewhere.
     * @param counts        at root: elements for each rank (counts[root] == recv.count()); ignored elsewhere.
     * @param displacements at root: where each rank's block starts in send, in elements; ignored elsewhere.
     * @param recv          this rank's block.
     * @param root          the rank that scatters.
     */
    void scatterv(Buf send, int[] counts, int[] displacements, Buf recv, int root);

    /**
     * Gathers every rank's send into every rank's recv, in rank order: Bruck's algorithm for small totals,
     * a ring for large ones (switch point: {@code javelin.coll.allgather.ring.min.bytes}).
     *
     * @param send this rank's block (the same length on every rank).
     * @param recv size() * send.count() elements of send's type.
     */
    void allgather(Buf send, Buf recv);

    /**
     * Gathers blocks of different lengths into every rank's recv (a ring).
     *
     * @param send          this rank's block (counts[rank()] elements).
     * @param recv          the buffer of blocks.
     * @param counts        elements from each rank, the same on every rank.
     * @param displacements where each rank's block starts in recv, in elements.
     */
    void allgatherv(Buf send, Buf recv, int[] counts, int[] displacements);

    /**
     * Block i of send goes to rank i; block j of recv comes from rank j (pairwise exchange).
     *
     * @param send size() equal blocks.
     * @param recv size() equal blocks, as many elements as send, same type.
     */
    void alltoall(Buf send, Buf recv);

    /**
     * All-to-all with blocks of different lengths (pairwise exchange).
     *
     * @param send              the blocks for each rank.
     * @param sendCounts        elements for each rank.
     * @param sendDisplacements where each rank's block starts in send, in elements.
     * @param recv              the blocks from each rank.
     * @param recvCounts        elements from each rank (recvCounts[i] on this rank == sendCounts[this] on i).
     * @param recvDisplacements where each rank's block starts in recv, in elements.
     */
    void alltoallv(Buf send, int[] sendCounts, int[] sendDisplacements, Buf recv, int[] recvCounts,
        int[] recvDisplacements);

    /**
     * Reduces element-wise, then scatters equal blocks of the result: rank i gets block i. Deterministic as
     * {@link #allreduce}.
     *
     * @param send size() * recv.count() elements.
     * @param recv this rank's block of the result.
     * @param op   the operation.
     */
    void reduceScatterBlock(Buf send, Buf recv, Op op);

    /**
     * Inclusive prefix reduction in rank order: rank i gets the reduction of ranks 0..i (recursive doubling).
     *
     * @param send this rank's vector.
     * @param recv the result, as many elements as send, same type.
     * @param op   the operation.
     */
    void scan(Buf send, Buf recv, Op op);

    /**
     * Exclusive prefix reduction in rank order: rank i > 0 gets the reduction of ranks 0..i-1; rank 0's recv
     * is left unchanged.
     *
     * @param send this rank's vector.
     * @param recv the result, as many elements as send, same type.
     * @param op   the operation.
     */
    void exscan(Buf send, Buf recv, Op op);

    /**
     * Splits into sub-communicators by color, ordered by key then old rank; every rank of this communicator
     * calls it. The new communicators have their own matching contexts, agreed among the ranks without a
     * central server.
     *
     * @param color ranks with the same non-negative color form one communicator; {@link #UNDEFINED} (any
     *              negative color) joins none.
     * @param key   orders the ranks of the new communicator (ties: by rank in this one).
     * @return the new communicator, or null for a negative color.
     */
    Comm split(int color, int key);

    /**
     * Every rank of this communicator calls it.
     *
     * @return a communicator with the same group and a new context.
     */
    Comm dup();

    /**
     * Frees this communicator (not for world): later calls on it are INVALID_ARGUMENT. Local and idempotent.
     */
    @Override
    void close();
}
