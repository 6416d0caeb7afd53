package io.javelin.messaging;

/**
 * A message that arrived before a matching receive was posted: an eager payload copied out of the
 * transport's buffer, a rendezvous announcement (RTS), or a message this rank sent to itself.
 */
final class UnexpectedMessage
{
    static final int EAGER = 0;
    static final int RENDEZVOUS = 1;
    static final int SELF = 2;

    int kind;
    int context;
    int source;
    int tag;
    long length;
    /** EAGER and small SELF messages: the payload, in the first {@code length} bytes (a reused array may be longer). */
    byte[] payload;
    /** RENDEZVOUS: where the payload is at the sender. */
    long address;
    long remoteKey;
    long senderRequestId;
    /** Large SELF messages: the send whose buffer is read when matched. */
    SendRequest selfSend;
    UnexpectedMessage next;

    boolean matches(final int context, final int source, final int tag)
    {
        return this.context == context &&
            (source == MessagingEngine.ANY_SOURCE || this.source == source) &&
            (tag == MessagingEngine.ANY_TAG || this.tag == tag);
    }
}
