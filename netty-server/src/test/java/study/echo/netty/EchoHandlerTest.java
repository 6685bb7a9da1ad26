package study.echo.netty;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** The handler alone, on Netty's EmbeddedChannel: what it does with reads, writability, half-close, errors. */
class EchoHandlerTest {

    @Test
    void echoesWhatItReadsOnceTheReadBurstIsOver() {
        EmbeddedChannel channel = new EmbeddedChannel(new EchoHandler());
        channel.pipeline().fireChannelRead(ascii("hel"));
        channel.pipeline().fireChannelRead(ascii("lo"));
        assertNull(channel.readOutbound(), "nothing is flushed in the middle of a read burst");
        channel.pipeline().fireChannelReadComplete();
        assertEquals("hello", drainOutbound(channel));
        assertTrue(channel.isOpen());
    }

    @Test
    void stopsReadingAboveTheHighWaterMarkAndReadsAgainOnceDrained() {
        EmbeddedChannel channel = new EmbeddedChannel(new EchoHandler());
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(512, 1024));
        assertTrue(channel.config().isAutoRead());

        channel.pipeline().fireChannelRead(Unpooled.wrappedBuffer(new byte[100]));
        assertTrue(channel.config().isAutoRead(), "100 bytes pending is below the high water mark");
        channel.pipeline().fireChannelRead(Unpooled.wrappedBuffer(new byte[1000]));
        assertFalse(channel.isWritable());
        assertFalse(channel.config().isAutoRead(), "no more reads while the peer is not taking its echo");

        channel.pipeline().fireChannelReadComplete();
        assertTrue(channel.isWritable());
        assertTrue(channel.config().isAutoRead(), "reads again once the output drained");
        assertEquals(1100, drainOutbound(channel).length());
    }

    @Test
    void aHalfCloseGetsEverythingPendingBackThenTheConnectionCloses() {
        EmbeddedChannel channel = new EmbeddedChannel(new EchoHandler());
        channel.pipeline().fireChannelRead(ascii("last words"));
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertEquals("last words", drainOutbound(channel), "the pending echo went out before the close");
        assertFalse(channel.isOpen(), "closed once everything was sent");
    }

    @Test
    void aResetClosesThatConnectionAndIsLoggedAtDebugOnly() throws Exception {
        try (LogRecords log = new LogRecords(EchoHandler.class)) {
            EmbeddedChannel reset = new EmbeddedChannel(new EchoHandler());
            EmbeddedChannel bystander = new EmbeddedChannel(new EchoHandler());
            reset.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
            assertFalse(reset.isOpen());
            reset.checkException(); // nothing reached the pipeline's tail, which would log a warning
            assertEquals(1, log.at(Level.FINE).size(), "one debug record: " + log.records);
            assertTrue(log.at(Level.WARNING).isEmpty(), "a reset is ordinary traffic");

            bystander.writeInbound(ascii("still here"));
            assertEquals("still here", drainOutbound(bystander));
        }
    }

    @Test
    void aBugInOneConnectionClosesItWithAWarningAndGoesNoFurther() throws Exception {
        try (LogRecords log = new LogRecords(EchoHandler.class)) {
            EmbeddedChannel channel = new EmbeddedChannel(new EchoHandler());
            channel.pipeline().fireExceptionCaught(new IllegalStateException("a bug"));
            assertFalse(channel.isOpen());
            channel.checkException();
            assertEquals(1, log.at(Level.WARNING).size(), "a bug is visible: " + log.records);
        }
    }

    @Test
    void otherEventsPassThrough() {
        EmbeddedChannel channel = new EmbeddedChannel(new EchoHandler());
        Object event = new Object();
        List<Object> seen = new ArrayList<>();
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                seen.add(evt);
            }
        });
        channel.pipeline().fireUserEventTriggered(event);
        assertEquals(List.of(event), seen);
        assertTrue(channel.isOpen());
    }

    /** Shared with the other handler tests of this package. */
    static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, US_ASCII);
    }

    /** Everything written and flushed so far, as text; the buffers released. */
    static String drainOutbound(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            out.append(buf.toString(US_ASCII));
            buf.release();
        }
        return out.toString();
    }
}
