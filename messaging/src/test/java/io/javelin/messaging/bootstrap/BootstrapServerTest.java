package io.javelin.messaging.bootstrap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's bootstrap server with real {@link LauncherBootstrap} clients over loopback TCP.
 */
@Timeout(30)
class BootstrapServerTest
{
    private static final long SECRET = 0x1234_5678_9abc_def0L;
    private static final long WAIT_MS = 10_000;

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final ExecutorService ranks = Executors.newCachedThreadPool();
    private BootstrapServer server;

    private BootstrapServer.Listener listener()
    {
        return new BootstrapServer.Listener()
        {
            @Override
            public void onAbort(final int rank, final int exitCode, final String reason)
            {
                events.add("abort " + rank + " " + exitCode + " " + reason);
            }

            @Override
            public void onWarning(final String message)
            {
                events.add("warning " + message);
            }
        };
    }

    @BeforeEach
    void startServer() throws Exception
    {
        server = BootstrapServer.start(4, SECRET, "test-job", listener());
    }

    @AfterEach
    void stopServer() throws Exception
    {
        server.close();
        ranks.shutdownNow();
        assertTrue(ranks.awaitTermination(10, TimeUnit.SECONDS), "rank threads did not end");
    }

    private LauncherBootstrap join(final int rank, final long timeoutMs)
    {
        return LauncherBootstrap.connect("127.0.0.1", server.port(), rank, 4, 4, SECRET, "test-job", timeoutMs);
    }

    @Test
    void shouldExchangeValuesAmongFourRanksThroughReusableFences() throws Exception
    {
        final List<Future<List<String>>> results = new ArrayList<>();
        for (int r = 0; r < 4; r++)
        {
            final int rank = r;
            results.add(ranks.submit(() ->
            {
                try (LauncherBootstrap bootstrap = join(rank, WAIT_MS))
                {
                    final List<String> seen = new ArrayList<>();
                    for (int round = 0; round < 3; round++)
                    {
                        bootstrap.put("addr." + round + "." + rank, ("r" + rank + "/" + round).getBytes(
                            StandardCharsets.UTF_8));
                        bootstrap.fence();
                        for (int peer = 0; peer < 4; peer++)
                        {
                            seen.add(new String(bootstrap.get("addr." + round + "." + peer), StandardCharsets.UTF_8));
                        }
                    }
                    return seen;
                }
            }));
        }
        final List<String> expected = new ArrayList<>();
        for (int round = 0; round < 3; round++)
        {
            for (int peer = 0; peer < 4; peer++)
            {
                expected.add("r" + peer + "/" + round);
            }
        }
        for (final Future<List<String>> result : results)
        {
            assertEquals(expected, result.get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldHideValuesUntilTheNextFence() throws Exception
    {
        final List<Future<?>> results = new ArrayList<>();
        for (int r = 0; r < 4; r++)
        {
            final int rank = r;
            results.add(ranks.submit(() ->
            {
                try (LauncherBootstrap bootstrap = join(rank, WAIT_MS))
                {
                    bootstrap.put("k." + rank, new byte[]{(byte)rank});
                    final BootstrapException early = assertThrows(BootstrapException.class,
                        () -> bootstrap.get("k." + rank));
                    assertTrue(early.getMessage().contains("before the last fence"), early.getMessage());
                    bootstrap.fence();
                    assertArrayEquals(new byte[]{3}, bootstrap.get("k.3"));
                }
                return null;
            }));
        }
        for (final Future<?> result : results)
        {
            result.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldRefuseAConnectionWithTheWrongSecret() throws Exception
    {
        final BootstrapException refused = assertThrows(BootstrapException.class, () ->
            LauncherBootstrap.connect("127.0.0.1", server.port(), 0, 4, 4, SECRET + 1, "test-job", WAIT_MS));

        assertTrue(refused.getMessage().contains("refused rank 0: wrong job secret"), refused.getMessage());
        final String warning = events.poll(10, TimeUnit.SECONDS);
        assertTrue(null != warning && warning.contains("wrong job secret"), String.valueOf(warning));
    }

    @Test
    void shouldRefuseASecondConnectionForTheSameRank()
    {
        try (LauncherBootstrap first = join(2, WAIT_MS))
        {
            final BootstrapException refused = assertThrows(BootstrapException.class, () -> join(2, WAIT_MS));
            assertTrue(refused.getMessage().contains("two processes claim the same rank"), refused.getMessage());
            assertEquals(2, first.rank());
        }
    }

    @Test
    void shouldNameTheMissingRanksWhenAFenceTimesOut() throws Exception
    {
        final List<Future<String>> results = new ArrayList<>();
        for (int r = 0; r < 2; r++)
        {
            final int rank = r;
            results.add(ranks.submit(() ->
            {
                try (LauncherBootstrap bootstrap = join(rank, 1_000))
                {
                    return assertThrows(BootstrapException.class, bootstrap::fence).getMessage();
                }
            }));
        }
        for (final Future<String> result : results)
        {
            final String message = result.get(20, TimeUnit.SECONDS);
            assertTrue(message.startsWith("fence: ranks 2, 3 have not arrived after 1 s"), message);
        }
    }

    @Test
    void shouldFailTheFenceAtOnceWhenARankLeavesBeforeArriving() throws Exception
    {
        final List<Future<String>> results = new ArrayList<>();
        for (int r = 0; r < 3; r++)
        {
            final int rank = r;
            results.add(ranks.submit(() ->
            {
                try (LauncherBootstrap bootstrap = join(rank, WAIT_MS))
                {
                    return assertThrows(BootstrapException.class, bootstrap::fence).getMessage();
                }
            }));
        }
        join(3, WAIT_MS).close();

        for (final Future<String> result : results)
        {
            final String message = result.get(5, TimeUnit.SECONDS);
            assertTrue(message.startsWith("fence: rank 3 left the job before arriving"), message);
        }
    }

    @Test
    void shouldReportAnAbortAndReleaseTheRanksInAFence() throws Exception
    {
        final Future<String> waiter = ranks.submit(() ->
        {
            try (LauncherBootstrap bootstrap = join(0, WAIT_MS))
            {
                return assertThrows(BootstrapException.class, bootstrap::fence).getMessage();
            }
        });
        try (LauncherBootstrap aborting = join(1, WAIT_MS))
        {
            aborting.abort(5, "out of memory");
            assertEquals("abort 1 5 out of memory", events.poll(10, TimeUnit.SECONDS));
        }
        final String message = waiter.get(10, TimeUnit.SECONDS);
        assertTrue(message.startsWith("fence: job aborted by rank 1 (exit code 5): out of memory"), message);
    }

    @Test
    void shouldDropAConnectionThatDoesNotSpeakTheProtocol() throws Exception
    {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port()))
        {
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final InputStream in = socket.getInputStream();
            assertEquals(-1, in.read(), "the server should close the connection without answering");
        }
    }
}
