package study.echo.netty;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static study.echo.netty.EchoHandlerTest.ascii;
import static study.echo.netty.EchoHandlerTest.drainOutbound;

import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import study.echo.common.work.CpuHash;
import study.echo.common.work.RequestWork;
import study.echo.common.work.WorkSpec;

/** The framer before the echo, on Netty's EmbeddedChannel: requests split and joined across reads. */
class RequestFramerTest {
    private static final long ITERATIONS = 9;

    private final RequestWork work = new RequestWork(4, WorkSpec.parse("cpu:1us"), ITERATIONS);

    @Test
    void handlesAndEchoesWholeRequestsOnlyInOrderWhateverTheReads() {
        EmbeddedChannel channel = new EmbeddedChannel(new RequestFramer(work), new EchoHandler());
        channel.pipeline().fireChannelRead(ascii("ab"));
        channel.pipeline().fireChannelRead(ascii("c"));
        channel.pipeline().fireChannelReadComplete();
        assertNull(channel.readOutbound(), "an incomplete request is not echoed");

        channel.pipeline().fireChannelRead(ascii("defghijklm")); // completes abcd, holds efgh ijkl whole, m left
        channel.pipeline().fireChannelRead(ascii("nop"));
        channel.pipeline().fireChannelReadComplete();
        assertEquals("abcdefghijklmnop", drainOutbound(channel));

        channel.pipeline().fireChannelRead(ascii("qr"));
        channel.finishAndReleaseAll();
        long checksum = 0;
        for (String request : new String[] {"abcd", "efgh", "ijkl", "mnop"}) {
            checksum = checksum * 31 + CpuHash.hash(ByteBuffer.wrap(request.getBytes(US_ASCII)), 0, 4, ITERATIONS);
        }
        assertEquals("work cpu:1us: 4 requests handled, checksum 0x" + Long.toHexString(checksum), work.report(),
                "each whole request handled once, in order; the incomplete one at the close not at all");
    }
}
