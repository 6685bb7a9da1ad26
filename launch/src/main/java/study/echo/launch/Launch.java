package study.echo.launch;

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

    /** The load client's main class, in the load-client module (on the class path of whoever runs a client). */
    public static final String CLIENT_MAIN_CLASS = "study.echo.client.ClientCommand";

    /**
     * Identical for every Java server. A fixed heap keeps GC sizing from differing between variants;
     * no pre-touch, so that RSS shows what the server really touches.
     */
    /** Accepted from JDK 17 on, so harmless on every JDK the launcher takes. */
    static final String ENABLE_NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    public static final List<String> DEFAULT_SERVER_JVM_OPTIONS = List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC");
    public static final List<String> DEFAULT_CLIENT_JVM_OPTIONS = List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC");

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

    /** {@code java OPTIONS -cp CLASSPATH MAIN}: a JVM of this launch's java and class path. */
    List<String> javaCommand(List<String> jvmOptions, String mainClass) {
        return javaCommand(java, jvmOptions, mainClass);
    }

    /** As {@link #javaCommand(List, String)} with another java (a server on another JDK, the same class path). */
    List<String> javaCommand(Path otherJava, List<String> jvmOptions, String mainClass) {
        List<String> cmd = new ArrayList<>();
        cmd.add(otherJava.toString());
        // Netty's epoll transport loads a JNI library, which JDK 24+ warns about on stderr unless
        // native access is enabled (JEP 472). Every Java process gets it, so that no variant runs with
        // options the others lack, and a user's own JVM options cannot drop it.
        cmd.add(ENABLE_NATIVE_ACCESS);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        return cmd;
    }

    /** The command that runs the load client with {@code clientArgs}, pinned with taskset when the run pins. */
    public List<String> clientCommand(List<String> clientArgs) {
        List<String> cmd = new ArrayList<>();
        if (clientCpus != null) cmd.addAll(List.of("taskset", "-c", clientCpus));
        if (clientCommand.isEmpty()) {
            cmd.addAll(javaCommand(clientJvmOptions, CLIENT_MAIN_CLASS));
        } else {
            cmd.addAll(clientCommand);
        }
        cmd.addAll(clientArgs);
        return cmd;
    }

    /** The jcmd next to the java that runs the servers, for heap-after-GC. */
    public Path jcmd() {
        return java.resolveSibling("jcmd");
    }
}
