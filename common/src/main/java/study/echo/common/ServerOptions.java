package study.echo.common;

import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import study.echo.common.work.Calibration;
import study.echo.common.work.RequestWork;
import study.echo.common.work.WorkSpec;

/**
 * The options every server variant takes, shared as a picocli {@code @Mixin}, with the exit codes they
 * share (picocli adds a mixin's exit-code list to the command's help).
 */
@Command(exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Stopped by SIGTERM or Ctrl-C, after closing its connections.",
            "1:Cannot listen: the port is in use or the address is not this machine's.",
            "2:Bad options.",
            "4:Failed while running: a part it cannot do without (an event loop, the accept thread)"
                    + " could not go on, so it stopped accepting and closed its connections. The last"
                    + " line on stderr says which part and why."
        })
public final class ServerOptions {
    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "7007", paramLabel = "PORT",
            description = "TCP port, 0-65535; 0 takes a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--buffer-size", defaultValue = "" + ServerConfig.DEFAULT_BUFFER_BYTES, paramLabel = "BYTES",
            description = "Bytes per read, 64 to 16777216. Also bounds what a server holds for one"
                    + " connection that does not read: one buffer, two for netty; see each server's Memory note (default: ${DEFAULT-VALUE}).")
    int bufferSizeBytes;

    @Option(names = "--backlog", defaultValue = "" + ServerConfig.DEFAULT_BACKLOG, paramLabel = "N",
            description = "Listen backlog, 1-65535 (default: ${DEFAULT-VALUE}).")
    int backlog;

    @Option(names = "--request-size", defaultValue = "0", paramLabel = "BYTES",
            description = "0: the stream is echoed as it comes (default). 1 to " + RequestWork.MAX_REQUEST_BYTES
                    + ": the stream is requests of this many bytes; each is handled (--work) once it is complete,"
                    + " then echoed unchanged. The comparison gives the client's message size.")
    int requestSizeBytes;

    @Option(names = "--work", defaultValue = "none", paramLabel = "SPEC",
            description = "Per request: none (default), cpu:DURATION (a hash over the request's bytes,"
                    + " calibrated at start-up to take about DURATION), wait:DURATION (a blocking wait,"
                    + " standing in for a database call) or cpu:D1+wait:D2. Durations in us, ms or s, at most"
                    + " 10s. Needs --request-size.")
    String work;

    @Option(names = "--cpu-iterations", paramLabel = "N",
            description = "Hash iterations per request for cpu: work, instead of calibrating at start-up, so"
                    + " that several servers do exactly the same work; the comparison passes one count to all.")
    Long cpuIterations;

    public ServerConfig toConfig() {
        return new ServerConfig(host, port, bufferSizeBytes, backlog);
    }

    /**
     * The request handler these options ask for. Calibrates the CPU work unless {@code --cpu-iterations}
     * gave the count, and says on {@code err} how many iterations a request costs.
     *
     * @throws BadOptionException for a bad spec or a spec without --request-size
     */
    public RequestWork toWork(PrintStream err) {
        WorkSpec spec = WorkSpec.parse(work);
        if (cpuIterations != null && !spec.hasCpu()) {
            throw new BadOptionException("--cpu-iterations is only taken with cpu: work, not --work " + spec);
        }
        long iterations = 0;
        if (spec.hasCpu()) {
            iterations = cpuIterations != null ? cpuIterations : Calibration.iterationsFor(spec.cpuTime());
        }
        RequestWork handler = new RequestWork(requestSizeBytes, spec, iterations);
        if (spec.hasCpu()) {
            err.println("work " + spec + " = " + iterations + " iterations"
                    + (cpuIterations != null ? " (given)" : " (calibrated)"));
        }
        return handler;
    }
}
