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
        description = "Blocking echo server with one thread per connection: virtual threads, or platform threads as the baseline.")
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
