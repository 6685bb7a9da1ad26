package study.echo.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.ByteBuffer;
import study.echo.common.work.RequestWork;

/**
 * Cuts a connection's byte stream into requests ({@code --request-size}), handles each complete one
 * in order, on the event loop as any Netty handler's work runs, and passes the requests' bytes on,
 * unchanged, to the {@link EchoHandler} after it. A request split over reads waits in a buffer of its
 * own, at most one request less a byte; the bytes of whole requests in a read are passed on as one
 * slice of that read, so nothing is copied unless a request straddles two reads.
 *
 * <p>Like a {@code ByteToMessageDecoder}, but one slice per read instead of one message per request,
 * and without a growing cumulation buffer. One instance per connection.
 */
final class RequestFramer extends ChannelInboundHandlerAdapter {
    private final RequestWork work;
    private final RequestWork.Connection requests;
    /** The start of a request the last read left incomplete, or null. */
    private ByteBuf partial;

    RequestFramer(RequestWork work) {
        this.work = work;
        this.requests = work.newConnection();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (partial != null && !completePartial(ctx, in)) {
                return;
            }
            int complete = work.completeBytes(in.readableBytes());
            if (complete > 0) {
                ByteBuf whole = in.readRetainedSlice(complete);
                if (!handle(ctx, whole)) {
                    return;
                }
                ctx.fireChannelRead(whole);
            }
            if (in.isReadable()) {
                partial = ctx.alloc().buffer(work.requestSizeBytes());
                partial.writeBytes(in);
            }
        } catch (InterruptedException e) {
            // Shutdown interrupts a loop asleep in a wait (NettyEchoServer.shutdown): this connection ends.
            ctx.close();
        } finally {
            in.release();
        }
    }

    /**
     * Tops the incomplete request up from {@code in}; once whole, handles it and passes it on.
     *
     * @return false when the connection was closed instead ({@link #handle})
     */
    private boolean completePartial(ChannelHandlerContext ctx, ByteBuf in) throws InterruptedException {
        partial.writeBytes(in, Math.min(in.readableBytes(), work.requestSizeBytes() - partial.readableBytes()));
        if (partial.readableBytes() < work.requestSizeBytes()) {
            return true;
        }
        ByteBuf whole = partial;
        partial = null;
        if (!handle(ctx, whole)) {
            return false;
        }
        ctx.fireChannelRead(whole);
        return true;
    }

    /**
     * Handles every request in {@code whole}, in order; false, with {@code whole} released and the
     * connection closed, when the server began shutting down meanwhile: a wait on the event loop must
     * not keep the loop from closing its connections for more than one request's wait.
     */
    private boolean handle(ChannelHandlerContext ctx, ByteBuf whole) throws InterruptedException {
        ByteBuffer bytes = whole.nioBuffer(whole.readerIndex(), whole.readableBytes());
        int size = work.requestSizeBytes();
        try {
            for (int offset = 0; offset < bytes.remaining(); offset += size) {
                if (ctx.executor().isShuttingDown()) {
                    whole.release();
                    ctx.close();
                    return false;
                }
                requests.handleAll(bytes, bytes.position() + offset, size);
            }
        } catch (InterruptedException | RuntimeException | Error e) {
            whole.release();
            throw e;
        }
        return true;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (partial != null) {
            partial.release();
            partial = null;
        }
        requests.close();
    }
}
