package study.echo.bench.compare.results;

import study.echo.bench.compare.plan.PointId;
import study.echo.client.ClientResult;
import study.echo.launch.Variant;

/**
 * One row of the study: the point, what the client measured, what the server used and the
 * verdicts. {@link Summary} derives the {@code summary.csv} columns from it, and reads them back.
 *
 * @param times planned warm-up and duration; null for an idle point
 * @param reason why the point failed, or notes on a point that did not; one line, never null
 * @param client what the client measured; null for a failed or idle point
 * @param noise what the rest of the machine took over the window; {@link MachineNoise#NONE} when not measured
 * @param idle memory figures of an idle point; null otherwise
 * @param hgrmFile the percentile distribution, relative to the run folder; null when none
 * @param hlogFile the interval histograms (nanoseconds), relative to the run folder; null when none
 * @param variantOptions the variant's own JVM and server options ({@link Variant#optionsText()}); "" when unknown
 * @param syscalls system calls and context switches per message, with the counter used; null for a failed or
 *                 idle point, or a row from before they were counted
 * @param jdk the JDK that ran the server, {@code 25 (25.0.3+9-LTS)}; "" for the native server or when unknown
 */
public record PointResult(PointId id, PointTimes times, Status status, String reason, ClientResult client,
                          ServerResources server, MachineNoise noise, IdleMemory idle, Verdicts verdicts, String hgrmFile,
                          String hlogFile, String variantOptions, SyscallCounts syscalls, String jdk) {

    public enum Status {
        OK, FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public PointResult {
        reason = oneLine(reason == null ? "" : reason);
        if (server == null) server = ServerResources.NONE;
        if (noise == null) noise = MachineNoise.NONE;
        if (verdicts == null) verdicts = Verdicts.NONE;
        if (variantOptions == null) variantOptions = "";
        if (jdk == null) jdk = "";
    }

    /** A row whose variant options are not known yet: the runner that knows the variant adds them. */
    public PointResult(PointId id, PointTimes times, Status status, String reason, ClientResult client,
                       ServerResources server, MachineNoise noise, IdleMemory idle, Verdicts verdicts, String hgrmFile,
                       String hlogFile) {
        this(id, times, status, reason, client, server, noise, idle, verdicts, hgrmFile, hlogFile, "");
    }

    /** A row whose system calls were not counted and whose JDK is not known yet (the runner adds it). */
    public PointResult(PointId id, PointTimes times, Status status, String reason, ClientResult client,
                       ServerResources server, MachineNoise noise, IdleMemory idle, Verdicts verdicts, String hgrmFile,
                       String hlogFile, String variantOptions) {
        this(id, times, status, reason, client, server, noise, idle, verdicts, hgrmFile, hlogFile, variantOptions, null, "");
    }

    public PointResult withVariantOptions(String options) {
        return new PointResult(id, times, status, reason, client, server, noise, idle, verdicts, hgrmFile, hlogFile, options,
                syscalls, jdk);
    }

    public PointResult withSyscalls(SyscallCounts counts) {
        return new PointResult(id, times, status, reason, client, server, noise, idle, verdicts, hgrmFile, hlogFile,
                variantOptions, counts, jdk);
    }

    public PointResult withJdk(String jdkText) {
        return new PointResult(id, times, status, reason, client, server, noise, idle, verdicts, hgrmFile, hlogFile,
                variantOptions, syscalls, jdkText);
    }

    public static PointResult failed(PointId id, PointTimes times, String reason) {
        return new PointResult(id, times, Status.FAILED, reason, null, null, null, null, null, null, null);
    }

    public boolean ok() {
        return status == Status.OK;
    }

    /**
     * A reason is a cell of a one-line-per-row table (summary.csv, the report): exception texts with
     * line breaks are joined, so that no reader has to cope with a record that spans lines.
     */
    static String oneLine(String text) {
        return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " / ");
    }
}
