package study.echo.bench.compare.results;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import study.echo.common.UserException;

/** {@code bench archive DIR}: a finished run made fit to commit. */
@Command(name = "archive", mixinStandardHelpOptions = true,
        description = "Pack the per-point files of a finished run folder (points/ and logs/: histograms,"
                + " client rows and timelines, server and client logs) into one " + RunFiles.ARCHIVE
                + ", check it reads back, and delete the two folders. summary.csv, report.md,"
                + " environment.json and charts/ stay as they are; ./bench report reads the archive.")
public final class ArchiveCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A finished run folder written by ./bench compare.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) throw new UserException(dir + " is not a folder");
        long before = size(dir);
        int files = RunFiles.archive(dir);
        System.out.printf("archive: %d files into %s (%,d KiB; the folder went from %,d to %,d KiB)%n", files,
                dir.resolve(RunFiles.ARCHIVE), Files.size(dir.resolve(RunFiles.ARCHIVE)) / 1024, before / 1024,
                size(dir) / 1024);
        return 0;
    }

    private static long size(Path dir) throws java.io.IOException {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
