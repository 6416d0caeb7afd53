package io.javelin.transport.conformance;

import io.javelin.transport.Endpoint;
import io.javelin.transport.MemoryRegion;
import io.javelin.transport.Transport;
import io.javelin.transport.TransportCapabilities;
import io.javelin.transport.TransportContext;
import io.javelin.transport.TransportException;
import io.javelin.transport.TransportStatus;
import io.javelin.transport.conformance.TransportHarness.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The conformance suite every transport runs: two-sided sends of every size, one-sided writes and reads,
 * bounds, key and access checks, ordering, many outstanding operations, job-secret checks and close.
 *
 * <p>A transport's test module extends this class once:
 * <pre>{@code
 * class TcpTransportConformanceTest extends TransportConformanceTest
 * {
 *     protected Transport createTransport(final TransportContext context)
 *     {
 *         return new TcpTransport(context);
 *     }
 * }
 * }</pre>
 * The suite creates two (or three) transports with contexts it builds, connects them with each other's
 * {@code localAddress()}, and drives all of them from the test thread (see {@link TransportHarness}).
 * Tests of features a transport's capabilities say it lacks are skipped.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class TransportConformanceTest
{
    /** Secret of the job the suite creates. */
    protected static final long JOB_SECRET = 0x5EED_1234_ABCD_0042L;
    private static final int HEADER_LENGTH = 24;
    private static final long SENDER_COOKIE_BASE = 1_000_000L;

    private Arena arena;
    private TransportHarness harness;
    private final List<MemoryRegion> regions = new ArrayList<>();
    private long nextCookie = 1;

    /**
     * @param context the context built by the suite (rank, size, secret, recording listener, {@link #properties()}).
     * @return a new transport under test.
     */
    protected abstract Transport createTransport(TransportContext context);

    /**
     * @return extra configuration put into every context, e.g. a fabric name; called once per test.
     */
    protected Map<String, String> properties()
    {
        return Map.of();
    }

    @BeforeEach
    void createHarness()
    {
        arena = Arena.ofShared();
        harness = new TransportHarness(this::createTransport, properties());
    }

    @AfterEach
    void closeHarness()
    {
        try
        {
            regions.forEach(MemoryRegion::close);
            harness.close();
        }
        finally
        {
            arena.close();
        }
        assertEquals(List.of(), harness.violations(), "transport contract violations");
    }

    // ---------------------------------------------------------------- two-sided

    static Stream<Arguments> messageSizes()
    {
        final int[] sizes = {0, 1, 4095, 4096, 4097, 65535, 65536, 65537, 1 << 20, 16 << 20};
        return Stream.of(false, true).flatMap(nativePayload -> Arrays.stream(sizes)
            .mapToObj(size -> Arguments.of(size, nativePayload)));
    }

    @ParameterizedTest(name = "payload {0} B, native {1}")
    @MethodSource("messageSizes")
    void shouldDeliverTwoSidedMessageIntact(final int requestedSize, final boolean nativePayload)
    {
        final List<Node> job = harness.startJob(2, JOB_SECRET);
        final TransportCapabilities capabilities = job.get(0).transport().capabilities();
        assumeTrue(capabilities.twoSided(), "transport has no two-sided send");
        final long payloadLength = Math.min(requestedSize, capabilities.maxMessageBytes() - HEADER_LENGTH);
        final long payloadOffset = 7;

        final MemorySegment header = TestMemory.heapPattern(requestedSize, HEADER_LENGTH);
        final MemorySegment payload = nativePayload ?
            arena.allocate(payloadLength + 16) : MemorySegment.ofArray(new byte[(int)payloadLength + 16]);
        TestMemory.fill(payload, requestedSize + 1L);
        final CRC32 expected = new CRC32();
        TestMemory.update(expected, header, 0, HEADER_LENGTH);
        TestMemory.update(expected, payload, payloadOffset, payloadLength);

        final Node sender = job.get(0);
        final Node receiver = job.get(1);
        final int status = harness.post("send", () -> sender.endpoint(1).send(
            header, HEADER_LENGTH, payload, payloadOffset, payloadLength, 42));
        assertEquals(TransportStatus.OK, status, () -> "send post returned " + TransportStatus.name(status));
        harness.await("the message and the send completion",
            () -> receiver.listener().messages().size() == 1 && sender.listener().completed(42));

        assertStatus(TransportStatus.OK, sender.listener().status(42), "send completion");
        final RecordingListener.Message message = receiver.listener().messages().getFirst();
        assertEquals(HEADER_LENGTH + payloadLength, message.length(), "message length");
        assertArrayEquals(header.toArray(ValueLayout.JAVA_BYTE),
            Arrays.copyOf(message.prefix(), HEADER_LENGTH), "header bytes");
        assertEquals(expected.getValue(), message.crc(), "CRC32 of header + payload");
        assertEquals(0, message.source().peerId(), "source peer id");
        assertSame(receiver.endpoint(0), message.source(), "onMessage must pass the endpoint connect() returned");
    }

    @Test
    void shouldDeliverHeaderOfMaximumLengthAndHeaderOnlyMessages()
    {
        final List<Node> job = harness.startJob(2, JOB_SECRET);
        final TransportCapabilities capabilities = job.get(0).transport().capabilities();
        assumeTrue(capabilities.twoSided(), "transport has no two-sided send");
        final int headerLength = Math.min(capabilities.maxHeaderBytes(), RecordingListener.PREFIX_BYTES);
        final MemorySegment header = TestMemory.heapPattern(99, headerLength);
        final MemorySegment payload = TestMemory.heapPattern(100, 100);
        final MemorySegment empty = MemorySegment.ofArray(new byte[0]);

        assertEquals(TransportStatus.OK, harness.post("send", () -> job.get(0).endpoint(1).send(
            header, headerLength, payload, 0, 100, 1)));
        assertEquals(TransportStatus.OK, harness.post("send", () -> job.get(0).endpoint(1).send(
            header, headerLength, empty, 0, 0, 2)));
        assertEquals(TransportStatus.OK, harness.post("send", () -> job.get(0).endpoint(1).send(
            header, 1, empty, 0, 0, 3)));
        final RecordingListener receiver = job.get(1).listener();
        harness.await("three messages", () -> receiver.messages().size() == 3);

        assertEquals(headerLength + 100, receiver.messages().get(0).length());
        assertArrayEquals(Arrays.copyOf(header.toArray(ValueLayout.JAVA_BYTE), headerLength),
            Arrays.copyOf(receiver.messages().get(0).prefix(), headerLength), "maximum-length header");
        assertEquals(headerLength, receiver.messages().get(1).length());
        assertEquals(TestMemory.crc(header, 0, headerLength), receiver.messages().get(1).crc());
        assertEquals(1, receiver.messages().get(2).length());
        assertEquals(header.get(ValueLayout.JAVA_BYTE, 0), receiver.messages().get(2).prefix()[0]);
    }

    @Test
    void shouldCopyTheWholeSendBeforeReturningWhenItSaysSo()
    {
        final List<Node> job = harness.startJob(2, JOB_SECRET);
        assumeTrue(job.get(0).transport().capabilities().twoSided(), "transport has no two-sided send");
        final Endpoint endpoint = job.get(0).endpoint(1);
        assumeTrue(endpoint.sendCopiesPayload(), "the transport's sends reference their payload until completion");
        final MemorySegment header = TestMemory.heapPattern(7, 16);
        final MemorySegment payload = TestMemory.heapPattern(8, 200);
        final byte[] posted = new byte[216];
        MemorySegment.copy(header, 0, MemorySegment.ofArray(posted), 0, 16);
        MemorySegment.copy(payload, 0, MemorySegment.ofArray(posted), 16, 200);
        assertEquals(TransportStatus.OK, harness.post("send", () -> endpoint.send(header, 16, payload, 0, 200,
            Endpoint.NO_COMPLETION)));
        payload.fill((byte)0); // reused at once: the message must still carry the bytes it had when posted
        assertEquals(TransportStatus.OK, harness.post("send", () -> endpoint.send(header, 16, payload, 0, 200, 5)));
        final RecordingListener receiver = job.get(1).listener();
        harness.await("two messages", () -> receiver.messages().size() == 2);
        harness.await("the completion of the second", () -> job.get(0).listener().completed(5));

        assertEquals(216, receiver.messages().get(0).length());
        assertEquals(TestMemory.crc(MemorySegment.ofArray(posted), 0, 216), receiver.messages().get(0).crc(),
            "the message as posted");
        assertEquals(1, job.get(0).listener().completionCount(), "no completion for NO_COMPLETION, one for the " +
            "other: " + job.get(0).listener().completions());
    }

    @Test
    void shouldRejectSendWithInvalidArgumentsAndStayUsable()
    {
        final List<Node> job = harness.startJob(2, JOB_SECRET);
        final TransportCapabilities capabilities = job.get(0).transport().capabilities();
        assumeTrue(capabilities.twoSided(), "transport has no two-sided send");
        final Endpoint endpoint = job.get(0).endpoint(1);
        final int tooLongHeader = capabilities.maxHeaderBytes() + 1;
        final MemorySegment header = MemorySegment.ofArray(new byte[tooLongHeader]);
        final MemorySegment payload = TestMemory.heapPattern(5, 64);

        assertStatus(TransportStatus.INVALID_ARGUMENT, endpoint.send(header, tooLongHeader, payload, 0, 8, 1),
            "header longer than maxHeaderBytes");
        assertStatus(TransportStatus.INVALID_ARGUMENT, endpoint.send(header, 8, payload, 60, 8, 2),
            "payload range past the end of the payload segment");
        assertStatus(TransportStatus.INVALID_ARGUMENT, endpoint.send(header, 8, payload, -1, 8, 3),
            "negative payload offset");
        assertStatus(TransportStatus.INVALID_ARGUMENT, endpoint.send(header, 8, payload, 0, -1, 4),
            "negative payload length");
        assertStatus(TransportStatus.INVALID_ARGUMENT, endpoint.send(header, -1, payload, 0, 8, 5),
            "negative header length");

        assertEquals(TransportStatus.OK, harness.post("valid send", () -> endpoint.send(header, 8, payload, 0, 64, 6)));
        harness.await("the valid message", () -> job.get(1).listener().messages().size() == 1);
        harness.await("the valid completion", () -> job.get(0).listener().completed(6));
        for (long cookie = 1; cookie <= 5; cookie++)
        {
            assertFalse(job.get(0).listener().completed(cookie), "rejected post " + cookie + " must not complete");
        }
        assertEquals(72, job.get(1).listener().messages().getFirst().length());
    }

    @Test
    void shouldKeepOrderOfThousandSendsOfVaryingSize()
    {
        final List<Node> job = harness.startJob(2, JOB_SECRET);
        assumeTrue(job.get(0).transport().capabilities().twoSided(), "transport has no two-sided send");
        final int count = 1000;
        final MemorySegment source = arena.allocate(64 * 1024);
        TestMemory.fill(source, 77);
        final long[] expectedCrc = new long[count];
        final int[] expectedLength = new int[count];

        for (int i = 0; i < count; i++)
        {
            final int sequence = i;
            final long size = Math.min((i * 7919L) % 20011, maxPayload(job.get(0), 16));
            final long offset = i % 4096;
            final MemorySegment header = sequenceHeader(0, sequence);
            expectedCrc[i] = crcOf(header, source, offset, size);
            expectedLength[i] = 16 + (int)size;
            final int status = harness.post("send " + i, () -> job.get(0).endpoint(1).send(
                header, 16, source, offset, size, SENDER_COOKIE_BASE + sequence));
            assertStatus(TransportStatus.OK, status, "send " + i);
        }
        final RecordingListener receiver = job.get(1).listener();
        harness.await(count + " messages", () -> receiver.messages().size() == count);
        harness.await(count + " send completions", () -> job.get(0).listener().completionCount() == count);

        for (int i = 0; i < count; i++)
        {
            final RecordingListener.Message message = receiver.messages().get(i);
            assertEquals(i, message.longAt(8), "sequence number of message " + i);
            assertEquals(expectedLength[i], message.length(), "length of message " + i);
            assertEquals(expectedCrc[i], message.crc(), "CRC32 of message " + i);
            assertStatus(TransportStatus.OK, job.get(0).listener().status(SENDER_COOKIE_BASE + i), "send " + i);
        }
    }

    @Test
    void shouldKeepPerSenderOrderWithTwoSenders()
    {
        final List<Node> job = harness.startJob(3, JOB_SECRET);
        assumeTrue(job.get(0).transport().capabilities().twoSided(), "transport has no two-sided send");
        final int perSender = 500;
        final MemorySegment source = TestMemory.heapPattern(3, 8192);
        for (int i = 0; i < perSender; i++)
        {
            for (int sender = 0; sender < 2; sender++)
            {
                final Node node = job.get(sender);
                final MemorySegment header = sequenceHeader(sender, i);
                final long size = (i * 31L + sender * 1000L) % 8000;
                final long cookie = SENDER_COOKIE_BASE + i;
                assertStatus(TransportStatus.OK, harness.post("send", () -> node.endpoint(2).send(
                    header, 16, source, 0, size, cookie)), "send " + i + " from rank " + sender);
            }
        }
        final RecordingListener receiver = job.get(2).listener();
        harness.await(2 * perSender + " messages", () -> receiver.messages().size() == 2 * perSender);

        final int[] next = new int[2];
        for (final RecordingListener.Message message : receiver.messages())
        {
            final int sender = (int)message.longAt(0);
            assertEquals(sender, message.source().peerId(), "source endpoint agrees with the sender in the header");
            assertSame(job.get(2).endpoint(sender), message.source());
            assertEquals(next[sender], message.longAt(8), "per-sender sequence from rank " + sender);
            next[sender]++;
        }
        assertArrayEquals(new int[]{perSender, perSender}, next);
    }

    @Test
    void shouldCompleteTwoThousandOutstandingSends()
    {
        final List<Node> job = harness.startJob(2, JOB_SECRET);
        assumeTrue(job.get(0).transport().capabilities().twoSided(), "transport has no two-sided send");
        final int count = 2000;
        final MemorySegment source = TestMemory.heapPattern(11, 2048);
        for (int i = 0; i < count; i++)
        {
            final MemorySegment header = sequenceHeader(0, i);
            final long size = 64 + (i % 961);
            final long cookie = SENDER_COOKIE_BASE + i;
            assertStatus(TransportStatus.OK, harness.post("send", () -> job.get(0).endpoint(1).send(
                header, 16, source, 0, size, cookie)), "send " + i);
        }
        harness.await(count + " completions and messages", () -> job.get(0).listener().completionCount() == count &&
            job.get(1).listener().messages().size() == count);
        for (int i = 0; i < count; i++)
        {
            assertStatus(TransportStatus.OK, job.get(0).listener().status(SENDER_COOKIE_BASE + i), "send " + i);
        }
    }

    @Test
    void shouldAllowPostingFromInsideCallbacksAndGoIdle()
    {
        final List<Node> job = harness.startJob(2, JOB_SECRET);
        assumeTrue(job.get(0).transport().capabilities().twoSided(), "transport has no two-sided send");
        final int rounds = 100;
        final MemorySegment source = TestMemory.heapPattern(21, 256);
        final int[] replyStatus = {TransportStatus.OK};
        // rank 1 echoes every message from inside onMessage; rank 0 sends the next one from inside onMessage
        job.get(1).listener().messageHook(message ->
        {
            final int status = message.source().send(MemorySegment.ofArray(message.prefix()), 16, source, 0,
                message.length() - 16, SENDER_COOKIE_BASE + message.longAt(8));
            replyStatus[0] = TransportStatus.OK == status ? replyStatus[0] : status;
        });
        job.get(0).listener().messageHook(message ->
        {
            final long next = message.longAt(8) + 1;
            if (next < rounds)
            {
                final int status = message.source().send(sequenceHeader(0, next), 16, source, 0, next, next);
                replyStatus[0] = TransportStatus.OK == status ? replyStatus[0] : status;
            }
        });
        assertStatus(TransportStatus.OK, harness.post("first send", () -> job.get(0).endpoint(1).send(
            sequenceHeader(0, 0), 16, source, 0, 0, 0)), "first send");

        harness.await(rounds + " round trips", () -> job.get(0).listener().messages().size() == rounds ||
            TransportStatus.OK != replyStatus[0]);
        assertStatus(TransportStatus.OK, replyStatus[0], "posts from inside onMessage");
        for (int i = 0; i < rounds; i++)
        {
            final RecordingListener.Message echo = job.get(0).listener().messages().get(i);
            assertEquals(i, echo.longAt(8), "echo " + i);
            assertEquals(16 + i, echo.length(), "length of echo " + i);
        }
        harness.await("every completion", () -> job.get(0).listener().completionCount() == rounds &&
            job.get(1).listener().completionCount() == rounds);
        harness.await("all transports to report no work", () -> 0 == harness.progressAll());
    }

    // ---------------------------------------------------------------- one-sided

    @ParameterizedTest(name = "{0} B")
    @ValueSource(longs = {1, 4096, 65536 + 13, 1 << 20, 16 << 20})
    void shouldWriteIntoRemoteRegion(final long length)
    {
        final List<Node> job = harness.startJob(2, JOB_SECRET);
        assumeTrue(job.get(0).transport().capabilities().rmaWrite(), "transport has no one-sided write");
        final MemoryRegion local = register(job.get(0), length + 64, MemoryRegion.ALL_ACCESS, 1);
        final MemoryRegion target = register(job.get(1), length + 128, MemoryRegion.ALL_ACCESS, 2);
        final long localOffset = 3;
        final long remoteOffset = 5;
        final long before = TestMemory.crc(target.segment(), 0, remoteOffset);
        final long after = TestMemory.crc(target.segment(), remoteOffset + length, 128 - remoteOffset);

        final int status = runOneSided(job.get(0), true, local, localOffset, target.address() + remoteOffset,
            target.remoteKey(), length);

        assertStatus(TransportStatus.OK, status, "write completion");
        assertEquals(TestMemory.crc(local.segment(), localOffset, length),
            TestMemory.crc(target.segment(), remoteOffset, length), "written bytes");
        assertEquals(before, TestMemory.crc(target.segment(), 0, remoteOffset), "bytes before the written span");
        assertEquals(after, TestMemory.crc(target.segment(), remoteOffset + length, 128 - remoteOffset),
            "bytes after the written span");
    }

    @ParameterizedTest(name = "{0} B")
    @ValueSource(longs = {1, 4096, 65536 + 13, 1 << 20, 16 << 20})
    void shouldReadFromRemoteRegion(final long length)
    {
        final List<Node> job = harness.startJob(2, JOB_SECRET);
        assumeTrue(job.get(0).transport().capabilities().rmaRead(), "transport has no one-sided read");
        final MemoryRegion local = register(job.get(0), length + 64, MemoryRegion.ALL_ACCESS, 1);
        final MemoryRegion target = register(job.get(1), length + 128, MemoryRegion.ALL_ACCESS, 2);
        final long localOffset = 3;
        final long remoteOffset = 5;
        final long before = TestMemory.crc(local.segment(), 0, localOffset);
        final long after = TestMemory.crc(local.segment(), localOffset + length, 64 - localOffset);
        final long targetCrc = TestMemory.crc(target.segment());

        final int status = runOneSided(job.get(0), false, local, localOffset, target.address() + remoteOffset,
            target.remoteKey(), length);

        assertStatus(TransportStatus.OK, status, "read completion");
        assertEquals(TestMemory.crc(target.segment(), remoteOffset, length),
            TestMemory.crc(local.segment(), localOffset, length), "read bytes");
        assertEquals(before, TestMemory.crc(local.segment(), 0, localOffset), "bytes before the read span");
        assertEquals(after, TestMemory.crc(local.segment(), localOffset + length, 64 - localOffset),
            "bytes after the read span");
        assertEquals(targetCrc, TestMemory.crc(target.segment()), "a read must not change the target");
    }

    /** Ways a one-sided access can miss the target region. */
    enum BadAccess
    {
        PAST_THE_END, BEFORE_THE_START, LONGER_THAN_THE_REGION, WRONG_KEY, ADDRESS_OVERFLOW
    }

    static Stream<Arguments> badAccesses()
    {
        return Stream.of(true, false).flatMap(write -> Stream.of(BadAccess.values())
            .map(bad -> Arguments.of(write ? "write" : "read", bad)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badAccesses")
    void shouldRefuseOneSidedAccessOutsideTheRegionWithoutTouchingMemory(final String operation, final BadAccess bad)
    {
        final boolean write = "write".equals(operation);
        final List<Node> job = harness.startJob(2, JOB_SECRET);
        assumeOneSided(job.get(0), write);
        final long regionSize = 4096;
        final MemoryRegion local = register(job.get(0), 2 * regionSize, MemoryRegion.ALL_ACCESS, 1);
        final MemoryRegion target = register(job.get(1), regionSize, MemoryRegion.ALL_ACCESS, 2);
        final long base = target.address();
        long address = base;
        long key = target.remoteKey();
        long length = 100;
        switch (bad)
        {
            case PAST_THE_END -> address = base + regionSize - length + 1;
            case BEFORE_THE_START -> address = base - 1;
            case LONGER_THAN_THE_REGION -> length = regionSize + 1;
            case WRONG_KEY -> key = key ^ 0x5A5A_0000_0000_5A5AL;
            case ADDRESS_OVERFLOW -> address = Long.MAX_VALUE - 50;
            default -> fail("unknown case " + bad);
        }
        if (BadAccess.WRONG_KEY == bad)
        {
            assertNotEquals(target.remoteKey(), key, "the wrong key must differ from the region's key");
        }
        final long localCrc = TestMemory.crc(local.segment());
        final long targetCrc = TestMemory.crc(target.segment());

        final int status = runOneSided(job.get(0), write, local, 0, address, key, length);

        assertStatus(TransportStatus.REMOTE_ACCESS_ERROR, status, operation + " " + bad);
        assertEquals(targetCrc, TestMemory.crc(target.segment()), "target memory must be unchanged");
        assertEquals(localCrc, TestMemory.crc(local.segment()), "local memory must be unchanged");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"write", "read"})
    void shouldRefuseAccessToDeregisteredRegion(final String operation)
    {
        final boolean write = "write".equals(operation);
        final List<Node> job = harness.startJob(2, JOB_SECRET);
        assumeOneSided(job.get(0), write);
        final MemoryRegion local = register(job.get(0), 4096, MemoryRegion.ALL_ACCESS, 1);
        final MemoryRegion target = register(job.get(1), 4096, MemoryRegion.ALL_ACCESS, 2);
        assertStatus(TransportStatus.OK, runOneSided(job.get(0), write, local, 0, target.address(),
            target.remoteKey(), 64), "access while registered");
        TestMemory.fill(local.segment(), 1);
        TestMemory.fill(target.segment(), 2);
        final long localCrc = TestMemory.crc(local.segment());
        final long targetCrc = TestMemory.crc(target.segment());

        target.close();
        target.close();
        final int status = runOneSided(job.get(0), write, local, 0, target.address(), target.remoteKey(), 64);

        assertStatus(TransportStatus.REMOTE_ACCESS_ERROR, status, operation + " after deregistration");
        assertEquals(targetCrc, TestMemory.crc(target.segment()), "target memory must be unchanged");
        assertEquals(localCrc, TestMemory.crc(local.segment()), "local memory must be unchanged");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"write", "read"})
    void shouldRefuseAccessTheRegionDoesNotGrant(final String operation)
    {
        final boolean write = "write".equals(operation);
        final List<Node> job = harness.startJob(2, JOB_SECRET);
        assumeOneSided(job.get(0), write);
        final MemoryRegion local = register(job.get(0), 4096, MemoryRegion.ALL_ACCESS, 1);
        final int otherAccessOnly = MemoryRegion.LOCAL_WRITE | (write ? MemoryRegion.REMOTE_READ :
            MemoryRegion.REMOTE_WRITE);
        final MemoryRegion target = register(job.get(1), 4096, otherAccessOnly, 2);
        final long localCrc = TestMemory.crc(local.segment());
        final long targetCrc = TestMemory.crc(target.segment());

        final int status = runOneSided(job.get(0), write, local, 0, target.address(), target.remoteKey(), 64);

        assertStatus(TransportStatus.REMOTE_ACCESS_ERROR, status, operation + " without the access flag");
        assertEquals(targetCrc, TestMemory.crc(target.segment()), "target memory must be unchanged");
        assertEquals(localCrc, TestMemory.crc(local.segment()), "local memory must be unchanged");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"write", "read"})
    void shouldRejectOneSidedPostOutsideTheLocalRegion(final String operation)
    {
        final boolean write = "write".equals(operation);
        final List<Node> job = harness.startJob(2, JOB_SECRET);
        assumeOneSided(job.get(0), write);
        final MemoryRegion local = register(job.get(0), 4096, MemoryRegion.ALL_ACCESS, 1);
        final MemoryRegion target = register(job.get(1), 65536, MemoryRegion.ALL_ACCESS, 2);
        final Endpoint endpoint = job.get(0).endpoint(1);
        final long address = target.address();
        final long key = target.remoteKey();

        assertStatus(TransportStatus.INVALID_ARGUMENT, post(endpoint, write, local, 4000, address, key, 97, 1),
            "local span past the end of the local region");
        assertStatus(TransportStatus.INVALID_ARGUMENT, post(endpoint, write, local, -1, address, key, 16, 2),
            "negative local offset");
        assertStatus(TransportStatus.INVALID_ARGUMENT, post(endpoint, write, local, 0, address, key, -1, 3),
            "negative length");
        harness.drive(1000);
        for (long cookie = 1; cookie <= 3; cookie++)
        {
            assertFalse(job.get(0).listener().completed(cookie), "rejected post " + cookie + " must not complete");
        }
    }

    @Test
    void shouldRefuseToRegisterHeapMemory()
    {
        final Node node = harness.startJob(1, JOB_SECRET).getFirst();
        final MemorySegment heap = MemorySegment.ofArray(new byte[4096]);
        final TransportException error = assertThrows(TransportException.class,
            () -> regions.add(node.transport().register(heap, MemoryRegion.ALL_ACCESS)));
        assertFalse(null == error.getMessage() || error.getMessage().isBlank(), "the error must say what to do");
    }

    @Test
    void shouldCompleteHundredOutstandingReadsAndWrites()
    {
        final List<Node> job = harness.startJob(2, JOB_SECRET);
        final TransportCapabilities capabilities = job.get(0).transport().capabilities();
        assumeTrue(capabilities.rmaRead() || capabilities.rmaWrite(), "transport has no one-sided operations");
        final int count = 100;
        final long block = 4096;
        final MemoryRegion readInto = register(job.get(0), count * block, MemoryRegion.ALL_ACCESS, 1);
        final MemoryRegion writeFrom = register(job.get(0), count * block, MemoryRegion.ALL_ACCESS, 2);
        final MemoryRegion remoteSource = register(job.get(1), count * block, MemoryRegion.ALL_ACCESS, 3);
        final MemoryRegion remoteTarget = register(job.get(1), count * block, MemoryRegion.ALL_ACCESS, 4);
        final Endpoint endpoint = job.get(0).endpoint(1);
        int posted = 0;
        for (int i = 0; i < count; i++)
        {
            final long offset = ((i * 37L) % count) * block;
            if (capabilities.rmaRead())
            {
                final long cookie = SENDER_COOKIE_BASE + posted++;
                assertStatus(TransportStatus.OK, harness.post("read", () -> endpoint.read(readInto, offset,
                    remoteSource.address() + offset, remoteSource.remoteKey(), block, cookie)), "read " + i);
            }
            if (capabilities.rmaWrite())
            {
                final long cookie = SENDER_COOKIE_BASE + posted++;
                assertStatus(TransportStatus.OK, harness.post("write", () -> endpoint.write(writeFrom, offset,
                    remoteTarget.address() + offset, remoteTarget.remoteKey(), block, cookie)), "write " + i);
            }
        }
        final int total = posted;
        harness.await(total + " one-sided completions", () -> job.get(0).listener().completionCount() == total);
        for (int i = 0; i < total; i++)
        {
            assertStatus(TransportStatus.OK, job.get(0).listener().status(SENDER_COOKIE_BASE + i), "operation " + i);
        }
        if (capabilities.rmaRead())
        {
            assertEquals(TestMemory.crc(remoteSource.segment()), TestMemory.crc(readInto.segment()), "read bytes");
        }
        if (capabilities.rmaWrite())
        {
            assertEquals(TestMemory.crc(writeFrom.segment()), TestMemory.crc(remoteTarget.segment()),
                "written bytes");
        }
    }

    // ---------------------------------------------------------------- job secret

    @Test
    void shouldRefusePeerWithDifferentJobSecret()
    {
        final Node ours = harness.create(0, 2, JOB_SECRET);
        final Node theirs = harness.create(1, 2, ~JOB_SECRET);
        harness.connect(List.of(ours, theirs));
        assumeTrue(ours.transport().capabilities().twoSided(), "transport has no two-sided send");
        final MemorySegment message = TestMemory.heapPattern(1, 64);

        final int posted = harness.post("send to the other job", () -> ours.endpoint(1).send(
            message, 16, message, 16, 48, 7));
        if (TransportStatus.OK == posted)
        {
            harness.await("the send to the other job to complete", () -> ours.listener().completed(7));
            assertStatus(TransportStatus.PEER_FAILED, ours.listener().status(7), "send to a peer of another job");
        }
        else
        {
            assertStatus(TransportStatus.PEER_FAILED, posted, "send to a peer of another job");
        }
        harness.await("a peer failure naming the job secret", () -> mentionsSecret(ours) || mentionsSecret(theirs));
        harness.drive(1000);
        assertEquals(List.of(), theirs.listener().messages(), "a peer of another job must not get the message");
    }

    // ---------------------------------------------------------------- close

    @Test
    void shouldCompleteEveryOperationOnceWhenThePeerClosesWithOperationsInFlight()
    {
        final List<Node> job = harness.startJob(2, JOB_SECRET);
        final Node poster = job.get(0);
        final Node peer = job.get(1);
        final List<Long> cookies = postLargeOperations(poster, peer);

        harness.close(peer);
        harness.await("every operation to complete", () -> allCompleted(poster, cookies));
        for (final long cookie : cookies)
        {
            assertTrue(Set.of(TransportStatus.OK, TransportStatus.PEER_FAILED, TransportStatus.CANCELLED)
                .contains(poster.listener().status(cookie)), () -> "unexpected status " +
                TransportStatus.name(poster.listener().status(cookie)) + " for cookie " + cookie);
        }

        if (poster.transport().capabilities().twoSided())
        {
            final MemorySegment small = TestMemory.heapPattern(1, 8);
            final long[] cookie = {SENDER_COOKIE_BASE * 2};
            harness.await("a send to the closed peer to fail", () ->
            {
                final long attempt = ++cookie[0];
                final int status = harness.post("send", () -> poster.endpoint(1).send(small, 8, small, 0, 0, attempt));
                if (TransportStatus.OK != status)
                {
                    return TransportStatus.PEER_FAILED == status;
                }
                harness.await("the send to complete", () -> poster.listener().completed(attempt));
                return TransportStatus.PEER_FAILED == poster.listener().status(attempt);
            });
            harness.await("onPeerFailure for the closed peer", () -> poster.listener().failures().stream()
                .anyMatch(failure -> failure.endpoint() == poster.endpoint(1)));
        }
        harness.close(poster);
        harness.close(poster);
    }

    @Test
    void shouldCompleteEveryOperationOnceWhenClosingWithOperationsInFlight()
    {
        final List<Node> job = harness.startJob(2, JOB_SECRET);
        final Node poster = job.get(0);
        final Node peer = job.get(1);
        final List<Long> cookies = postLargeOperations(poster, peer);

        harness.close(poster);

        assertTrue(allCompleted(poster, cookies), () -> "close() must complete every operation in flight; " +
            harness.summary());
        final int completions = poster.listener().completionCount();
        harness.close(poster);
        final MemorySegment small = TestMemory.heapPattern(1, 8);
        final Endpoint endpoint = poster.endpoint(1);
        assertStatus(TransportStatus.CLOSED, endpoint.send(small, 8, small, 0, 0, 1), "send after close");
        if (!regions.isEmpty())
        {
            final MemoryRegion local = regions.get(0);
            final MemoryRegion remote = regions.get(1);
            if (poster.transport().capabilities().rmaWrite())
            {
                assertStatus(TransportStatus.CLOSED, endpoint.write(local, 0, remote.address(), remote.remoteKey(),
                    8, 2), "write after close");
            }
            if (poster.transport().capabilities().rmaRead())
            {
                assertStatus(TransportStatus.CLOSED, endpoint.read(local, 0, remote.address(), remote.remoteKey(),
                    8, 3), "read after close");
            }
        }
        harness.drive(2000);
        assertEquals(completions, poster.listener().completionCount(), "no completion after close()");
    }

    // ---------------------------------------------------------------- helpers

    private List<Long> postLargeOperations(final Node poster, final Node peer)
    {
        final TransportCapabilities capabilities = poster.transport().capabilities();
        final long size = 256 * 1024;
        final List<Long> cookies = new ArrayList<>();
        long cookie = SENDER_COOKIE_BASE;
        if (capabilities.rmaRead() || capabilities.rmaWrite())
        {
            final MemoryRegion local = register(poster, 32 * size, MemoryRegion.ALL_ACCESS, 1);
            final MemoryRegion remote = register(peer, 32 * size, MemoryRegion.ALL_ACCESS, 2);
            for (int i = 0; i < 32; i++)
            {
                final long offset = i * size;
                final long id = cookie++;
                final boolean write = capabilities.rmaWrite() && (!capabilities.rmaRead() || i % 2 == 0);
                if (TransportStatus.OK == harness.post("one-sided", () -> post(poster.endpoint(1), write, local,
                    offset, remote.address() + offset, remote.remoteKey(), size, id)))
                {
                    cookies.add(id);
                }
            }
        }
        if (capabilities.twoSided())
        {
            final long payload = Math.min(size, maxPayload(poster, 16));
            final MemorySegment source = TestMemory.heapPattern(9, (int)payload);
            for (int i = 0; i < 64; i++)
            {
                final long id = cookie++;
                final MemorySegment header = sequenceHeader(0, i);
                if (TransportStatus.OK == harness.post("send", () -> poster.endpoint(1).send(
                    header, 16, source, 0, payload, id)))
                {
                    cookies.add(id);
                }
            }
        }
        assertFalse(cookies.isEmpty(), "no operation was accepted");
        return cookies;
    }

    private static boolean allCompleted(final Node node, final List<Long> cookies)
    {
        for (final long cookie : cookies)
        {
            if (!node.listener().completed(cookie))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean mentionsSecret(final Node node)
    {
        return node.listener().failures().stream()
            .anyMatch(failure -> failure.reason().toLowerCase(Locale.ROOT).contains("secret"));
    }

    private MemoryRegion register(final Node node, final long size, final int flags, final long seed)
    {
        final MemorySegment segment = arena.allocate(size, 64);
        TestMemory.fill(segment, seed);
        final MemoryRegion region = node.transport().register(segment, flags);
        regions.add(region);
        return region;
    }

    private int runOneSided(final Node node, final boolean write, final MemoryRegion local, final long localOffset,
        final long remoteAddress, final long remoteKey, final long length)
    {
        final long cookie = nextCookie++;
        final int posted = harness.post(write ? "write" : "read", () -> post(node.endpoint(1), write, local,
            localOffset, remoteAddress, remoteKey, length, cookie));
        if (TransportStatus.OK != posted)
        {
            return posted;
        }
        harness.await((write ? "write" : "read") + " completion", () -> node.listener().completed(cookie));
        return node.listener().status(cookie);
    }

    private static int post(final Endpoint endpoint, final boolean write, final MemoryRegion local,
        final long localOffset, final long remoteAddress, final long remoteKey, final long length, final long cookie)
    {
        return write ?
            endpoint.write(local, localOffset, remoteAddress, remoteKey, length, cookie) :
            endpoint.read(local, localOffset, remoteAddress, remoteKey, length, cookie);
    }

    private static void assumeOneSided(final Node node, final boolean write)
    {
        final TransportCapabilities capabilities = node.transport().capabilities();
        assumeTrue(write ? capabilities.rmaWrite() : capabilities.rmaRead(),
            "transport has no one-sided " + (write ? "write" : "read"));
    }

    private static long maxPayload(final Node node, final int headerLength)
    {
        return node.transport().capabilities().maxMessageBytes() - headerLength;
    }

    /** A 16-byte header: the sender's rank, then a sequence number (little-endian longs). */
    private static MemorySegment sequenceHeader(final int rank, final long sequence)
    {
        final MemorySegment header = MemorySegment.ofArray(new byte[16]);
        header.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, rank);
        header.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, sequence);
        return header;
    }

    private static long crcOf(final MemorySegment header, final MemorySegment payload, final long offset,
        final long length)
    {
        final CRC32 crc = new CRC32();
        TestMemory.update(crc, header, 0, header.byteSize());
        TestMemory.update(crc, payload, offset, length);
        return crc.getValue();
    }

    private static void assertStatus(final int expected, final int actual, final String what)
    {
        assertEquals(TransportStatus.name(expected), TransportStatus.name(actual), what);
    }
}
