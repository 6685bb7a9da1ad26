package study.echo.loom;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import study.echo.common.Cli;
import study.echo.common.ServerConfig;
import study.echo.common.ServerOptions;
import study.echo.common.ServerRunner;

/** {@code bench server loom}: wires the thread-per-connection dispatcher into the shared server. */
@Command(name = "loom", mixinStandardHelpOptions = true,
        description = {
            "Blocking echo server with one thread per connection: virtual threads, or platform threads as the baseline.",
            "",
            "Memory: each connection has its own direct buffer of --buffer-size bytes, taken when it opens"
                    + " (off the heap, within -XX:MaxDirectMemorySize, by default the maximum heap size), and its"
                    + " thread's stack. When its client does not read, the blocking write waits and the connection"
                    + " holds that one buffer's bytes and reads nothing more.",
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
        return ServerRunner.run(config, new ThreadPerConnectionDispatcher(threads, config.bufferSizeBytes()), System.out);
    }
}
