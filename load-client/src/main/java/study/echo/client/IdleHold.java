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
 * closed or reset while it was held is found and reported, never silently lost. The opening echoes
 * are read {@link #BATCH} at a time: one at a time, a poll(2) server scanning every descriptor it
 * holds for each of them took over 5 minutes to accept 18,000 (the ramp grows with the square of the
 * count), so the point failed before it measured anything.
 */
final class IdleHold implements AutoCloseable {
    /** How long one byte's echo may take, opening or checking; loopback answers in microseconds. */
    static final Duration ECHO_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Opening echoes in flight at most, 1 to the servers' listen backlog (1,024): a batch connects before
     * the server accepts any of it.
     */
    static final int BATCH = 64;

    private final List<Socket> sockets = new ArrayList<>();
    /** Where in {@link #sockets} the connections whose opening echo is not read yet begin. */
    private int unsettledFrom;

    /**
     * Opens one idle connection and sends its byte, on the caller's thread; every {@link #BATCH}
     * connections, reads their echoes ({@link #settle} reads the rest).
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
        try {
            s.getOutputStream().write(token(index, 0));
        } catch (IOException e) {
            throw lost("opening idle connection " + (index + 1), e.getMessage());
        }
        if (sockets.size() - unsettledFrom >= BATCH) settle();
    }

    /** Reads the opening echo of every connection opened since the last call: all are held after it. */
    void settle() {
        for (int i = unsettledFrom; i < sockets.size(); i++) {
            String wrong = readToken(sockets.get(i), i, 0);
            if (wrong != null) throw lost("opening idle connection " + (i + 1), wrong);
        }
        unsettledFrom = sockets.size();
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
