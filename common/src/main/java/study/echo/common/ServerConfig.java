package study.echo.common;

import java.net.InetSocketAddress;

/**
 * What every server variant is configured with. Validated on construction, so a server never starts
 * with a value outside its range.
 *
 * @param host             address to bind, a name or a literal
 * @param port             TCP port, 0 to 65535; 0 takes a free port
 * @param bufferSizeBytes  bytes read per read call, 64 to 16 MiB. It also caps what a server holds
 *                         for one connection: neither server reads more while output is pending
 * @param backlog          listen queue length, 1 to 65535
 */
public record ServerConfig(String host, int port, int bufferSizeBytes, int backlog) {
    public static final int MIN_BUFFER_BYTES = 64;
    public static final int MAX_BUFFER_BYTES = 16 << 20;
    public static final int DEFAULT_BUFFER_BYTES = 8192;
    public static final int DEFAULT_BACKLOG = 1024;

    public ServerConfig {
        if (host == null || host.isBlank()) {
            throw new BadOptionException("--host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new BadOptionException("--port must be between 0 and 65535, got " + port);
        }
        if (bufferSizeBytes < MIN_BUFFER_BYTES || bufferSizeBytes > MAX_BUFFER_BYTES) {
            throw new BadOptionException("--buffer-size must be between " + MIN_BUFFER_BYTES + " and "
                    + MAX_BUFFER_BYTES + " bytes, got " + bufferSizeBytes);
        }
        if (backlog < 1 || backlog > 65535) {
            throw new BadOptionException("--backlog must be between 1 and 65535, got " + backlog);
        }
    }

    public InetSocketAddress bindAddress() {
        return new InetSocketAddress(host, port);
    }
}
