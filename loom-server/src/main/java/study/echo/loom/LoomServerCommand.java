package study.echo.loom;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import study.echo.common.Cli;
import study.echo.common.ServerConfig;
import study.echo.common.ServerOptions;
import study.echo.common.ServerRunner;
import study.echo.common.work.RequestWork;

/** {@code bench server loom}: wires the thread-per-connection dispatcher into the shared server. */
@Command(name = "loom", mixinStandardHelpOptions = true,
        description = {
            "Blocking echo server with one thread per connection: virtual threads, or platform threads as the baseline.",
            "",
            "Memory: each connection has its own direct buffer of --buffer-size bytes, taken when it opens"
                    + " (off the heap, within -XX:MaxDirectMemorySize, by default the maximum heap size), and its"
                    + " thread's stack. When its client does not read, the blocking write waits and the connection"
                    + " holds that one buffer's bytes and reads nothing more.",
            "With --request-size, the buffer is at least one request (the larger of --buffer-size and"
                    + " --request-size); the connection's thread handles the complete requests of each read, in"
                    + " order, then writes them back, and keeps the incomplete rest in the same buffer: it holds"
                    + " that one buffer, the requests being handled included. At shutdown a thread in a --work wait is"
                    + " interrupted, and stderr gets one line: work SPEC: N requests handled, checksum 0xHEX.",
            "",
            "A connection that cannot get its buffer or its thread (out of memory) is closed at once, so its"
                    + " client sees a reset, and the server goes on accepting; it recovers when memory comes free."
        })
public final class LoomServerCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Option(names = "--threads", defaultValue = "virtual", paramLabel = "virtual|platform",
            description = "Kind of thread per connection: virtual or platform (default: ${DEFAULT-VALUE}).")
    ThreadMode threads;

    /** The main class of this variant in the variant table ({@code study.echo.launch.Variant}); the same command as {@code ./bench server loom}. */
    public static void main(String[] args) {
        Cli.main(new LoomServerCommand(), args);
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config = server.toConfig();
        RequestWork work = server.toWork(System.err);
        int status = ServerRunner.run(config,
                new ThreadPerConnectionDispatcher(threads, config.bufferSizeBytes(), work), System.out);
        if (work.framed()) {
            System.err.println(work.report());
        }
        return status;
    }
}
