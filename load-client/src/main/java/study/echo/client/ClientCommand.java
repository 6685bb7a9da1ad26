package study.echo.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import study.echo.common.BadOptionException;
import study.echo.common.Cli;
import study.echo.common.UserException;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** {@code bench client}: reads the options into a {@link ClientConfig}, runs a {@link LoadRun}, writes the outputs. */
@Command(name = "client", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Load an echo server and measure it. Every echoed byte is verified.",
            "Closed loop (default, --pipeline K): each connection keeps K messages in flight.",
            "Open loop (--rate R): R messages per second in total on a fixed schedule; latency counts from each"
                    + " message's intended send time, so a server stall shows in full (coordinated omission"
                    + " corrected); the service time, from the actual send, is kept beside it."},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  the run completed and every echo was correct",
            "  1  user error: unreachable target, too few file descriptors,",
            "     or some connections failed to open",
            "  2  bad options",
            "  3  integrity failure: an echo mismatched, came back short,",
            "     or the server closed a connection early (at once, with",
            "     nothing measured, when every connection was lost before",
            "     the measured window)",
            "  4  the server stopped answering: a message was still unanswered",
            "     at the window's end after more than 1 s (or a tenth of",
            "     the window, if longer)",
            "  5  an idle connection of --hold-idle was lost: it did not echo its",
            "     byte when opened, or was closed, reset or silent at the end",
            "  130  stopped by Ctrl-C or SIGTERM; what was measured is still",
            "     reported (nothing, when stopped before the measured window)"})
public final class ClientCommand implements Callable<Integer> {
    public static final int EXIT_INTEGRITY = 3;
    public static final int EXIT_SERVER_SILENT = 4;
    public static final int EXIT_IDLE_LOST = 5;
    public static final int EXIT_INTERRUPTED = 130;

    @Spec
    CommandSpec spec;

    @Option(names = "--target", defaultValue = "127.0.0.1:7007", paramLabel = "HOST:PORT",
            description = "Echo server to load; loopback only for load tests (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--connections", defaultValue = "10", paramLabel = "N",
            description = "Connections, 1-" + ClientConfig.MAX_CONNECTIONS + " (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--size", defaultValue = "64", paramLabel = "BYTES",
            description = "Bytes per message, " + MessageFormat.HEADER_BYTES + " (the header) to "
                    + ClientConfig.MAX_SIZE_BYTES + " (default: ${DEFAULT-VALUE}).")
    int sizeBytes;

