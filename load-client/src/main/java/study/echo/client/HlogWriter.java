package study.echo.client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.HdrHistogram.HistogramLogWriter;
import study.echo.common.UserException;

/**
 * {@code --hlog}: the measured seconds' latency histograms (nanoseconds from the intended send time)
 * in HdrHistogram's interval log format, for {@code HistogramLogReader} and {@code HistogramLogProcessor}.
 * Timestamps are seconds since measuring began; the base time line holds that moment.
 */
final class HlogWriter implements RunListener, AutoCloseable {
    private final PrintStream stream;
    private final HistogramLogWriter writer;
    private boolean headerWritten;

    HlogWriter(Path file) {
        try {
            stream = new PrintStream(file.toFile(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserException("cannot write --hlog " + file + ": " + e.getMessage());
        }
        writer = new HistogramLogWriter(stream);
        writer.outputComment("echo-study load client: latency in nanoseconds from each message's intended send time");
        writer.outputLogFormatVersion();
    }

    @Override
    public void interval(Interval i) {
        if (i.warmup()) {
            return;
        }
        if (!headerWritten) {
            long measureFromMillis = System.currentTimeMillis() - Math.round(i.endSeconds() * 1000);
            writer.outputStartTime(measureFromMillis);
            writer.outputBaseTime(measureFromMillis);
            writer.outputLegend();
            headerWritten = true;
        }
        writer.outputIntervalHistogram(i.startSeconds(), i.endSeconds(), i.latency());
        stream.flush();
    }

    @Override
    public void close() {
        writer.close();
    }
}
