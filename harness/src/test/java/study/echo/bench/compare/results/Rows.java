package study.echo.bench.compare.results;

import study.echo.bench.compare.plan.Point;
import study.echo.bench.compare.plan.PointId;
import study.echo.client.ClientResult;

/** Rows for tests: the figures that matter to a test given, the rest plausible. */
public final class Rows {
    private Rows() {}

    public static ClientResult client(PointId id, long messages, double throughput, double p99Micros, long lateSends,
                                      double cpuPercent) {
        return new ClientResult(id.mode().label(), id.connections(), id.sizeBytes(), 1, id.rateMsgsPerSec(), 1,
                4.0, messages, throughput, p99Micros / 3, p99Micros / 2, p99Micros, p99Micros * 2, p99Micros * 3,
                p99Micros * 4, p99Micros, 0, lateSends, 12.5, 0, 0, 0, 0, 0, 1.5, cpuPercent, Double.NaN, false,
                0, null, null, null, null, null, null, 0, 0);
    }

    /** As {@link #client}, with the busiest I/O thread's CPU known, as the current client reports it. */
    public static ClientResult clientWithBusiestThread(PointId id, double processCpuPercent, double busiestThreadPercent) {
        ClientResult c = client(id, 10000, 10000, 100, 0, processCpuPercent);
        return new ClientResult(c.mode(), c.connections(), c.sizeBytes(), c.pipeline(), c.targetRateMsgsPerS(),
                c.maxInFlight(), c.durationS(), c.messages(), c.throughputMsgsPerS(), c.p50Micros(), c.p90Micros(),
                c.p99Micros(), c.p999Micros(), c.p9999Micros(), c.maxMicros(), c.serviceP99Micros(), c.cappedSends(),
                c.lateSends(), c.maxBehindMicros(), c.errors(), c.mismatches(), c.shortEchoes(), c.earlyCloses(),
                c.connectFailures(), c.clientCpuS(), c.clientCpuPercent(), busiestThreadPercent, false,
                0, null, null, null, null, null, null, 0, 0);
    }

    public static PointResult ok(PointId id, ClientResult c, Verdicts verdicts, String hlog) {
        ServerResources server = new ServerResources(1.58, 39.5, 0.0446605, 33178L, 3763L, 1044.18, 20, 68004L, 0.442026);
        return new PointResult(id, new PointTimes(2, 4), PointResult.Status.OK, "", c, server, null, null, verdicts,
                hlog == null ? null : hlog.replace(".hlog", ".hgrm"), hlog);
    }

    public static PointResult closed(String variant, int connections, int rep, double throughput, double p99Micros) {
        PointId id = new PointId(variant, Point.Mode.CLOSED, connections, 64, 0, rep);
        ClientResult c = client(id, (long) (throughput * 4), throughput, p99Micros, 0, 50);
        return ok(id, c, new Verdicts(false, null, null), "points/" + id.key() + ".hlog");
    }

    public static PointResult open(String variant, int rate, int rep, double throughput, double p99Micros, long slo) {
        PointId id = new PointId(variant, Point.Mode.OPEN, 100, 64, rate, rep);
        ClientResult c = client(id, (long) (throughput * 4), throughput, p99Micros, 0, 50);
        return ok(id, c, Verdicts.judge(id, c, 1, slo), "points/" + id.key() + ".hlog");
    }
}
