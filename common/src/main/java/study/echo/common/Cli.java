package study.echo.common;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Builds picocli command lines that all report errors the same way: bad options get one line and
 * the usage (exit 2), a {@link UserException} gets one line (exit 1), a {@link ServerFailedException}
 * one line (exit 4), and only a genuine bug prints a stack trace.
 */
public final class Cli {
    /** Exit code for a problem the user can fix at run time: busy port, unreachable target. */
    public static final int EXIT_USER_ERROR = 1;
    /** Exit code for options that do not parse or fail validation. */
    public static final int EXIT_USAGE = 2;
    /**
     * Exit code for a server that failed while running: a part it cannot do without (an event loop, the
     * accept thread) could not go on, so it stopped accepting and closed its connections. 3 is the load
     * client's integrity failure.
     */
    public static final int EXIT_SERVER_FAILED = 4;

    private Cli() {}

    public static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.registerConverter(java.time.Duration.class, Cli::parseDuration);
        cl.setParameterExceptionHandler(Cli::onBadParameters);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> onFailure(ex, commandLine));
        return cl;
    }

    /**
     * A program's {@code main}: one line per log record with an ISO timestamp (unless the user
     * configured logging), then {@link #execute} and exit with its code. Every command with a main of
     * its own starts this way, so that a server started as {@code ./bench server NAME} and one started
     * by its main class directly (the comparison, the benchmarks) log and exit alike.
     */
    public static void main(Object command, String... args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        System.exit(execute(command, args));
    }

    /** Parses {@code args}, runs the chosen command, and returns its exit code. */
    public static int execute(Object command, String... args) {
        return commandLine(command).execute(args);
    }

    private static java.time.Duration parseDuration(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    private static int onBadParameters(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(prefix(cl) + ex.getMessage());
        cl.usage(err);
        err.flush();
        return EXIT_USAGE;
    }

    private static int onFailure(Exception ex, CommandLine cl) {
        PrintWriter err = cl.getErr();
        if (ex instanceof ServerFailedException failed) {
            err.println(prefix(cl) + failed.getMessage());
            err.flush();
            return EXIT_SERVER_FAILED;
        }
        UserException user = findUserException(ex);
        if (user != null) {
            err.println(prefix(cl) + user.getMessage());
            if (user instanceof BadOptionException bad && bad.showUsage() && !(user instanceof UnsupportedOptionException)) {
                cl.usage(err);
            }
            err.flush();
            return user instanceof BadOptionException ? EXIT_USAGE : EXIT_USER_ERROR;
        }
        if (ex instanceof CommandLine.ParameterException pe) {
            return onBadParameters(pe, new String[0]);
        }
        err.println(prefix(cl) + "internal error (a bug, please report it): " + ex);
        ex.printStackTrace(err);
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    private static UserException findUserException(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof UserException u) {
                return u;
            }
        }
        return null;
    }

    private static String prefix(CommandLine cl) {
        return cl.getCommandSpec().qualifiedName() + ": ";
    }
}
