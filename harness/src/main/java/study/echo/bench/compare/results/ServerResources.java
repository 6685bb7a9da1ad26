package study.echo.bench.compare.results;

/**
 * What the server used over a point's measured window, read from /proc. A null component is a
 * figure that was not measured (the window was not sampled in full, or the point was idle).
 *
 * @param acceptS seconds the server took to accept every connection of the point
 */
public record ServerResources(Double cpuS, Double cpuPercent, Double cpuSPer1000Msgs,
                              Long voluntaryCtxSwitches, Long involuntaryCtxSwitches, Double ctxSwitchesPer1000Msgs,
                              Integer threadsMax, Long peakRssKib, Double acceptS) {

    public static final ServerResources NONE = new ServerResources(null, null, null, null, null, null, null, null, null);

    /** An idle point measures only threads and peak RSS beside its memory figures. */
    public static ServerResources idle(int threadsMax, long peakRssKib) {
        return new ServerResources(null, null, null, null, null, null, threadsMax, peakRssKib, null);
    }

    public ServerResources withAcceptS(double seconds) {
        return new ServerResources(cpuS, cpuPercent, cpuSPer1000Msgs, voluntaryCtxSwitches, involuntaryCtxSwitches,
                ctxSwitchesPer1000Msgs, threadsMax, peakRssKib, seconds);
    }

    public ServerResources withPeakRssKib(long kib) {
        return new ServerResources(cpuS, cpuPercent, cpuSPer1000Msgs, voluntaryCtxSwitches, involuntaryCtxSwitches,
                ctxSwitchesPer1000Msgs, threadsMax, kib, acceptS);
    }
}
