package study.echo.bench.compare.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import study.echo.common.UserException;

/** {@code bench report DIR}: charts and the Markdown results section, again, from a run folder. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Regenerate the charts (charts/*.png, *.svg) and the Markdown results section (report.md)"
                + " of a run folder from its summary.csv, environment.json and .hlog files (from points/ or,"
                + " in an archived run, points.zip). Damaged input is one line and exit 1: a row or cell that"
                + " does not read names the file, the row and the column.")
public final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A run folder written by ./bench compare, e.g. results/latest.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) throw new UserException(dir + " is not a folder");
        Report.Result r = new Report(dir).write();
        System.out.println("report: " + r.markdown() + " (" + r.charts() + " charts in " + dir.resolve("charts") + ")");
        return 0;
    }
}
