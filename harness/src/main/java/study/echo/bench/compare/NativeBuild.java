package study.echo.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    public static NativeBuild compile(Path root) throws IOException {
        Path source = root.resolve(SOURCE);
        if (!Files.isRegularFile(source)) return new NativeBuild(null, null, SOURCE + " not found in " + root);
        for (String cc : new String[] {"gcc", "cc", "clang"}) {
            String version = Environment.run(root, Duration.ofSeconds(10), cc, "--version");
            if (version == null) continue;
            String firstLine = version.lines().findFirst().orElse(cc);
            Path out = Files.createDirectories(root.resolve("native").resolve("target")).resolve("echo_server");
            String result = Environment.run(root, Duration.ofSeconds(120), cc, "-O2", "-o", out.toString(), source.toString());
            if (result == null || !Files.isExecutable(out)) {
                return new NativeBuild(null, firstLine, cc + " -O2 failed to compile " + SOURCE);
            }
            return new NativeBuild(out, firstLine + " (-O2)", null);
        }
        return new NativeBuild(null, null, "no C compiler (gcc, cc or clang) on PATH");
    }
}