    @Option(names = "--duration", defaultValue = "30s", paramLabel = "TIME",
            description = "Measured time, e.g. 500ms, 30s, 2m; at least 100ms (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", paramLabel = "TIME",
            description = "Load before measuring, not counted; 0s for none (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    /** Closed or open loop: picocli refuses a mix of the two with one line and exit 2. */
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    LoopOptions loop;

    static final class LoopOptions {
        @ArgGroup(exclusive = false, multiplicity = "1")
        OpenLoopOptions open;

        @Option(names = "--pipeline", required = true, paramLabel = "K",
                description = "Closed loop: messages in flight per connection, at least 1 (default: 1).")
        Integer pipeline;
    }

    static final class OpenLoopOptions {
        @Option(names = "--rate", required = true, paramLabel = "MSGS_PER_S",
                description = "Open loop: messages per second over all connections, at least 1"
                        + " (default: none, closed loop).")
        long rate;

        @Option(names = "--max-in-flight", paramLabel = "K",
                description = "Open loop: outstanding messages per connection; a message due while K are out"
                        + " waits and its latency still counts from its intended time; 0 = unbounded (default: 1, or N with"
                        + " --arrivals bursts:N, so that a burst leaves back to back).")
        Integer maxInFlight;

        @Option(names = "--arrivals", defaultValue = "even", paramLabel = "even|poisson|bursts:N",
                description = "Open loop: the pattern of send times at the same mean rate: evenly spaced;"
                        + " exponential gaps (many independent users; drawn in advance from --seed); or N"
                        + " messages back to back per connection at each of its ticks (default: ${DEFAULT-VALUE}).")
        String arrivals;

        @Option(names = "--seed", paramLabel = "N",
                description = "Open loop: seed of a random --arrivals pattern, printed and written to the CSV,"
                        + " so that a schedule can be drawn again (default: a new one each run).")
        Long seed;

        @Option(names = "--spin-before-send", defaultValue = "0us", paramLabel = "TIME",
                description = "Open loop: stop parking this long before each due send and spin instead"
                        + " (Thread.onSpinWait, polling the selector, so echoes are still read), 0us to "
                        + ClientConfig.MAX_SPIN_MICROS + "us; costs CPU, shown as the busiest I/O thread's share;"
                        + " sends never leave early (default: ${DEFAULT-VALUE}, never spin).")
        Duration spinBeforeSend;
    }

    @Option(names = "--connect-rate", defaultValue = "2500", paramLabel = "PER_S",
            description = "Connections opened per second; the ramp is not measured (default: ${DEFAULT-VALUE}).")
    int connectRate;

    @Option(names = "--hold-idle", defaultValue = "0", paramLabel = "N",
            description = "Idle connections to hold besides the active ones, 0-" + ClientConfig.MAX_CONNECTIONS
                    + " less --connections: opened first at --connect-rate, each echoing one byte (verified, 64 at a time), then"
                    + " held with no traffic on no thread, and checked with one more byte at the end (exit 5 when"
                    + " one was lost). The server must echo byte by byte (no --request-size) (default: ${DEFAULT-VALUE}).")
    int holdIdle;

    @Option(names = "--source-addresses", paramLabel = "RANGES",
            description = "Local IPv4 addresses to spread connections over, e.g. 127.0.0.1-127.0.0.8,127.0.1.1,"
                    + " to go beyond the ephemeral ports of one address (default: chosen by the kernel).")
    String sourceAddresses;

    @Option(names = "--client-threads", paramLabel = "T",
            description = "Event-loop I/O threads, 1-" + ClientConfig.MAX_THREADS
                    + "; never one per connection (default: half the cores, at least 1).")
    Integer clientThreads;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Append one summary row to FILE; the header is written once, when FILE is new.")
    Path csv;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Write the summary as one JSON object (the --csv row's figures, unrounded); replaces FILE.")
    Path json;

    @Option(names = "--hgrm", paramLabel = "FILE",
            description = "Write the latency percentile distribution (HdrHistogram .hgrm, microseconds).")
    Path hgrm;

    @Option(names = "--hlog", paramLabel = "FILE",
            description = "Write per-second latency histograms (HdrHistogram interval log, nanoseconds).")
    Path hlog;

    @Option(names = "--timeline", paramLabel = "FILE",
            description = "Write a CSV of per-second throughput, p50, p99, max and errors.")
    Path timeline;

    @Option(names = "--quiet", description = "No progress line on stderr.")
    boolean quiet;

    @Option(names = "--send-lag-detail",
            description = "Open loop: also print why sends over 100 us late were late (an overslept park, a late"
                    + " select, a busy pass), every park's oversleep, and the I/O threads' run-queue wait and the"
                    + " collector's pauses over the window.")
    boolean sendLagDetail;

    /** The main class the comparison runs ({@code study.echo.launch.Launch}); the same command as {@code ./bench client ...}. */
    public static void main(String[] args) {
        Cli.main(new ClientCommand(), args);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        ClientConfig config = toConfig();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SummaryCsv summaryCsv = csv == null ? null : new SummaryCsv(csv);
        if (json != null) checkWritableFolder(json, "--json");
        List<RunListener> listeners = new ArrayList<>();
        List<AutoCloseable> files = new ArrayList<>();
        try {
            // Opened before the run, as every output is, so that a bad path is refused before any load.
            HgrmWriter hgrmWriter = hgrm == null ? null : add(files, new HgrmWriter(hgrm));
            if (!quiet) {
                listeners.add(new ProgressPrinter(err, config.warmup()));
            }
            if (timeline != null) {
                listeners.add(add(files, new TimelineWriter(timeline)));
            }
            if (hlog != null) {
                listeners.add(add(files, new HlogWriter(hlog)));
            }
            RunResult result;
            try {
                result = runStoppableBySignals(new LoadRun(config, fanOut(listeners)));
            } catch (RunAborted e) {
                err.println(spec.qualifiedName() + ": " + e.getMessage());
                err.flush();
                return e.exitCode();
            }
            SummaryPrinter.print(result, out);
            if (sendLagDetail) {
                SummaryPrinter.printSendLagDetail(result, out);
            }
            if (summaryCsv != null) {
                summaryCsv.append(result);
            }
            if (json != null) {
                ClientResult.of(result).write(json);
            }
            if (hgrmWriter != null) {
                hgrmWriter.write(result);
            }
            return exitCode(result, err);
        } finally {
            for (AutoCloseable f : files) {
                try {
                    f.close();
                } catch (Exception e) {
                    err.println("client: could not close an output file: " + e.getMessage());
                }
            }
        }
    }

    /**
     * Ctrl-C or SIGTERM ends the run early but still reports what was measured: a long run that is
     * stopped leaves its evidence. sun.misc.Signal (jdk.unsupported, JEP 260) because a shutdown hook
     * cannot let the run finish its report. A second signal gets the default handling back.
     */
    private static RunResult runStoppableBySignals(LoadRun run) throws IOException, InterruptedException {
        Signal intSignal = new Signal("INT");
        Signal termSignal = new Signal("TERM");
        SignalHandler[] previous = new SignalHandler[2];
        previous[0] = Signal.handle(intSignal, s -> {
            Signal.handle(intSignal, previous[0]);
            run.requestStop();
        });
        previous[1] = Signal.handle(termSignal, s -> {
            Signal.handle(termSignal, previous[1]);
            run.requestStop();
        });
        try {
            return run.run();
        } finally {
            Signal.handle(intSignal, previous[0]);
            Signal.handle(termSignal, previous[1]);
        }
    }

    /** Found before the run, not after it: the folder a result file goes into must exist and take files. */
    private static void checkWritableFolder(Path file, String option) {
        Path folder = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder) || !Files.isWritable(folder)) {
            throw new UserException("cannot write " + option + " " + file + ": " + folder + " is not a writable folder");
        }
    }

