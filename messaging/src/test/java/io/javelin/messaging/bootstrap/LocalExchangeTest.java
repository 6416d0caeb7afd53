package io.javelin.messaging.bootstrap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class LocalExchangeTest
{
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException
    {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldExchangeValuesAmongFourRankThreadsThroughReusableFences() throws Exception
    {
        final LocalExchange exchange = new LocalExchange(4, 10_000);
        final List<Future<Integer>> results = new ArrayList<>();
        for (int r = 0; r < 4; r++)
        {
            final LocalBootstrap bootstrap = exchange.bootstrap(r);
            results.add(threads.submit(() ->
            {
                int checked = 0;
                for (int round = 0; round < 5; round++)
                {
                    final int rank = bootstrap.rank();
                    bootstrap.put("k." + round + "." + rank, new byte[]{(byte)rank, (byte)round});
                    bootstrap.fence();
                    for (int peer = 0; peer < 4; peer++)
                    {
                        final byte[] value = bootstrap.get("k." + round + "." + peer);
                        assertArrayEquals(new byte[]{(byte)peer, (byte)round}, value);
                        checked++;
                    }
                }
                bootstrap.close();
                return checked;
            }));
        }
        for (final Future<Integer> result : results)
        {
            assertEquals(20, result.get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldHideValuesUntilTheNextFence()
    {
        final LocalBootstrap only = new LocalExchange(1, 1_000).bootstrap(0);
        only.put("k", new byte[]{1});
        assertThrows(BootstrapException.class, () -> only.get("k"));
        only.fence();
        assertArrayEquals(new byte[]{1}, only.get("k"));
    }

    @Test
    void shouldNameTheMissingRanksToEveryWaiterWhenAFenceTimesOut() throws Exception
    {
        final LocalExchange exchange = new LocalExchange(4, 500);
        final List<Future<String>> results = new ArrayList<>();
        for (int r = 0; r < 2; r++)
        {
            final LocalBootstrap bootstrap = exchange.bootstrap(r);
            results.add(threads.submit(() ->
            {
                final String message = assertThrows(BootstrapException.class, bootstrap::fence).getMessage();
                bootstrap.close();
                return message;
            }));
        }
        for (final Future<String> result : results)
        {
            final String message = result.get(10, TimeUnit.SECONDS);
            assertTrue(message.startsWith("fence: ranks 2, 3 have not arrived after 0.5 s"), message);
        }
    }

    @Test
    void shouldReleaseWaitingRanksWhenARankAborts() throws Exception
    {
        final LocalExchange exchange = new LocalExchange(3, 20_000);
        final List<Future<String>> results = new ArrayList<>();
        for (int r = 0; r < 2; r++)
        {
            final LocalBootstrap bootstrap = exchange.bootstrap(r);
            results.add(threads.submit(() -> assertThrows(BootstrapException.class, bootstrap::fence).getMessage()));
        }
        final LocalBootstrap aborting = exchange.bootstrap(2);
        aborting.abort(4, "division by zero");

        for (final Future<String> result : results)
        {
            final String message = result.get(10, TimeUnit.SECONDS);
            assertEquals("fence: job aborted by rank 2 (exit code 4): division by zero", message);
        }
        assertThrows(BootstrapException.class, aborting::fence, "a later fence fails at once too");
    }

    @Test
    void shouldReleaseWaitingRanksWhenARankClosesBeforeArriving() throws Exception
    {
        final LocalExchange exchange = new LocalExchange(2, 20_000);
        final LocalBootstrap waiting = exchange.bootstrap(0);
        final Future<String> result = threads.submit(
            () -> assertThrows(BootstrapException.class, waiting::fence).getMessage());
        exchange.bootstrap(1).close();

        final String message = result.get(10, TimeUnit.SECONDS);
        assertTrue(message.startsWith("fence: rank 1 left the job"), message);
    }

    @Test
    void shouldCreateEachRanksBootstrapOnce()
    {
        final LocalExchange exchange = new LocalExchange(2, 1_000);
        exchange.bootstrap(1);
        assertThrows(IllegalStateException.class, () -> exchange.bootstrap(1));
        assertThrows(IllegalArgumentException.class, () -> exchange.bootstrap(2));
    }
}
