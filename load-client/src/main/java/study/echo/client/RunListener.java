package study.echo.client;

/** Follows a run as it goes: the progress line, the timeline and the interval log. */
interface RunListener {
    /** About once a second while connections open. */
    default void connecting(int opened, int failed, int total) {}

    /** Once a second, and once at the end of warm-up and of the run. */
    default void interval(Interval interval) {}
}
