package study.echo.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import study.echo.common.Csv;
import study.echo.common.UserException;

/**
 * {@code --timeline}: one CSV row per measured second, written as it happens, so that a stall shows
 * in the second it happened and a crashed run leaves the seconds it had.
 */
final class TimelineWriter implements RunListener, AutoCloseable {
    static final String HEADER = "elapsed_s,messages,throughput_msgs_s,p50_us,p99_us,max_us,errors";

    private final PrintWriter out;

    TimelineWriter(Path file) {
        try {
            out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UserException("cannot write --timeline " + file + ": " + e.getMessage());
        }
        out.println(HEADER);
        out.flush();
    }

    @Override
    public void interval(Interval i) {
        if (i.warmup()) {
            return;
        }
        out.print(Csv.line(List.of(Report.num(i.endSeconds(), 3), Long.toString(i.messages()),
                Report.num(i.throughput(), 1), Report.num(Report.percentileMicros(i.latency(), 50), 1),
                Report.num(Report.percentileMicros(i.latency(), 99), 1), Report.num(Report.maxMicros(i.latency()), 1),
                Long.toString(i.errors()))));
        out.flush();
    }

    @Override
    public void close() {
        out.close();
    }
}
