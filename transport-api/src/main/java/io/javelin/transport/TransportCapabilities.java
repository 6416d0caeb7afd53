package io.javelin.transport;

/**
 * What a transport can do. The messaging engine chooses protocols from these once, at set-up.
 *
 * @param twoSided             supports {@link Endpoint#send}.
 * @param rmaWrite             supports {@link Endpoint#write}.
 * @param rmaRead              supports {@link Endpoint#read}.
 * @param rmaEmulated          one-sided operations are carried out by the target's progress engine
 *                             (TCP) rather than by hardware.
 * @param rendezvousOverlaps   rendezvous transfers to one peer overlap one another (RDMA, cross-memory attach,
 *                             the in-JVM transport), so that a large collective exchange cut into several
 *                             rendezvous messages is pipelined. False where each transfer queues behind the last
 *                             in the peer connection's byte stream (TCP): there every further one only adds its
 *                             handshake, and collectives cut an exchange only into eager segments.
 * @param requiresRegistration one-sided operations need memory from {@link Transport#register}.
 * @param eagerLimitBytes      payload size up to which the eager protocol is preferred.
 * @param maxHeaderBytes       largest header of a two-sided send.
 * @param maxMessageBytes      largest header plus payload of one two-sided send.
 */
public record TransportCapabilities(
    boolean twoSided,
    boolean rmaWrite,
    boolean rmaRead,
    boolean rmaEmulated,
    boolean rendezvousOverlaps,
    boolean requiresRegistration,
    long eagerLimitBytes,
    int maxHeaderBytes,
    long maxMessageBytes)
{
    /**
     * Checks the values are consistent.
     */
    public TransportCapabilities
    {
        if (eagerLimitBytes < 0 || maxHeaderBytes <= 0 || maxMessageBytes < maxHeaderBytes)
        {
            throw new IllegalArgumentException("inconsistent capabilities: eagerLimitBytes=" + eagerLimitBytes +
                " maxHeaderBytes=" + maxHeaderBytes + " maxMessageBytes=" + maxMessageBytes);
        }
    }
}
