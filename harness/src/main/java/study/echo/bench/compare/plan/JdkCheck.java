package study.echo.bench.compare.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import study.echo.common.UnsupportedOptionException;
import study.echo.launch.JdkSupport;
import study.echo.launch.Variant;

/**
 * The static half of the JDK-support check, before any point runs: every chosen variant's JVM options
 * (the run's common ones and its own) against {@link JdkSupport}'s rules for the JDK that runs the
 * servers. A row a built-in profile brings that does not apply to this JDK (loom-direct-register on
 * JDK 22+) is skipped with a note; a variant the user named (in {@code --variants} or {@code --variant})
 * is a bad option, one line, exit 2.
 *
 * @param config the run without the skipped variants, a note for each
 * @param skipped the variants left out
 */
public record JdkCheck(CompareConfig config, List<Variant> skipped) {

    /**
     * @param jdk how the JDK is named in messages, e.g. {@code JDK 25 (/usr/lib/jvm/temurin-25)}
     * @param release its feature release
     * @param variantsNamed whether {@code --variants} chose the built-in variants (else the profile did)
     */
    public static JdkCheck of(CompareConfig config, List<String> commonJvmOptions, String jdk, int release,
                              boolean variantsNamed) {
        CompareConfig kept = config;
        List<Variant> skipped = new ArrayList<>();
        for (Variant v : config.variants()) {
            if (v.kind() != Variant.Kind.JAVA) continue;
            List<String> all = new ArrayList<>(commonJvmOptions);
            all.addAll(v.jvmOptions());
            // With --jdk each variant is judged by the JDK it runs on, not the harness's.
            Jdk its = v.serverJava() == null ? null : config.jdkOf(v);
            String jdkText = its == null ? jdk : "JDK " + its.feature() + " (" + its.home() + ")";
            Optional<String> why = JdkSupport.unsupported(all, its == null ? release : its.feature());
            if (why.isEmpty()) continue;
            if (variantsNamed || !builtIn(v)) {
                throw new UnsupportedOptionException("variant " + v.name() + " is not supported by " + jdkText + ": " + why.get());
            }
            kept = kept.without(v, "variant " + v.name() + " skipped, it does not apply to " + jdkText + ": " + why.get());
            skipped.add(v);
        }
        return new JdkCheck(kept, List.copyOf(skipped));
    }

    private static boolean builtIn(Variant v) {
        // A --jdk copy (loom-poller1@jdk21) is the built-in row it was made from.
        String base = Variant.baseName(v.name());
        return Variant.standard(1).stream().anyMatch(b -> b.name().equals(base));
    }
}
