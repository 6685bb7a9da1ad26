package study.echo.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;
import org.junit.jupiter.api.Test;

/** The one line every variant prints when it cannot bind, whichever transport raised the failure. */
class CannotListenTest {
    private static final ServerConfig CONFIG = new ServerConfig("127.0.0.1", 7007, 8192, 1024);

    @Test
    void aBusyPortIsNamedTheSameForTheJdkAndForANativeTransport() {
        String expected = "cannot listen on 127.0.0.1:7007: port 7007 is already in use";
        assertEquals(expected, EchoServer.cannotListen(CONFIG, new BindException("Address already in use")).getMessage());
        assertEquals(expected, EchoServer.cannotListen(CONFIG,
                new IOException("bind(..) failed with error(-98): Address already in use")).getMessage());
    }

    @Test
    void anUnknownHostSaysSoRatherThanNull() {
        ServerConfig unknown = new ServerConfig("no.such.host.invalid", 0, 8192, 1024);
        assertEquals("cannot listen on no.such.host.invalid:0: unknown host no.such.host.invalid",
                EchoServer.cannotListen(unknown, new UnresolvedAddressException()).getMessage());
    }

    @Test
    void anyOtherFailureKeepsItsOwnMessage() {
        assertEquals("cannot listen on 127.0.0.1:7007: Cannot assign requested address",
                EchoServer.cannotListen(CONFIG, new BindException("Cannot assign requested address")).getMessage());
    }
}
