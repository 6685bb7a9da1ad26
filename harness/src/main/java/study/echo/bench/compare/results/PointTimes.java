package study.echo.bench.compare.results;

/** Planned warm-up and measured duration of a point, in seconds. */
public record PointTimes(double warmupSeconds, double durationSeconds) {}
