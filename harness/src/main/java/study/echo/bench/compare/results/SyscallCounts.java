package study.echo.bench.compare.results;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * System calls and context switches of the server per echoed message over a point's measured window,
 * counted from outside by perf or strace ({@code --syscalls}). A null figure was not counted: the
 * counter could not count it (strace sees no context switches), or counting failed (said in the row's
 * reason).
 *
 * @param counter what counted: {@code perf}, {@code strace} or {@code none}
 * @param byCallPerMsg the calls that tell the designs apart (read, write, epoll_wait, futex, ...), per message;
 *                     empty when not counted
 */
public record SyscallCounts(String counter, Double syscallsPerMsg, Double ctxSwitchesPerMsg,
                            Map<String, Double> byCallPerMsg) {
    public static final String PERF = "perf";
    public static final String STRACE = "strace";
    public static final String NONE = "none";

    public SyscallCounts {
        byCallPerMsg = byCallPerMsg == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byCallPerMsg));
    }

    /** Nothing counted by {@code counter}: no counter, or one that failed. */
    public static SyscallCounts notCounted(String counter) {
        return new SyscallCounts(counter, null, null, Map.of());
    }

    /** strace slows every system call it counts, so its points' throughput and latency are not the server's own. */
    public boolean distortsTiming() {
        return STRACE.equals(counter);
    }

    /** The per-call figures as one cell: {@code read:1.02 write:1.01}, in the order counted. */
    public String byCallText() {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Double> e : byCallPerMsg.entrySet()) {
            if (!s.isEmpty()) s.append(' ');
            s.append(e.getKey()).append(':').append(String.format(Locale.ROOT, "%.4f", e.getValue()));
        }
        return s.toString();
    }

    /** Reads {@link #byCallText()} back; null for text that is not in that form. */
    public static Map<String, Double> parseByCall(String text) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (text.isBlank()) return out;
        for (String pair : text.trim().split("\\s+")) {
            int colon = pair.indexOf(':');
            if (colon <= 0) return null;
            try {
                out.put(pair.substring(0, colon), Double.parseDouble(pair.substring(colon + 1)));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return out;
    }
}
