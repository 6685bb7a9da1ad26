package study.echo.bench.compare.results;

/**
 * What the rest of the machine took over a point's measured window: the evidence that a point was, or
 * was not, measured on a quiet machine. Both figures are percent of one core; null when not measured.
 *
 * @param otherCpuPercent CPU busy in processes other than the server, the client and the harness
 *     itself (a build, a test run, another benchmark), from /proc/stat less their own; 0 to 100 per core
 * @param stealCpuPercent CPU the hypervisor gave to someone else while this VM wanted it (steal time)
 */
public record MachineNoise(Double otherCpuPercent, Double stealCpuPercent) {

    public static final MachineNoise NONE = new MachineNoise(null, null);

    /** Above this share of one core, taken by others or stolen, a point is flagged disturbed. */
    public static final double DISTURBED_PERCENT = 10.0;

    /**
     * The one rule: a point is disturbed when other processes or the hypervisor took more than
     * {@link #DISTURBED_PERCENT}% of a core during its window; null when neither was measured.
     */
    public Boolean disturbed() {
        if (otherCpuPercent == null && stealCpuPercent == null) return null;
        return (otherCpuPercent != null && otherCpuPercent > DISTURBED_PERCENT)
                || (stealCpuPercent != null && stealCpuPercent > DISTURBED_PERCENT);
    }
}
