package study.echo.bench.compare.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import study.echo.common.UserException;

/** A committed run keeps its per-point files in one archive, which the report reads as it reads a folder. */
class RunFilesTest {
    @TempDir
    Path tmp;

    private Path run() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(run.resolve(Summary.FILE), String.join(",", Summary.COLUMN_NAMES) + "\n");
        Files.createDirectories(run.resolve("points"));
        Files.createDirectories(run.resolve("logs"));
        Files.writeString(run.resolve("points/a_r1.hlog"), "histogram ü\n");
        Files.write(run.resolve("points/a_r1.hgrm"), new byte[] {0, 1, 2, (byte) 0xff});
        Files.writeString(run.resolve("logs/a_r1-server.log"), "listening on 127.0.0.1:1\n");
        return run;
    }

    @Test
    void archivingKeepsEveryByteAndTheFilesReadTheSameFromTheArchive() throws Exception {
        Path run = run();
        byte[] hgrm = Files.readAllBytes(run.resolve("points/a_r1.hgrm"));
        assertEquals(3, RunFiles.archive(run));
        assertFalse(Files.exists(run.resolve("points")));
        assertFalse(Files.exists(run.resolve("logs")));
        assertTrue(Files.exists(run.resolve(Summary.FILE)), "summary.csv stays a file");
        try (RunFiles files = RunFiles.open(run)) {
            try (InputStream in = files.open("points/a_r1.hgrm")) {
                assertArrayEquals(hgrm, in.readAllBytes());
            }
            try (InputStream in = files.open("logs/a_r1-server.log")) {
                assertEquals("listening on 127.0.0.1:1\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            assertNull(files.open("points/none.hlog"));
        }
        UserException again = assertThrows(UserException.class, () -> RunFiles.archive(run));
        assertTrue(again.getMessage().contains("exists already"), again.getMessage());
    }

    @Test
    void aFreshRunIsReadFromItsFolders() throws Exception {
        Path run = run();
        try (RunFiles files = RunFiles.open(run); InputStream in = files.open("points/a_r1.hlog")) {
            assertEquals("histogram ü\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
