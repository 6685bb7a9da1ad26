package study.echo.bench.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How child processes are started: which java, which jar, which JVM options, which CPUs.
 *
 * @param serverCpus taskset CPU list for servers, or null when the run does not pin
 * @param clientCpus taskset CPU list for the client, or null when the run does not pin
 * @param nativeBinary the compiled native ceiling server, or null when it is skipped
 * @param clientCommand replaces {@code java ... Bench client} (a test and tooling hook), or empty
 */
public record Launch(Path java, String classpath, List<String> serverJvmOptions, List<String> clientJvmOptions,
              String serverCpus, String clientCpus, Path nativeBinary, List<String> clientCommand) {

    static final String MAIN_CLASS = "study.echo.bench.Bench";

    /**
     * Identical for every Java server. A fixed heap keeps GC sizing from differing between variants;
     * no pre-touch, so that RSS shows what the server really touches.
     */
    static final List<String> DEFAULT_SERVER_JVM_OPTIONS = List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC");
    static final List<String> DEFAULT_CLIENT_JVM_OPTIONS = List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC");

    /**
     * Servers started by this very JVM's java and class path, with the comparison's server JVM options
     * and no pinning: how the JMH benchmarks start theirs, so both start servers identically.
     *
     * @param nativeBinary the compiled native server, or null when the native variant is not wanted
     */
    public static Launch thisJvm(Path nativeBinary) {
        return new Launch(Path.of(System.getProperty("java.home"), "bin", "java"), System.getProperty("java.class.path"),
                DEFAULT_SERVER_JVM_OPTIONS, DEFAULT_CLIENT_JVM_OPTIONS, null, null, nativeBinary, List.of());
    }

    List<String> serverPinning() {
        return serverCpus == null ? List.of() : List.of("taskset", "-c", serverCpus);
    }

    public List<String> clientCommand(List<String> clientArgs) {
        List<String> cmd = new ArrayList<>();
        if (clientCpus != null) cmd.addAll(List.of("taskset", "-c", clientCpus));
        if (clientCommand.isEmpty()) {
            cmd.add(java.toString());
            cmd.addAll(clientJvmOptions);
            cmd.add("-cp");
            cmd.add(classpath);
            cmd.add(MAIN_CLASS);
            cmd.add("client");
        } else {
            cmd.addAll(clientCommand);
        }
        cmd.addAll(clientArgs);
        return cmd;
    }

    /** The jcmd next to the java that runs the servers, for heap-after-GC. */
    Path jcmd() {
        return java.resolveSibling("jcmd");
    }
}
