package study.echo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How connections are opened and served: the ramp, source addresses, a fixed number of I/O threads. */
class ConnectionsTest {
    @TempDir
    Path dir;

    @Test
    void connectionsOpenAtTheConnectRate() throws Exception {
        try (TestEchoServer server = TestEchoServer.echo()) {
            ClientRun run = ClientRun.of("--target", server.target(), "--connections", "20", "--connect-rate", "40",
                    "--duration", "200ms", "--warmup", "0s", "--quiet");
            assertEquals(0, run.exitCode(), run::toString);
            assertEquals(20, server.acceptNanos.size());
            long spanMillis = TimeUnit.NANOSECONDS.toMillis(server.acceptNanos.get(19) - server.acceptNanos.get(0));
            // 19 gaps of 25 ms; a busy machine can only make it longer.
            assertTrue(spanMillis >= 400, () -> "ramp took " + spanMillis + " ms");
        }
    }

    @Test
    void sourceAddressesSpreadTheConnections() throws Exception {
        try (TestEchoServer server = TestEchoServer.echo()) {
            ClientRun run = ClientRun.of("--target", server.target(), "--connections", "6",
                    "--source-addresses", "127.0.0.2-127.0.0.3,127.0.0.5", "--duration", "200ms", "--warmup", "0s",
                    "--quiet");
            assertEquals(0, run.exitCode(), run::toString);
            Set<InetAddress> expected = Set.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3"),
                    InetAddress.getByName("127.0.0.5"));
            assertEquals(expected, new HashSet<>(server.peers));
        }
    }

    @Test
    void aFixedSmallNumberOfThreadsServesManyConnections() throws Exception {
        Path csv = dir.resolve("s.csv");
        try (TestEchoServer server = TestEchoServer.echo()) {
            CompletableFuture<ClientRun> run = CompletableFuture.supplyAsync(() -> ClientRun.of(
                    "--target", server.target(), "--connections", "200", "--connect-rate", "10000", "--client-threads", "2",
                    "--duration", "1s", "--warmup", "0s", "--quiet", "--csv", csv.toString()));
            int maxIoThreads = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!run.isDone() && System.nanoTime() < deadline) {
                int n = (int) Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("client-io-")).count();
                maxIoThreads = Math.max(maxIoThreads, n);
                Thread.sleep(50);
            }
            ClientRun done = run.get(20, TimeUnit.SECONDS);
            assertEquals(0, done.exitCode(), done::toString);
            assertEquals(2, maxIoThreads, "200 connections on 2 I/O threads");
            Map<String, String> row = ClientRun.lastCsvRow(csv);
            assertEquals("200", row.get("connections"));
            assertTrue(Long.parseLong(row.get("messages")) > 200, row::toString);
            assertEquals("0", row.get("errors"), row::toString);
        }
    }

    @Test
    void connectionsThatCannotOpenAreCountedAndTheRunExitsOne() throws Exception {
        Path csv = dir.resolve("s.csv");
        try (TestEchoServer server = TestEchoServer.echo()) {
            // 192.0.2.1 (TEST-NET-1) is not an address of this host, so binding to it fails before any packet.
            ClientRun run = ClientRun.of("--target", server.target(), "--connections", "4",
                    "--source-addresses", "127.0.0.1,192.0.2.1", "--duration", "200ms", "--warmup", "0s",
                    "--quiet", "--csv", csv.toString());
            assertEquals(1, run.exitCode(), run::toString);
            assertTrue(run.err().contains("not every connection opened"), run::toString);
            assertTrue(run.out().contains("2 connect failures (2 no local port)"), run::toString);
            Map<String, String> row = ClientRun.lastCsvRow(csv);
            assertEquals("2", row.get("connect_failures"), row::toString);
            assertEquals("0", row.get("mismatches"), row::toString);
            assertTrue(Long.parseLong(row.get("messages")) > 0, row::toString);
        }
    }

    @Test
    void sourceAddressRangesParse() throws Exception {
        var list = SourceAddresses.parse("127.0.0.254-127.0.1.1, 10.0.0.1");
        assertEquals(5, list.size());
        assertEquals(InetAddress.getByName("127.0.0.254"), list.get(0));
        assertEquals(InetAddress.getByName("127.0.1.1"), list.get(3));
        assertEquals(InetAddress.getByName("10.0.0.1"), list.get(4));
        assertTrue(SourceAddresses.parse(null).isEmpty());
    }
}
