package study.echo.bench.compare.measure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.List;
import java.util.Map;

/**
 * What perf and strace print when they stop counting, as counts by name. Both formats are read
 * strictly: a line that is neither a count nor one of the tool's known decorations is an error, so a
 * changed format empties the cells with a reason instead of filling them with wrong numbers.
 */
public final class CounterOutput {
    /** The event perf stat counts every system call entry with. */
    public static final String ALL_SYSCALLS = "raw_syscalls:sys_enter";
    public static final String CONTEXT_SWITCHES = "context-switches";
    /** perf's interval, ms: its time stamps say how long the counters ran. */
    public static final int INTERVAL_MILLIS = 1000;
    /** The per-call tracepoints, {@code syscalls:sys_enter_NAME}. */
    public static final String CALL_PREFIX = "syscalls:sys_enter_";

    /**
     * Counts by event or call name.
     *
     * @param counts perf's events by their names, or strace's calls by syscall name with {@code total}
     * @param durationS how long the counters ran, from perf's interval time stamps; null when not known
     * @param notCounted events perf named but did not count ({@code <not counted>}, {@code <not supported>})
     */
    public record Tallies(Map<String, Long> counts, Double durationS, List<String> notCounted) {}

    /** The output format has changed, or the tool printed an error instead of counts. */
    public static final class FormatException extends Exception {
        private static final long serialVersionUID = 1L;

        FormatException(String message) {
            super(message);
        }
    }

    private CounterOutput() {}

    /**
     * {@code perf stat -x, -I MS} output: one {@code time,value,unit,event,run_time,percent,...} line per
     * event and interval, after a {@code # started on} comment when written with {@code -o}; the last
     * interval ends where SIGINT stopped it, so the last time is how long the counters ran. Without
     * {@code -I} the lines have no time and the duration is unknown. The counts are summed over the
     * intervals. (perf's own {@code duration_time} cannot give the duration: with {@code -p} it is summed
     * over the process's threads, 18 s for a 1 s window of an 18-thread JVM on perf 6.x.)
     */
    public static Tallies perf(String text) throws FormatException {
        Map<String, Long> counts = new LinkedHashMap<>();
        Set<String> notCounted = new LinkedHashSet<>();
        Double durationS = null;
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            List<String> f = new ArrayList<>(List.of(l.split(",", -1)));
            if (f.size() >= 4 && TIME.matcher(f.get(0)).matches()) {
                double t = Double.parseDouble(f.remove(0));
                durationS = durationS == null ? t : Math.max(durationS, t);
            }
            if (f.size() < 3 || f.get(2).isEmpty()) throw new FormatException("perf output line " + lineNo + " is not a count: " + l);
            String event = f.get(2);
            if (f.get(0).startsWith("<")) {
                notCounted.add(event);
                continue;
            }
            try {
                counts.merge(event, Long.parseLong(f.get(0)), Long::sum);
            } catch (NumberFormatException e) {
                throw new FormatException("perf output line " + lineNo + " has no integer count: " + l);
            }
        }
        if (counts.isEmpty() && notCounted.isEmpty()) throw new FormatException("perf printed no count");
        notCounted.removeAll(counts.keySet());
        return new Tallies(counts, durationS, List.copyOf(notCounted));
    }

    /** An interval's time stamp, seconds with a fraction; a count never has a decimal point. */
    private static final Pattern TIME = Pattern.compile("\\d+\\.\\d+");

    /**
     * {@code strace -c} output: a table of {@code % time, seconds, usecs/call, calls, errors, syscall} between
     * dashed rules, ending in a {@code total} row; the errors column is blank for calls that never failed, and
     * older versions leave usecs/call blank in the total row, so the total is the sum of the rows, checked
     * against that row.
     */
    public static Tallies strace(String text) throws FormatException {
        Map<String, Long> counts = new LinkedHashMap<>();
        boolean header = false;
        List<String> totalRow = null;
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            String l = line.strip();
            // Rules, and strace's own messages (attached, detached) when they share the file.
            if (l.isEmpty() || l.startsWith("-") || l.startsWith("strace:")) continue;
            if (l.startsWith("%")) {
                header = true;
                continue;
            }
            if (!header) throw new FormatException("strace output line " + lineNo + " comes before its table: " + l);
            String[] f = l.split("\\s+");
            String name = f[f.length - 1];
            if (name.equals("total")) {
                totalRow = List.of(f);
                continue;
            }
            if (f.length < 5) throw new FormatException("strace output line " + lineNo + " is not a table row: " + l);
            try {
                Double.parseDouble(f[0]);
                counts.merge(name, Long.parseLong(f[3]), Long::sum);
            } catch (NumberFormatException e) {
                throw new FormatException("strace output line " + lineNo + " has no call count: " + l);
            }
        }
        if (totalRow == null) throw new FormatException("strace printed no total row");
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        if (!totalRow.contains(Long.toString(total))) {
            throw new FormatException("strace's total row " + String.join(" ", totalRow) + " does not hold the rows' sum " + total);
        }
        counts.put("total", total);
        return new Tallies(counts, null, List.of());
    }
}
