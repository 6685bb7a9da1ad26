package study.echo.common;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The options every server variant takes, shared as a picocli {@code @Mixin}, with the exit codes they
 * share (picocli adds a mixin's exit-code list to the command's help).
 */
@Command(exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Stopped by SIGTERM or Ctrl-C, after closing its connections.",
            "1:Cannot listen: the port is in use or the address is not this machine's.",
            "2:Bad options.",
            "4:Failed while running: a part it cannot do without (an event loop, the accept thread)"
                    + " could not go on, so it stopped accepting and closed its connections. The last"
                    + " line on stderr says which part and why."
        })
public final class ServerOptions {
    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "7007", paramLabel = "PORT",
            description = "TCP port, 0-65535; 0 takes a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--buffer-size", defaultValue = "" + ServerConfig.DEFAULT_BUFFER_BYTES, paramLabel = "BYTES",
            description = "Bytes per read, 64 to 16777216. Also bounds what a server holds for one"
                    + " connection that does not read: one buffer, two for netty; see each server's Memory note (default: ${DEFAULT-VALUE}).")
    int bufferSizeBytes;

    @Option(names = "--backlog", defaultValue = "" + ServerConfig.DEFAULT_BACKLOG, paramLabel = "N",
            description = "Listen backlog, 1-65535 (default: ${DEFAULT-VALUE}).")
    int backlog;

    public ServerConfig toConfig() {
        return new ServerConfig(host, port, bufferSizeBytes, backlog);
    }
}
