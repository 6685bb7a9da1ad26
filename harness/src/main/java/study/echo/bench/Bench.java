package study.echo.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import study.echo.bench.compare.CompareCommand;
import study.echo.bench.compare.report.ReportCommand;
import study.echo.bench.compare.results.ArchiveCommand;
import study.echo.client.ClientCommand;
import study.echo.common.Cli;
import study.echo.loom.LoomServerCommand;
import study.echo.netty.NettyServerCommand;
import study.echo.selector.SelectorServerCommand;

/** The {@code ./bench} command line. The launcher script handles {@code build}, {@code test} and {@code jmh} itself. */
@Command(name = "bench", mixinStandardHelpOptions = true, version = "echo-study 0.1.0",
        description = "Virtual threads against a hand-written Selector loop: servers, load client and comparison.",
        subcommands = {Bench.Server.class, ClientCommand.class, CompareCommand.class, ReportCommand.class,
            ArchiveCommand.class},
        footerHeading = "%nCommands the launcher runs itself:%n",
        footer = {
            "  jdk       Print the JDK the launcher found and uses.",
            "  build     Build everything, without running tests.",
            "  test      Run the whole test suite.",
            "  jmh       Run the JMH benchmarks: ./bench jmh [REGEX] [JMH options]."
        })
public final class Bench implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw missingSubcommand(spec);
    }

    static ParameterException missingSubcommand(CommandSpec spec) {
        return new ParameterException(spec.commandLine(), "Missing a command");
    }

    @Command(name = "server", mixinStandardHelpOptions = true,
            description = "Run one echo server in the foreground until SIGTERM or Ctrl-C.",
            subcommands = {SelectorServerCommand.class, LoomServerCommand.class, NettyServerCommand.class})
    static final class Server implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw missingSubcommand(spec);
        }
    }

    public static void main(String[] args) {
        Cli.main(new Bench(), args);
    }
}
