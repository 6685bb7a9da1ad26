package study.echo.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import study.echo.common.UserException;

/**
 * {@code --hold-idle N}: connections the server holds besides the active ones, the way a real server
 * lives. Each is a plain blocking socket that no thread reads and no selector knows, so it stays off
 * the I/O loops and out of every measurement. Each echoes one byte when it opens, so the server has
 * accepted it and set up its state for it, and one more at the end, so that a connection the server
 * closed or reset while it was held is found and reported, never silently lost.
 */
final class IdleHold implements AutoCloseable {
    /** How long one byte's echo may take, opening or checking; loopback answers in microseconds. */
    static final Duration ECHO_TIMEOUT = Duration.ofSeconds(10);

    private final List<Socket> sockets = new ArrayList<>();

    /**
     * Opens and checks one idle connection, on the caller's thread.
     *
     * @param index which one, from 0: the byte it echoes
     * @param sourceIndex which of {@code sources} it binds, modulo their number
     */
    void open(int index, int sourceIndex, InetSocketAddress target, List<InetAddress> sources) {
        Socket s = new Socket();
        try {
            if (!sources.isEmpty()) s.bind(new InetSocketAddress(sources.get(sourceIndex % sources.size()), 0));
            s.connect(target, (int) ECHO_TIMEOUT.toMillis());
            s.setTcpNoDelay(true);
            s.setSoTimeout((int) ECHO_TIMEOUT.toMillis());
            sockets.add(s);
        } catch (ConnectException e) {
            closeQuietly(s);
            throw new UserException("cannot connect to " + target + " for idle connection " + (index + 1) + ": "
                    + e.getMessage());
        } catch (IOException e) {
            closeQuietly(s);
            throw lost("opening idle connection " + (index + 1), e.getMessage());
        }
        String wrong = echoOneByte(s, index, 0);
        if (wrong != null) throw lost("opening idle connection " + (index + 1), wrong);
    }

    int held() {
        return sockets.size();
    }

    /**
     * Checks that every held connection still echoes: one byte to each first, then each echo, so the
     * round trips overlap. Returns how many were lost (closed, reset, silent or wrong).
     */
    int lostAtEnd() {
        int lost = 0;
        boolean[] sent = new boolean[sockets.size()];
        for (int i = 0; i < sockets.size(); i++) {
            try {
                sockets.get(i).getOutputStream().write(token(i, 1));
                sent[i] = true;
            } catch (IOException e) {
                lost++;
            }
        }
        for (int i = 0; i < sockets.size(); i++) {
            if (sent[i] && readToken(sockets.get(i), i, 1) != null) lost++;
        }
        return lost;
    }

    /** Null when {@code s} echoed its byte, else what went wrong. */
    private static String echoOneByte(Socket s, int index, int round) {
        try {
            s.getOutputStream().write(token(index, round));
        } catch (IOException e) {
            return e.getMessage();
        }
        return readToken(s, index, round);
    }

    private static String readToken(Socket s, int index, int round) {
        try {
            InputStream in = s.getInputStream();
            int b = in.read();
            if (b < 0) return "the server closed it";
            return b == token(index, round) ? null : "echoed " + b + " instead of " + token(index, round);
        } catch (IOException e) {
            return String.valueOf(e.getMessage());
        }
    }

    /** A byte that differs between neighbours and between the two rounds, so a crossed echo shows. */
    static int token(int index, int round) {
        return (index * 31 + round * 17 + 1) & 0xFF;
    }

    private static RunAborted lost(String phase, String why) {
        return new RunAborted(ClientCommand.EXIT_IDLE_LOST, phase + " (--hold-idle) failed: " + why);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Nothing more to release.
        }
    }

    @Override
    public void close() {
        sockets.forEach(IdleHold::closeQuietly);
        sockets.clear();
    }
}
