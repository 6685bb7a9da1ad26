package study.echo.bench.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Client-side helpers for the contract tests: plain blocking sockets with timeouts on every read. */
final class Peers {
    /** No single read in these tests may take longer than this, however busy the machine. */
    static final int READ_TIMEOUT_MILLIS = 30_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private Peers() {}

    static Socket connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** @param bufferBytes when positive, the socket's send and receive buffer sizes, set before connecting */
    static Socket connect(int port, int bufferBytes) throws IOException {
        Socket socket = new Socket();
        if (bufferBytes > 0) {
            socket.setReceiveBufferSize(bufferBytes);
            socket.setSendBufferSize(bufferBytes);
        }
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MILLIS);
        return socket;
    }

    /** Writes {@code data} in random chunks of 1 byte to 64 KiB. */
    static void writeChunked(Socket socket, byte[] data, Random random) throws IOException {
        OutputStream out = socket.getOutputStream();
        for (int offset = 0; offset < data.length; ) {
            int chunk = Math.min(data.length - offset, random.nextBoolean() ? 1 + random.nextInt(16) : 1 + random.nextInt(65_536));
            out.write(data, offset, chunk);
            offset += chunk;
        }
        out.flush();
    }

    /** Reads exactly {@code length} bytes, in random read sizes, and fails on an early end of stream. */
    static byte[] readExactly(Socket socket, int length, Random random) throws IOException {
        byte[] data = new byte[length];
        InputStream in = socket.getInputStream();
        for (int offset = 0; offset < length; ) {
            int n = in.read(data, offset, Math.min(length - offset, 1 + random.nextInt(65_536)));
            if (n < 0) {
                throw new IOException("end of stream after " + offset + " of " + length + " bytes");
            }
            offset += n;
        }
        return data;
    }

    /** One request/response round trip of {@code message}, verified byte for byte. */
    static void roundTrip(Socket socket, byte[] message) throws IOException {
        socket.getOutputStream().write(message);
        byte[] echoed = socket.getInputStream().readNBytes(message.length);
        assertArrayEquals(message, echoed, "echo of " + message.length + " bytes");
    }

    /**
     * Whether {@code procNetFile} ({@code /proc/net/tcp} or {@code /proc/net/tcp6}) lists a socket
     * listening on {@code port}: the local address is field 2 as {@code HEXADDR:HEXPORT}, and state
     * {@code 0A} is LISTEN.
     */
    static boolean listensIn(String procNetFile, int port) throws IOException {
        String suffix = String.format(":%04X", port);
        try (var lines = Files.lines(Path.of(procNetFile))) {
            return lines.skip(1).map(line -> line.trim().split("\\s+"))
                    .anyMatch(f -> f.length > 3 && f[1].endsWith(suffix) && f[3].equals("0A"));
        }
    }

    /** Whether a socket can be bound to ::1 here (IPv6 can be disabled on a machine or in a container). */
    static boolean hasIpv6Loopback() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("::1", 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Asserts the server closed the connection: end of stream, or a reset. */
    static void assertClosedByServer(Socket socket) throws IOException {
        try {
            assertEquals(-1, socket.getInputStream().read(), "expected end of stream");
        } catch (SocketException reset) {
            // A reset also tells the client the connection is gone.
        }
    }

    /** Closes with SO_LINGER 0, so the server sees a reset instead of an orderly end of stream. */
    static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    static byte[] randomBytes(Random random, int length) {
        byte[] data = new byte[length];
        random.nextBytes(data);
        return data;
    }

    /** A byte of an endless deterministic stream, so a long stream is verified without storing it. */
    static byte patternByte(long offset) {
        return (byte) ((offset * 0x9E3779B97F4A7C15L) >>> 56);
    }

    static void closeAll(Iterable<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Best effort: the test is over.
            }
        }
    }
}
