package study.echo.bench.compare.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import study.echo.common.BadOptionException;
import study.echo.launch.Children;
import study.echo.launch.Commands;

/**
 * A JDK that runs the Java servers ({@code --jdk}): its home, its java, its feature release and full
 * version, and the label that variant names carry when more than one JDK runs ({@code loom-virtual@jdk25}).
 *
 * @param version the full version, e.g. {@code 25.0.3+9-LTS}
 */
public record Jdk(String label, Path home, Path java, int feature, String version) {
    public static final String SYNTAX = "[LABEL=]PATH";
    /** Virtual threads are final from JDK 21 (JEP 444): the oldest release the study compares. */
    public static final int MIN_FEATURE = 21;
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
    private static final Pattern LABELLED = Pattern.compile("(" + LABEL.pattern() + ")=(.+)");
    /** {@code 21}, {@code 21.0.2}, {@code 25-ea}, and {@code 1.8.0_402} for JDK 8. */
    private static final Pattern FEATURE = Pattern.compile("(?:1\\.)?(\\d+).*");
    private static final Pattern VERSION_LINE = Pattern.compile("version \"([^\"]+)\"");
    private static final Pattern BUILD = Pattern.compile("\\(build ([^)\\s]+)\\)");

    /** The summary's {@code jdk} cell: {@code 25 (25.0.3+9-LTS)}. */
    public String text() {
        return feature + " (" + version + ")";
    }

    /** The JDK this harness runs on: the one that runs every Java server without {@code --jdk}. */
    public static Jdk current() {
        Runtime.Version v = Runtime.version();
        Path home = Path.of(System.getProperty("java.home"));
        return new Jdk("jdk" + v.feature(), home, home.resolve("bin").resolve("java"), v.feature(), v.toString());
    }

    /**
     * The JDKs of {@code --jdk}, in the order given, each checked, with distinct labels: a user's
     * {@code LABEL=} as given, otherwise {@code jdk<release>}, then {@code -2}, {@code -3} for the next ones
     * of the same release, so that the same option gives the same names (which key the points for --resume).
     */
    public static List<Jdk> of(List<String> specs, Duration timeout) {
        List<String> labels = new ArrayList<>();
        List<Path> paths = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (String spec : specs) {
            String text = spec.trim();
            Matcher m = LABELLED.matcher(text);
            boolean labelled = m.matches() && !Files.exists(Path.of(text));
            String label = labelled ? m.group(1) : null;
            if (label != null && !taken.add(label)) throw bad("--jdk label '" + label + "' is given twice");
            labels.add(label);
            paths.add(Path.of(labelled ? m.group(2).trim() : text));
        }
        List<Jdk> jdks = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            Jdk probed = probe(paths.get(i), timeout);
            String label = labels.get(i);
            if (label == null) {
                String base = "jdk" + probed.feature();
                label = base;
                for (int n = 2; !taken.add(label); n++) label = base + "-" + n;
            }
            jdks.add(new Jdk(label, probed.home(), probed.java(), probed.feature(), probed.version()));
        }
        return List.copyOf(jdks);
    }

    /**
     * The JDK at {@code given}, a JDK home or its {@code bin/java}: the release from its {@code release} file
     * (no process), or from {@code java -version} within {@code timeout} where that file lacks it.
     */
    static Jdk probe(Path given, Duration timeout) {
        Path path = given.toAbsolutePath().normalize();
        if (!Files.exists(path)) throw bad("--jdk " + given + ": no such file or directory");
        boolean binary = Files.isRegularFile(path);
        Path home = binary && path.getParent() != null && path.getParent().getParent() != null
                ? path.getParent().getParent() : path;
        Path java = binary ? path : home.resolve("bin").resolve("java");
        Map<String, String> release = releaseFile(home.resolve("release"));
        String javaVersion = release.get("JAVA_VERSION");
        if (javaVersion != null) {
            int feature = feature(given, javaVersion, "JAVA_VERSION=\"" + javaVersion + "\" in its release file");
            requireJava(given, java);
            return new Jdk(null, home, java, feature, release.getOrDefault("JAVA_RUNTIME_VERSION", javaVersion));
        }
        requireJava(given, java);
        return fromJavaVersion(given, home, java, timeout);
    }

    private static void requireJava(Path given, Path java) {
        if (!Files.isRegularFile(java) || !Files.isExecutable(java)) {
            throw bad("--jdk " + given + ": no runnable java at " + java);
        }
    }

    private static int feature(Path given, String version, String where) {
        Matcher m = FEATURE.matcher(version.trim());
        if (!m.matches()) throw bad("--jdk " + given + ": cannot read a release from " + where);
        int feature = Integer.parseInt(m.group(1));
        if (feature < MIN_FEATURE) {
            throw bad("--jdk " + given + ": JDK " + feature + " (" + where + "); the study needs JDK "
                    + MIN_FEATURE + " or newer");
        }
        return feature;
    }

    /** A home without a release file (a hand-built or unusual JDK): ask its java. */
    private static Jdk fromJavaVersion(Path given, Path home, Path java, Duration timeout) {
        Commands.Result r;
        try {
            r = Commands.run(new Children(), new ProcessBuilder(java.toString(), "-version"), timeout);
        } catch (TimeoutException e) {
            throw bad("--jdk " + given + ": " + java + " -version did not answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw bad("--jdk " + given + ": cannot run " + java + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw bad("--jdk " + given + ": interrupted while running " + java + " -version");
        }
        Matcher v = VERSION_LINE.matcher(r.output());
        if (!r.ok() || !v.find()) {
            String first = r.output().strip().lines().findFirst().orElse("no output");
            throw bad("--jdk " + given + ": " + java + " -version exited " + r.exitCode() + ": " + first);
        }
        int feature = feature(given, v.group(1), java + " -version saying \"" + v.group(1) + "\"");
        Matcher build = BUILD.matcher(r.output());
        return new Jdk(null, home, java, feature, build.find() ? build.group(1) : v.group(1));
    }

    /** {@code KEY="value"} lines of a JDK's release file; empty when there is none or it cannot be read. */
    static Map<String, String> releaseFile(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) return out;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq <= 0) continue;
                String value = line.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                out.put(line.substring(0, eq).trim(), value);
            }
        } catch (IOException | RuntimeException e) {
            // An unreadable release file is as good as none: java -version answers instead.
            out.clear();
        }
        return out;
    }

    /** As environment.json records a JDK. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", label);
        m.put("path", home.toString());
        m.put("java", java.toString());
        m.put("release", feature);
        m.put("version", version);
        return m;
    }

    private static BadOptionException bad(String message) {
        return new BadOptionException(message, false);
    }
}
