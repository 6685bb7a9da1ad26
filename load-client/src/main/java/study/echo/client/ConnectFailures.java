package study.echo.client;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.util.Locale;

/** Sorts a failed connect into the kind it is counted as. */
final class ConnectFailures {
    private ConnectFailures() {}

    static Counters.Kind classify(IOException e) {
        String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (e instanceof BindException || msg.contains("cannot assign requested address")
                || msg.contains("address already in use")) {
            return Counters.Kind.CONNECT_NO_LOCAL_PORT;
        }
        if (e instanceof SocketTimeoutException || msg.contains("timed out")) {
            return Counters.Kind.CONNECT_TIMED_OUT;
        }
        if (e instanceof NoRouteToHostException || msg.contains("unreachable")) {
            return Counters.Kind.CONNECT_UNREACHABLE;
        }
        if (e instanceof ConnectException || msg.contains("refused")) {
            return Counters.Kind.CONNECT_REFUSED;
        }
        return Counters.Kind.CONNECT_OTHER;
    }
}
