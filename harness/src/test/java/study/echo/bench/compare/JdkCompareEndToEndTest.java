package study.echo.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import study.echo.bench.compare.plan.Jdk;
import study.echo.bench.compare.results.PointResult;
import study.echo.bench.compare.results.RunJson;
import study.echo.bench.compare.results.Summary;

/** {@code --jdk} with two paths to the one JDK installed: a real run of 1 s windows gives rows for both. */
class JdkCompareEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(180)
    void twoPathsToOneJdkRunEveryJavaVariantOnEachAndResume() throws Exception {
        Path home = Path.of(System.getProperty("java.home"));
        Path link = Files.createSymbolicLink(tmp.resolve("jdk-b"), home);
        String a = "jdk" + Runtime.version().feature();
        String b = a + "-2";
        Path run = tmp.resolve("run");
        String[] args = {"compare", "--out", run.toString(), "--variants", "native,selector-1", "--connections", "2",
            "--sizes", "64", "--rates", "none", "--warmup", "0s", "--duration", "1s", "--idle-connections", "0",
            "--jdk", home + "," + link};
        BenchProcess.Result r = BenchProcess.run(tmp, Duration.ofSeconds(150), args);
        assertEquals(0, r.exitCode(), r.stderr());

        List<PointResult> rows = Summary.read(run.resolve(Summary.FILE)).rows();
        // The C server (compiled on the fly; the machine has a compiler) runs once, and has no JDK.
        assertEquals(List.of("native", "selector-1@" + a, "selector-1@" + b), rows.stream().map(x -> x.id().variant()).toList());
        for (PointResult row : rows) {
            assertTrue(row.ok() && row.client().throughputMsgsPerS() > 0, row.toString());
            assertEquals(row.id().variant().equals("native") ? "" : Jdk.current().text(), row.jdk());
        }
        rows = rows.subList(1, 3);
        // The second server really ran on the second path's java, and the client on the launcher's.
        String server = Files.readString(run.resolve("logs").resolve(rows.get(1).id().key() + "-server.log"));
        assertTrue(server.startsWith(link.resolve("bin/java") + " "), server);
        String client = Files.readString(run.resolve("logs").resolve(rows.get(1).id().key() + "-client.log"));
        assertTrue(!client.startsWith(link.toString()), client);

        ObjectNode env = RunJson.readObject(run.resolve("environment.json"));
        JsonNode jdks = env.get("jdks");
        assertEquals(2, jdks.size(), env.toString());
        assertEquals(List.of(a, b), List.of(jdks.get(0).get("label").asText(), jdks.get(1).get("label").asText()));
        assertEquals(link.toString(), jdks.get(1).get("path").asText());
        assertEquals(Runtime.version().feature(), jdks.get(1).get("release").asInt());
        assertEquals(link.resolve("bin/java").toString(), env.get("variants").get(2).get("argv").get(0).asText());

        String report = Files.readString(run.resolve("report.md"));
        assertTrue(report.contains("### JDKs"), report);
        // A variant on several JDKs keeps its base's place in the tables: selector-1 before native.
        assertTrue(report.contains("| selector-1@" + a + " | selector-1@" + b + " | native |"), report);
        assertTrue(report.contains("| selector-1@" + b + " | " + Jdk.current().text() + " | `" + link.resolve("bin/java") + "` |"),
                report);

        String[] resume = Stream.concat(Stream.of(args), Stream.of("--resume")).toArray(String[]::new);
        BenchProcess.Result resumed = BenchProcess.run(tmp, Duration.ofSeconds(60), resume);
        assertEquals(0, resumed.exitCode(), resumed.stderr());
        assertTrue(resumed.stderr().contains("3 of 3 points already done"), resumed.stderr());
    }
}
