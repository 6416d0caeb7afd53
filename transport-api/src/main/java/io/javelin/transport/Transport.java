package io.javelin.transport;

import java.lang.foreign.MemorySegment;

/**
 * One rank's access to a network (or to the other ranks of this JVM): the seam between the
 * messaging engine and the wire.
 *
 * <p>Threading: a transport is driven by one thread, the owning rank's progress thread. Every method
 * except {@link #close()} must be called from that thread; callbacks to the {@link TransportListener}
 * happen only inside {@link #progress()}.
 *
 * <p>Operations are non-blocking: they are posted and later complete through
 * {@link TransportListener#onCompletion(long, int)} with the caller's cookie. A post returns a
 * {@link TransportStatus} code; it never blocks and on the data path never throws.
 */
public interface Transport extends AutoCloseable
{
    /** What {@link #pollArrivals()} returns on a transport that has no check of arrivals alone. */
    int NO_ARRIVAL_POLL = -1;

    /**
     * @return short name, as used by {@code --transport}: "tcp", "rdma", "aeron", "local".
     */
    String name();

    /**
     * @return what this transport can do; fixed for the transport's lifetime.
     */
    TransportCapabilities capabilities();

    /**
     * @return opaque bytes that let a peer reach this rank; published in the bootstrap exchange.
     */
    byte[] localAddress();

    /**
     * Declares a peer. The connection itself may be made lazily on first use.
     *
     * @param peerId      the peer's rank in the job.
     * @param peerAddress the peer's {@link #localAddress()} bytes.
     * @return the endpoint used to post operations to that peer; the same object is passed to
     *         {@link TransportListener#onMessage} for messages from it.
     */
    Endpoint connect(int peerId, byte[] peerAddress);

    /**
     * Registers native memory for local access and for one-sided access by peers.
     *
     * @param segment     native memory; heap segments cannot be registered (the GC moves them).
     * @param accessFlags a combination of {@link MemoryRegion#LOCAL_WRITE}, {@link MemoryRegion#REMOTE_READ},
     *                    {@link MemoryRegion#REMOTE_WRITE}.
     * @return the registration, which must be closed before the memory is freed.
     * @throws TransportException if the memory cannot be registered; the message names the fix.
     */
    MemoryRegion register(MemorySegment segment, int accessFlags);

    /**
     * Makes progress on every connection: sends queued bytes, receives and dispatches messages,
     * delivers completions.
     *
     * @return how much work was done (0 when idle), for the caller's idle strategy.
     */
    int progress();

    /**
     * Delivers the messages that have arrived ({@link TransportListener#onMessage}) and does nothing else: no
     * sends, completions or housekeeping. A waiting rank calls this in the tight loop of its spin, between
     * calls of {@link #progress()}, which it must still make: a message is seen as soon as it lands rather
     * than after the rest of a progress call. A transport whose arrivals cost as much to check as everything
     * else (a socket's poll is a system call) keeps the default, which does nothing and says so.
     *
     * @return how much was read (Aeron: fragments; 0 when nothing had arrived), or {@link #NO_ARRIVAL_POLL}: this
     *         transport has no cheaper check than {@link #progress()}.
     */
    default int pollArrivals()
    {
        return NO_ARRIVAL_POLL;
    }

    /**
     * Closes every connection. Operations still in flight complete with {@link TransportStatus#CANCELLED}
     * during this call. Idempotent.
     */
    @Override
    void close();
}
