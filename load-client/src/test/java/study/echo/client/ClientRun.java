package study.echo.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import study.echo.common.Cli;
import study.echo.common.Csv;

/** Runs {@code bench client} in-process, the way the launcher does, and keeps its exit code and output. */
record ClientRun(int exitCode, String out, String err) {

    static ClientRun of(String... args) {
        CommandLine cl = Cli.commandLine(new ClientCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new ClientRun(code, out.toString(), err.toString());
    }

    /** The last row of a summary CSV, by column name. */
    static Map<String, String> lastCsvRow(Path csv) throws IOException {
        List<Map<String, String>> rows = Csv.readTable(csv);
        return rows.get(rows.size() - 1);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
