package study.echo.bench.compare.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import study.echo.bench.compare.plan.PointId;
import study.echo.bench.compare.results.PointResult;
import study.echo.client.ArrivalPattern;
import study.echo.common.work.WorkSpec;

/**
 * One open-loop sweep: the points of one load shape at every offered rate, for one work and one arrival
 * pattern. The report's tables and the charts group the open loop by this one rule, so that an even and
 * a Poisson sweep never share a median.
 */
record Sweep(int connections, int sizeBytes, WorkSpec work, ArrivalPattern arrivals, List<PointResult> points) {

    /** The sweeps of {@code open}, in the order their first points appear. */
    static List<Sweep> of(List<PointResult> open) {
        Map<List<Object>, List<PointResult>> groups = new LinkedHashMap<>();
        for (PointResult r : open) {
            PointId id = r.id();
            groups.computeIfAbsent(List.of(id.connections(), id.sizeBytes(), id.work(), id.arrivals()),
                    k -> new ArrayList<>()).add(r);
        }
        List<Sweep> sweeps = new ArrayList<>();
        for (List<PointResult> g : groups.values()) {
            PointId id = g.get(0).id();
            sweeps.add(new Sweep(id.connections(), id.sizeBytes(), id.work(), id.arrivals(), List.copyOf(g)));
        }
        return sweeps;
    }

    boolean even() {
        return arrivals.equals(ArrivalPattern.EVEN);
    }

    /** For titles, e.g. {@code 100 connections, 64 B, poisson arrivals}; even arrivals go unsaid, as before --arrivals. */
    String label() {
        return Report.thousands(connections) + " connections, " + sizeBytes + " B"
                + (work.isNone() ? "" : ", work " + work) + (even() ? "" : ", " + arrivals.label() + " arrivals");
    }

    /** For file names, e.g. {@code c100_64B_poisson}. */
    String fileLabel() {
        return "c" + connections + "_" + sizeBytes + "B" + (work.isNone() ? "" : "_" + PointId.fileLabel(work))
                + (even() ? "" : "_" + arrivals.label().replace(":", ""));
    }
}
