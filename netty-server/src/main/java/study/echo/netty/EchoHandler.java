package study.echo.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * The echo, as in Netty's own example: write what was read, flush once the read burst is over.
 * Added to the three things every variant of this study does: it stops reading while the peer does
 * not take its echo, it finishes a half-closed connection, and a reset ends that connection only.
 * Stateless, so one instance serves every connection.
 */
@Sharable
final class EchoHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(EchoHandler.class.getName());

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    /**
     * The output buffer crossed a water mark. Above the high mark stop reading, so a peer that does
     * not read holds at most the high mark plus one read; below the low mark read again.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    /** The peer half-closed (seen only with ALLOW_HALF_CLOSURE): send back what is pending, then close. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * A reset (or any other socket error) is ordinary traffic: close this connection, log at debug.
     * Anything else is a bug, but still one connection's: log it and close that connection only.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.log(Level.DEBUG, "connection {0} ended: {1}", ctx.channel().remoteAddress(), cause.getMessage());
        } else {
            LOG.log(Level.WARNING, "closing connection " + ctx.channel().remoteAddress() + " after an unexpected error", cause);
        }
        ctx.close();
    }
}
