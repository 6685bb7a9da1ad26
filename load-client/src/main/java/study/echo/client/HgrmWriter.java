package study.echo.client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import study.echo.common.UserException;

/**
 * {@code --hgrm}: the measured latency distribution in HdrHistogram's percentile format, in
 * microseconds, for the online plotter. The file is opened when the run is set up, so that a path that
 * cannot be written is refused before any load, as the other outputs are; it is written at the end.
 */
final class HgrmWriter implements AutoCloseable {
    private final Path file;
    private final PrintStream stream;

    HgrmWriter(Path file) {
        this.file = file;
        try {
            stream = new PrintStream(file.toFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserException("cannot write --hgrm " + file + ": " + e.getMessage());
        }
    }

    void write(RunResult result) {
        // Values are recorded in nanoseconds; the distribution is printed in microseconds.
        result.latency().outputPercentileDistribution(stream, 1000.0);
        stream.flush();
        if (stream.checkError()) {
            throw new UserException("cannot write --hgrm " + file);
        }
    }

    @Override
    public void close() {
        stream.close();
    }
}
