package study.echo.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Compiles the native ceiling server, native/echo_server.c, with the first C compiler on PATH.
 *
 * @param binary the compiled server, or null when it could not be built
 * @param compiler the compiler's version line, or null
 * @param note why the binary is missing, or null
 */
public record NativeBuild(Path binary, String compiler, String note) {
    public static final String SOURCE = "native/echo_server.c";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration COMPILE_TIMEOUT = Duration.ofSeconds(120);

    /** Compiles {@code root}/native/echo_server.c into {@code root}/native/target/. */
    public static NativeBuild compile(Path root) throws IOException {
        Path source = root.resolve(SOURCE);
        if (!Files.isRegularFile(source)) return new NativeBuild(null, null, SOURCE + " not found in " + root);
        for (String cc : new String[] {"gcc", "cc", "clang"}) {
            String version = Commands.outputOf(root, PROBE_TIMEOUT, cc, "--version");
            if (version == null) continue;
            String firstLine = version.lines().findFirst().orElse(cc);
            Path out = Files.createDirectories(root.resolve("native").resolve("target")).resolve("echo_server");
            String result = Commands.outputOf(root, COMPILE_TIMEOUT, cc, "-O2", "-o", out.toString(), source.toString());
            if (result == null || !Files.isExecutable(out)) {
                return new NativeBuild(null, firstLine, cc + " -O2 failed to compile " + SOURCE);
            }
            return new NativeBuild(out, firstLine + " (-O2)", null);
        }
        return new NativeBuild(null, null, "no C compiler (gcc, cc or clang) on PATH");
    }

    /**
     * Unpacks the source this module's jar carries into {@code work}/native/ and compiles it there: for
     * a jar run without the checkout, as the JMH benchmarks are.
     */
    public static NativeBuild compilePacked(Path work) throws IOException {
        Path source = Files.createDirectories(work.resolve("native")).resolve("echo_server.c");
        try (InputStream in = NativeBuild.class.getResourceAsStream("/" + SOURCE)) {
            if (in == null) return new NativeBuild(null, null, SOURCE + " is not packed into this jar; rebuild with ./bench build");
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        return compile(work);
    }
}
