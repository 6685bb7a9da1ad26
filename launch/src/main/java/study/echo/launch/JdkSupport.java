package study.echo.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which JDK reads which virtual-thread tuning property, and which values it takes: the static half of
 * the check that a variant's JVM options do what its name says on the JDK that runs it (the live
 * half is the comparison's probe). A property the JDK does not read is refused as firmly as a value
 * it rejects: ignored, it would measure the default under a false name.
 *
 * <p>From the JDK sources, {@code src/java.base/share/classes/sun/nio/ch/Poller.java} unless named:
 * <ul>
 *   <li>JDK 21 (jdk21u's {@code Poller.java} and {@code linux/.../DefaultPollerProvider.java}, read in a copy of
 *       the tree, xknower/jdk21u-study, as openjdk/jdk21u was too large to fetch here): no {@code jdk.pollerMode} (platform poller threads only); reads
 *       {@code jdk.useDirectRegister} ({@code ""} or {@code Boolean.parseBoolean}, so a typo silently means
 *       false) to register with epoll on the parking thread instead of queueing to a "Read-Updater"
 *       thread; {@code jdk.readPollers}/{@code jdk.writePollers} default 1, a power of 2 or
 *       IllegalArgumentException.</li>
 *   <li>JDK 22 to 25 (openjdk/jdk at 1a44bce, a JDK 22 tree, and the {@code lib/src.zip} of Temurin 25.0.3): {@code jdk.pollerMode} is {@code 1} or
 *       {@code SYSTEM_THREADS}, {@code 2} or {@code VTHREAD_POLLERS}, anything else "Can't parse 'X' as
 *       polling mode", thrown from Poller's static initialiser at the first blocking read; the Linux
 *       default ({@code linux/.../DefaultPollerProvider.java}) is VTHREAD_POLLERS with
 *       min(highestOneBit(cores), 32) read pollers; {@code jdk.useDirectRegister} is no longer read (the
 *       updater thread is gone); poller counts must still be powers of 2 (0 passes the check there but
 *       leaves no poller, so it is refused too).</li>
 *   <li>{@code jdk.virtualThreadScheduler.parallelism} ({@code java/lang/VirtualThread.java},
 *       21 and 25): {@code Integer.parseInt}, then the ForkJoinPool constructor's range, 1 to 32767
 *       ({@code MAX_CAP}), or IllegalArgumentException at the first virtual thread.</li>
 * </ul>
 * Value rules are checked through {@link #CHECKED_THROUGH}; a later JDK may accept more (a poller mode
 * of its own), so there only the live probe judges values.
 */
public final class JdkSupport {
    /** The last feature release whose sources the value rules were read from. */
    public static final int CHECKED_THROUGH = 25;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern SYSTEM_PROPERTY = Pattern.compile("-D([^=]+)(?:=(.*))?");
    private static final Pattern SPEC_VERSION = Pattern.compile("java\\.specification\\.version = (\\d+)");

    private record Rule(String property, int fromRelease, int untilRelease, Predicate<String> valid, String accepted) {
        boolean readBy(int release) {
            return release >= fromRelease && release <= untilRelease;
        }

        String releases() {
            if (untilRelease == Integer.MAX_VALUE) return "JDK " + fromRelease + " and later";
            return fromRelease == untilRelease ? "JDK " + fromRelease + " only" : "JDK " + fromRelease + " to " + untilRelease;
        }
    }

    private static final List<Rule> RULES = List.of(
            new Rule("jdk.pollerMode", 22, Integer.MAX_VALUE,
                    v -> v.equals("1") || v.equals("2") || v.equalsIgnoreCase("SYSTEM_THREADS")
                            || v.equalsIgnoreCase("VTHREAD_POLLERS"),
                    "1 (SYSTEM_THREADS) or 2 (VTHREAD_POLLERS)"),
            new Rule("jdk.useDirectRegister", 21, 21,
                    v -> v.isEmpty() || v.equals("true") || v.equals("false"), "true or false"),
            new Rule("jdk.readPollers", 21, Integer.MAX_VALUE, JdkSupport::powerOfTwo, "a power of 2, 1 or more"),
            new Rule("jdk.writePollers", 21, Integer.MAX_VALUE, JdkSupport::powerOfTwo, "a power of 2, 1 or more"),
            new Rule("jdk.virtualThreadScheduler.parallelism", 21, Integer.MAX_VALUE,
                    v -> intIn(v, 1, 32767), "a whole number from 1 to 32767"));

    private JdkSupport() {}

    /**
     * Why {@code jvmOptions} would not do what they say on a JDK of feature release {@code release}
     * (the first such option: {@code -Djdk.pollerMode=3: jdk.pollerMode takes ...}), or empty.
     */
    public static Optional<String> unsupported(List<String> jvmOptions, int release) {
        for (String option : jvmOptions) {
            Matcher m = SYSTEM_PROPERTY.matcher(option);
            if (!m.matches()) continue;
            String value = m.group(2) == null ? "" : m.group(2);
            for (Rule r : RULES) {
                if (!r.property().equals(m.group(1))) continue;
                if (!r.readBy(release)) {
                    return Optional.of(option + ": " + r.property() + " is read by " + r.releases()
                            + "; JDK " + release + " ignores it, so the variant would measure the default under its name");
                }
                if (release <= CHECKED_THROUGH && !r.valid().test(value)) {
                    return Optional.of(option + ": " + r.property() + " takes " + r.accepted() + " on JDK " + release);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The feature release (21, 25, ...) of the JDK whose launcher is {@code java}: from the
     * {@code JAVA_VERSION} of its home's {@code release} file, else from
     * {@code java -XshowSettings:properties -version}; IllegalStateException when neither tells.
     */
    public static int featureRelease(Path java) {
        Path home = home(java);
        if (home != null) {
            try {
                for (String line : Files.readAllLines(home.resolve("release"))) {
                    if (line.startsWith("JAVA_VERSION=")) return feature(line.substring("JAVA_VERSION=".length()).replace("\"", ""));
                }
            } catch (IOException | RuntimeException e) {
                // No release file (an exploded build): ask the JVM itself.
            }
        }
        String settings = Commands.outputOf(Path.of("."), PROBE_TIMEOUT, java.toString(), "-XshowSettings:properties", "-version");
        Matcher m = settings == null ? null : SPEC_VERSION.matcher(settings);
        if (m != null && m.find()) return Integer.parseInt(m.group(1));
        throw new IllegalStateException("cannot tell the release of the JDK at " + java
                + ": no release file and no java.specification.version from -XshowSettings:properties");
    }

    /** The JDK's home folder ({@code bin/java}'s grandparent, links resolved), or null. */
    public static Path home(Path java) {
        try {
            Path real = java.toRealPath();
            return real.getParent() == null ? null : real.getParent().getParent();
        } catch (IOException e) {
            return null;
        }
    }

    /** "25.0.3" -> 25, "21" -> 21, "1.8.0_402" -> 8. */
    static int feature(String version) {
        String[] parts = version.trim().split("[._+-]");
        int first = Integer.parseInt(parts[0]);
        return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
    }

    private static boolean powerOfTwo(String v) {
        return intIn(v, 1, Integer.MAX_VALUE) && Integer.bitCount(Integer.parseInt(v)) == 1;
    }

    private static boolean intIn(String v, int min, int max) {
        try {
            int n = Integer.parseInt(v);
            return n >= min && n <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
