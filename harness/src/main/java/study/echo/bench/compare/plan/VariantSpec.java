package study.echo.bench.compare.plan;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import study.echo.common.BadOptionException;
import study.echo.launch.Variant;

/**
 * A user's variant from {@code --variant NAME=BASE[:JVM_OPTIONS][;SERVER_OPTIONS]}: a built-in variant
 * under a new name with more JVM options and more server options, each list split on spaces. The
 * first {@code :} after BASE starts the JVM options and the first {@code ;} the server options, so a
 * JVM option may hold a colon ({@code -XX:+UseParallelGC}) and a server option may too.
 */
public record VariantSpec(String name, String base, List<String> jvmOptions, List<String> serverOptions) {
    public static final String SYNTAX = "NAME=BASE[:JVM_OPTIONS][;SERVER_OPTIONS]";
    /** The name becomes part of every point's file names, so it keeps to characters safe in one. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public VariantSpec {
        if (!SAFE_NAME.matcher(name).matches()) {
            throw new BadOptionException("--variant name '" + name + "' must be 1-64 letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit");
        }
        jvmOptions = List.copyOf(jvmOptions);
        serverOptions = List.copyOf(serverOptions);
    }

    public static VariantSpec parse(String text) {
        int eq = text.indexOf('=');
        if (eq < 0) throw new BadOptionException("--variant wants " + SYNTAX + ", got '" + text + "'");
        String rest = text.substring(eq + 1);
        int semi = rest.indexOf(';');
        String head = semi < 0 ? rest : rest.substring(0, semi);
        List<String> server = semi < 0 ? List.of() : words(rest.substring(semi + 1));
        int colon = head.indexOf(':');
        String base = (colon < 0 ? head : head.substring(0, colon)).trim();
        List<String> jvm = colon < 0 ? List.of() : words(head.substring(colon + 1));
        return new VariantSpec(text.substring(0, eq).trim(), base, jvm, server);
    }

    /** The variant this spec makes of its base among {@code builtIns} (by name). */
    public Variant resolve(Map<String, Variant> builtIns) {
        Variant b = builtIns.get(base);
        if (b == null) {
            throw new BadOptionException("--variant " + name + ": unknown base '" + base + "'; choose from "
                    + String.join(", ", builtIns.keySet()));
        }
        if (b.kind() != Variant.Kind.JAVA && !jvmOptions.isEmpty()) {
            throw new BadOptionException("--variant " + name + ": " + base + " is not a Java server and takes no JVM options");
        }
        return b.derived(name, jvmOptions, serverOptions);
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }
}
