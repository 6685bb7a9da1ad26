package study.echo.bench.compare.measure;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import study.echo.launch.Children;
import study.echo.launch.Commands;
import study.echo.launch.Launch;
import study.echo.launch.PointFailure;
import study.echo.launch.ServerProcess;
import study.echo.launch.Variant;
import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.results.IdleMemory;
import study.echo.bench.compare.results.PointResult;
import study.echo.bench.compare.results.ServerResources;

/**
 * Memory per connection: the server's RSS and heap after a full GC, before and after this process
 * opens {@code N} idle connections to it. Each connection echoes one byte first, so that the server
 * has accepted it and set up whatever it keeps per connection (a buffer, a parked virtual thread, a
 * platform thread's stack) before anything is measured.
 *
 * <p>The harness opens the connections itself: it is not the server, and plain blocking sockets are
 * all an idle connection needs.
 */
public final class IdleProbe {
    public static final Duration CONNECT_BUDGET = Duration.ofSeconds(120);
    private static final Duration SETTLE = Duration.ofSeconds(1);
    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final Children children;
    private final Launch launch;
    private final Path runDir;

    public IdleProbe(Children children, Launch launch, Path runDir) {
        this.children = children;
        this.launch = launch;
        this.runDir = runDir;
    }

    public PointResult measure(Point p) throws PointFailure, IOException, InterruptedException {
        Path log = Files.createDirectories(runDir.resolve("logs")).resolve(p.key() + "-server.log");
        boolean java = p.variant().kind() == Variant.Kind.JAVA;
        List<Socket> sockets = new ArrayList<>(p.connections());
        try (ServerProcess server = ServerProcess.start(children, p.variant().command(launch), log)) {
            long pid = server.pid();
            Thread.sleep(SETTLE.toMillis());
            long heapBase = java ? heapAfterGc(p.variant().jcmd(launch), pid, log) : -1;
            long rssBase = PointRunner.proc(server, ProcStats::light).rssKib();

            open(server, sockets, p.connections());
            Thread.sleep(SETTLE.toMillis());
            if (!server.isAlive()) throw new PointFailure(server.deathReason());
            long heapLoaded = java ? heapAfterGc(p.variant().jcmd(launch), pid, log) : -1;
            ProcStats.Snapshot loaded = PointRunner.proc(server, ProcStats::light);

            boolean heap = heapBase >= 0 && heapLoaded >= 0;
            IdleMemory memory = IdleMemory.of(p.connections(), rssBase, loaded.rssKib(),
                    heap ? heapBase : null, heap ? heapLoaded : null);
            closeAll(sockets);
            String note = server.stop(p.connections());
            return new PointResult(p.id(), null, PointResult.Status.OK, note, null,
                    ServerResources.idle(loaded.threads(), loaded.hwmKib()), null, memory, null, null, null);
        } finally {
            closeAll(sockets);
        }
    }

    /** Opens {@code n} connections, each echoing one byte, within {@link #CONNECT_BUDGET}. */
    private static void open(ServerProcess server, List<Socket> sockets, int n) throws PointFailure {
        InetSocketAddress address = server.address();
        long deadline = System.nanoTime() + CONNECT_BUDGET.toNanos();
        for (int i = 0; i < n; i++) {
            if (System.nanoTime() > deadline) {
                throw new PointFailure("opened only " + i + " of " + n + " idle connections within "
                        + CONNECT_BUDGET.toSeconds() + " s");
            }
            Socket s = new Socket();
            sockets.add(s);
            try {
                s.setSoTimeout(10_000);
                s.connect(address, 10_000);
                s.getOutputStream().write(i & 0x7f);
                InputStream in = s.getInputStream();
                int echoed = in.read();
                if (echoed != (i & 0x7f)) {
                    throw new PointFailure("idle connection " + i + " got " + echoed + " back instead of " + (i & 0x7f));
                }
            } catch (IOException e) {
                throw new PointFailure("could not open idle connection " + (i + 1) + " of " + n + ": " + e.getMessage()
                        + (server.isAlive() ? "" : "; " + server.deathReason()));
            }
        }
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // Closing an idle loopback socket fails only if it is already gone.
            }
        }
        sockets.clear();
    }

    /** Runs a full GC in the server with jcmd and returns the heap in use after it, in KiB. */
    private long heapAfterGc(Path jcmd, long pid, Path log) throws PointFailure, IOException, InterruptedException {
        if (!Files.isExecutable(jcmd)) throw new PointFailure("jcmd not found: " + jcmd);
        Path script = Files.createTempFile("bench-jcmd", ".txt");
        try {
            Files.writeString(script, "GC.run\nGC.heap_info\n");
            Commands.Result r;
            try {
                r = Commands.run(children, new ProcessBuilder(jcmd.toString(), Long.toString(pid), "-f", script.toString()),
                        JCMD_TIMEOUT);
            } catch (TimeoutException e) {
                throw new PointFailure("jcmd GC.run did not finish within " + JCMD_TIMEOUT.toSeconds() + " s");
            }
            Files.writeString(log, r.output(), java.nio.file.StandardOpenOption.APPEND);
            Matcher m = HEAP_USED.matcher(r.output());
            if (!r.ok() || !m.find()) {
                throw new PointFailure("jcmd GC.heap_info gave no heap figure (exit " + r.exitCode() + ")");
            }
            return Long.parseLong(m.group(1));
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
