package study.echo.client;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import study.echo.common.UserException;

/**
 * Checks up front what would otherwise fail half way through a ramp: file descriptors and local
 * ports. One clear line instead of thousands of failed connects.
 */
final class Limits {
    /** Descriptors the client needs besides its sockets: a selector (epoll + wakeup pipe) per thread, output files, slack. */
    static final int FDS_PER_THREAD = 3;
    static final int SPARE_FDS = 32;
    private static final Path PORT_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private Limits() {}

    static void check(ClientConfig config) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            checkFileDescriptors(config.connections() + config.holdIdle(), config.threads(),
                    os.getOpenFileDescriptorCount(), os.getMaxFileDescriptorCount());
        }
        checkLocalPorts(config.connections() + config.holdIdle(), config.sourceAddresses().size(), localPortCount());
    }

    static void checkFileDescriptors(int connections, int threads, long openFds, long maxFds) {
        long needed = openFds + connections + (long) threads * FDS_PER_THREAD + SPARE_FDS;
        if (needed > maxFds) {
            throw new UserException(connections + " connections need about " + needed
                    + " file descriptors, but this process may open only " + maxFds
                    + "; raise the limit (ulimit -n " + needed + ") or ask for fewer connections");
        }
    }

    /**
     * Each connection to one target needs its own local port on its source address.
     *
     * @param sourceAddresses 0 when the kernel chooses the source address (one address then)
     * @param portsPerAddress local ports the kernel hands out, or 0 when unknown
     */
    static void checkLocalPorts(int connections, int sourceAddresses, int portsPerAddress) {
        if (portsPerAddress <= 0) {
            return;
        }
        long available = (long) Math.max(1, sourceAddresses) * portsPerAddress;
        if (connections > available) {
            throw new UserException(connections + " connections need more local ports than the " + available
                    + " that " + Math.max(1, sourceAddresses) + " source address(es) offer (" + PORT_RANGE
                    + "); spread them with --source-addresses 127.0.0.1-127.0.0.N");
        }
    }

    /** How many ephemeral ports the kernel uses, from {@code ip_local_port_range}; 0 when unknown. */
    static int localPortCount() {
        try {
            String[] range = Files.readString(PORT_RANGE).trim().split("\\s+");
            return Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
