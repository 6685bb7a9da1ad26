package study.echo.bench.compare;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import study.echo.common.UserException;

/** The run folder: made before anything is measured, so that an unusable {@code --out} costs one line, not a run. */
final class RunFolder {
    static final String LATEST = "latest";

    private RunFolder() {}

    /** Creates {@code dir} and its parents; under results/ also points results/latest to it. */
    static void create(Path dir, boolean linkLatest) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw unwritable(dir, e);
        }
        if (linkLatest) updateLatest(dir);
    }

    /** One line naming the folder and what is wrong with it, for an I/O failure while setting it up. */
    static UserException unwritable(Path dir, IOException e) {
        String why;
        if (e instanceof AccessDeniedException) {
            why = "permission denied on " + e.getMessage();
        } else if (e instanceof FileAlreadyExistsException) {
            why = e.getMessage() + " exists and is not a folder";
        } else if (e instanceof FileSystemException fs && fs.getReason() != null) {
            why = fs.getFile() + ": " + fs.getReason();
        } else {
            why = String.valueOf(e.getMessage());
        }
        return new UserException("cannot write the run folder " + dir + ": " + why);
    }

    private static void updateLatest(Path runDir) {
        Path link = runDir.getParent().resolve(LATEST);
        try {
            if (Files.isSymbolicLink(link) || !Files.exists(link)) {
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, runDir.getFileName());
            }
        } catch (IOException | UnsupportedOperationException e) {
            System.err.println("compare: note: could not update " + link + ": " + e.getMessage());
        }
    }
}
