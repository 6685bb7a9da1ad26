package study.echo.netty;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * On the listening channel: when accept fails (EMFILE, out of file descriptors), stop accepting for
 * a while, since the pending connection stays in the backlog and an immediate retry fails at once.
 *
 * <p>Netty's own {@code ServerBootstrapAcceptor} pauses the same way (netty/netty#1328), but then
 * passes the exception on to the pipeline's tail, which logs a warning with a stack trace on every
 * failure. This handler sits before the acceptor, so it pauses and leaves one line per run of
 * failures instead, as the study's other servers do.
 */
final class AcceptBackoff extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(AcceptBackoff.class.getName());

    /** As long as Netty's acceptor pauses: the backlog waits, nothing is lost. */
    static final long PAUSE_MILLIS = 1000;

    /** Only the listening channel's event loop touches this. */
    private boolean failing;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object acceptedChannel) {
        failing = false;
        ctx.fireChannelRead(acceptedChannel);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        // Pause before logging: should logging itself fail for want of a descriptor, no spin follows.
        ChannelConfig config = ctx.channel().config();
        if (config.isAutoRead()) {
            config.setAutoRead(false);
            ctx.channel().eventLoop().schedule(() -> config.setAutoRead(true), PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        }
        if (!failing) {
            failing = true;
            LOG.log(Level.WARNING, "accept failed, backing off and retrying: {0}", cause.getMessage());
        }
    }
}
