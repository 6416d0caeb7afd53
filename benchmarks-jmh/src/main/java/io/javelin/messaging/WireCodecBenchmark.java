package io.javelin.messaging;

import io.javelin.messaging.wire.EagerDecoder;
import io.javelin.messaging.wire.MessageHeaderDecoder;
import io.javelin.messaging.wire.RendezvousStartDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import io.javelin.jmh.HotPathBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;


/**
 * Encoding control messages into the engine's native scratch frame ({@link WireCodec}) and decoding them
 * with the SBE decoders as {@link MessagingEngine#onMessage} does: wrap the header, check schema and
 * template, wrap the body, read the fields.
 */
@State(Scope.Thread)
public class WireCodecBenchmark extends HotPathBenchmark
{
    private WireCodec codec;
    private final UnsafeBuffer decodeBuffer = new UnsafeBuffer(0, 0);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final EagerDecoder eager = new EagerDecoder();
    private final RendezvousStartDecoder rendezvousStart = new RendezvousStartDecoder();
    private int sequence;

    /**
     * Opens the codec's native frame.
     */
    @Setup
    public void setUp()
    {
        codec = new WireCodec();
    }

    /**
     * Frees the codec's native frame.
     */
    @TearDown
    public void tearDown()
    {
        codec.close();
    }

    /**
     * @return the frame length.
     */
    @Benchmark
    public int encodeEager()
    {
        return codec.eager(7, 42, sequence++, 3);
    }

    /**
     * @return the frame length.
     */
    @Benchmark
    public int encodeRendezvousStart()
    {
        return codec.rendezvousStart(7, 1, 42, sequence++, 3, 1 << 20, 0x7f00_0000_1000L, 0x1234L, sequence);
    }

    /**
     * Encodes an Eager header, then decodes and checks it.
     *
     * @return a sum of the decoded fields.
     */
    @Benchmark
    public long encodeDecodeEager()
    {
        final int length = codec.eager(7, 42, sequence++, 3);
        decodeBuffer.wrap(codec.frame().address(), length);
        header.wrap(decodeBuffer, 0);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID || header.templateId() != EagerDecoder.TEMPLATE_ID)
        {
            return -1;
        }
        eager.wrap(decodeBuffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        return eager.context() + eager.tag() + eager.sequence() + eager.credits();
    }

    /**
     * Encodes an RTS, then decodes and checks it.
     *
     * @return a sum of the decoded fields.
     */
    @Benchmark
    public long encodeDecodeRendezvousStart()
    {
        final int length = codec.rendezvousStart(7, 1, 42, sequence++, 3, 1 << 20, 0x7f00_0000_1000L, 0x1234L,
            sequence);
        decodeBuffer.wrap(codec.frame().address(), length);
        header.wrap(decodeBuffer, 0);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID ||
            header.templateId() != RendezvousStartDecoder.TEMPLATE_ID)
        {
            return -1;
        }
        rendezvousStart.wrap(decodeBuffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
            header.version());
        return rendezvousStart.length() + rendezvousStart.address() + rendezvousStart.remoteKey() +
            rendezvousStart.sendRequestId() + rendezvousStart.tag();
    }
}
