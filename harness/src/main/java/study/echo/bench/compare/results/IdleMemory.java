package study.echo.bench.compare.results;

/**
 * Memory of an idle point: the server's RSS and, for a Java server, its heap after a full GC, each
 * before and after the connections were opened. Heap figures are null for the C server.
 */
public record IdleMemory(long rssBaseKib, long rssLoadedKib, Long heapBaseKib, Long heapLoadedKib,
                         double rssDeltaPerConnBytes, Double heapDeltaPerConnBytes) {

    /** The per-connection differences computed from the four readings; {@code heapBaseKib} null when there is no heap. */
    public static IdleMemory of(int connections, long rssBaseKib, long rssLoadedKib, Long heapBaseKib, Long heapLoadedKib) {
        Double heapDelta = heapBaseKib == null || heapLoadedKib == null ? null
                : 1024.0 * (heapLoadedKib - heapBaseKib) / connections;
        return new IdleMemory(rssBaseKib, rssLoadedKib, heapBaseKib, heapLoadedKib,
                1024.0 * (rssLoadedKib - rssBaseKib) / connections, heapDelta);
    }
}
