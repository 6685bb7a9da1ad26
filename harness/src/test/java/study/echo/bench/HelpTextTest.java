package study.echo.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import study.echo.client.JfrWindowCheck;
import study.echo.client.ParkLag;
import study.echo.common.Cli;

/**
 * Every command's {@code --help} renders cleanly: picocli formats option descriptions with
 * {@code String.format}, so a bare {@code %} ("about 10% of its throughput") is a format error, and
 * picocli then prints a warning to stderr each time the help is shown, with the text unformatted.
 */
class HelpTextTest {
    @Test
    void everyCommandsHelpFormatsWithoutAPicocliWarning() {
        List<CommandLine> commands = new ArrayList<>();
        for (Object top : new Object[] {new Bench(), new ParkLag(), new JfrWindowCheck()}) {
            collect(Cli.commandLine(top), commands);
        }
        assertTrue(commands.size() >= 10, "the whole tree: " + commands.size());
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> warned = new ArrayList<>();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            for (CommandLine cl : commands) {
                captured.reset();
                String usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
                String said = captured.toString(StandardCharsets.UTF_8);
                if (!said.isEmpty() || usage.contains("%n")) {
                    warned.add(cl.getCommandSpec().qualifiedName() + ": " + said.strip());
                }
            }
        } finally {
            System.setErr(err);
        }
        assertEquals(List.of(), warned);
    }

    private static void collect(CommandLine cl, List<CommandLine> into) {
        into.add(cl);
        cl.getSubcommands().values().forEach(sub -> collect(sub, into));
    }
}