    ClientConfig toConfig() {
        String[] hostPort = splitTarget(target);
        OpenLoopOptions open = loop == null ? null : loop.open;
        Integer pipeline = loop == null ? null : loop.pipeline;
        ClientConfig.Mode mode = open != null ? ClientConfig.Mode.OPEN : ClientConfig.Mode.CLOSED;
        ArrivalPattern arrivals = ArrivalPattern.parse(open == null ? "even" : open.arrivals);
        return new ClientConfig(hostPort[0], parsePort(hostPort[1]), connections, sizeBytes, duration, warmup, mode,
                open == null ? 0 : open.rate,
                open == null || open.maxInFlight == null ? arrivals.inFlightNeeded() : open.maxInFlight,
                pipeline == null ? 1 : pipeline, connectRate, SourceAddresses.parse(sourceAddresses),
                clientThreads == null ? ClientConfig.defaultThreads() : clientThreads,
                arrivals,
                open == null || open.seed == null ? java.util.concurrent.ThreadLocalRandom.current().nextLong()
                        : open.seed, holdIdle,
                open == null ? Duration.ZERO : open.spinBeforeSend);
    }

    /** {@code host:port} or {@code [v6-literal]:port}. */
    static String[] splitTarget(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new BadOptionException("--target must be HOST:PORT, e.g. 127.0.0.1:7007, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new String[] {host, text.substring(colon + 1)};
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadOptionException("--target port must be a number, got '" + text + "'");
        }
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> files, T file) {
        files.add(file);
        return file;
    }

    private static RunListener fanOut(List<RunListener> listeners) {
        return new RunListener() {
            @Override
            public void connecting(int opened, int failed, int total) {
                listeners.forEach(l -> l.connecting(opened, failed, total));
            }

            @Override
            public void interval(Interval interval) {
                listeners.forEach(l -> l.interval(interval));
            }
        };
    }

    private static int exitCode(RunResult result, PrintWriter err) {
        Counters n = result.counters();
        if (n.integrityErrors() > 0) {
            err.printf("client: integrity failure: %d mismatches, %d short echoes, %d early closes%n",
                    n.get(Counters.Kind.MISMATCHES), n.get(Counters.Kind.SHORT_ECHOES),
                    n.get(Counters.Kind.EARLY_CLOSES));
            err.flush();
            return EXIT_INTEGRITY;
        }
        if (result.idleLost() > 0) {
            err.printf("client: %d of %d idle connections (--hold-idle) were lost while held: closed, reset or"
                    + " silent at the end%n", result.idleLost(), result.idleHeld());
            err.flush();
            return EXIT_IDLE_LOST;
        }
        if (result.serverStoppedAnswering()) {
            err.printf("client: the server at %s stopped answering: %d messages unanswered at the window's end,"
                    + " the oldest for %s%n", result.config().target(), result.unanswered(),
                    Report.human(result.longestUnansweredNanos()));
            err.flush();
            return EXIT_SERVER_SILENT;
        }
        if (result.interrupted()) {
            return EXIT_INTERRUPTED;
        }
        if (n.connectFailures() > 0) {
            err.println("client: not every connection opened; the run used fewer than asked for");
            err.flush();
            return Cli.EXIT_USER_ERROR;
        }
        return 0;
    }
}
