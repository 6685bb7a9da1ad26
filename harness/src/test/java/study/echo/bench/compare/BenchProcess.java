package study.echo.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code bench} in its own JVM, as a user does, with this test's class path. */
public final class BenchProcess {
    public record Result(int exitCode, String stdout, String stderr) {}

    private BenchProcess() {}

    public static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(study.echo.bench.Bench.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    public static Result run(Path workDir, Duration timeout, String... args) throws IOException, InterruptedException {
        return run(workDir, timeout, Map.of(), args);
    }

    /** As {@link #run(Path, Duration, String...)}, with {@code env} added to the environment. */
    static Result run(Path workDir, Duration timeout, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command(args)).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("bench " + String.join(" ", args) + " did not finish within " + timeout
                    + "; stderr: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
