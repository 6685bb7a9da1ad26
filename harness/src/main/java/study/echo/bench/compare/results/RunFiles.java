package study.echo.bench.compare.results;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import study.echo.common.UserException;

/**
 * The per-point files of a run folder ({@code points/}, {@code logs/}), read from the folder of a
 * fresh run or from the one archive a committed run keeps them in, {@value #ARCHIVE}. A zip because
 * java.util.zip reads one entry without unpacking the rest, and needs no dependency.
 */
public final class RunFiles implements AutoCloseable {
    public static final String ARCHIVE = "points.zip";
    /** The folders that go into the archive; summary.csv, report.md, environment.json and charts stay files. */
    static final List<String> ARCHIVED_FOLDERS = List.of("points", "logs");

    private final Path runDir;
    private final ZipFile zip;

    private RunFiles(Path runDir, ZipFile zip) {
        this.runDir = runDir;
        this.zip = zip;
    }

    public static RunFiles open(Path runDir) throws IOException {
        Path archive = runDir.resolve(ARCHIVE);
        if (!Files.exists(archive)) return new RunFiles(runDir, null);
        try {
            return new RunFiles(runDir, new ZipFile(archive.toFile()));
        } catch (IOException e) {
            throw new UserException(archive + ": not a readable zip archive (" + e.getMessage() + ")");
        }
    }

    /** A file by its path relative to the run folder, as summary.csv names it; null when there is none. */
    public InputStream open(String relative) throws IOException {
        Path file = runDir.resolve(relative);
        if (Files.isRegularFile(file)) return Files.newInputStream(file);
        if (zip == null) return null;
        ZipEntry e = zip.getEntry(relative.replace('\\', '/'));
        return e == null ? null : zip.getInputStream(e);
    }

    @Override
    public void close() throws IOException {
        if (zip != null) zip.close();
    }

    /**
     * Packs {@code points/} and {@code logs/} of a finished run into {@value #ARCHIVE}, checks that
     * every file reads back byte for byte, and only then deletes the folders. Returns the number of
     * files archived.
     */
    public static int archive(Path runDir) throws IOException {
        Path archive = runDir.resolve(ARCHIVE);
        if (Files.exists(archive)) throw new UserException(archive + " exists already; the run is archived");
        if (!Files.isRegularFile(runDir.resolve(Summary.FILE))) {
            throw new UserException("no " + Summary.FILE + " in " + runDir + "; is it a run folder?");
        }
        List<Path> files = new ArrayList<>();
        for (String folder : ARCHIVED_FOLDERS) {
            Path dir = runDir.resolve(folder);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        if (files.isEmpty()) throw new UserException("nothing to archive in " + runDir + ": no points/ or logs/ folder");
        Path tmp = runDir.resolve(ARCHIVE + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(9);
            for (Path f : files) {
                zip.putNextEntry(new ZipEntry(entryName(runDir, f)));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
        verify(runDir, tmp, files);
        Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE);
        for (String folder : ARCHIVED_FOLDERS) deleteTree(runDir.resolve(folder));
        return files.size();
    }

    private static String entryName(Path runDir, Path file) {
        return runDir.relativize(file).toString().replace('\\', '/');
    }

    private static void verify(Path runDir, Path archive, List<Path> files) throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (Path f : files) {
                ZipEntry e = zip.getEntry(entryName(runDir, f));
                try (InputStream in = e == null ? InputStream.nullInputStream() : zip.getInputStream(e)) {
                    if (e == null || !java.util.Arrays.equals(in.readAllBytes(), Files.readAllBytes(f))) {
                        Files.deleteIfExists(archive);
                        throw new UserException(archive + ": " + entryName(runDir, f)
                                + " did not read back the same; nothing was deleted");
                    }
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
