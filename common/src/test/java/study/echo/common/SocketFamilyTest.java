package study.echo.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import org.junit.jupiter.api.Test;

class SocketFamilyTest {
    @Test
    void ipv4AddressesGetIpv4Sockets() {
        assertEquals(StandardProtocolFamily.INET, SocketFamily.of(new InetSocketAddress("127.0.0.1", 7)));
        assertEquals(StandardProtocolFamily.INET, SocketFamily.of(new InetSocketAddress("0.0.0.0", 7)));
    }

    @Test
    void ipv6AddressesGetIpv6Sockets() {
        assertEquals(StandardProtocolFamily.INET6, SocketFamily.of(new InetSocketAddress("::1", 7)));
        assertEquals(StandardProtocolFamily.INET6, SocketFamily.of(new InetSocketAddress("::", 7)));
    }

    @Test
    void anUnresolvedAddressLeavesTheChoiceToTheJdk() {
        assertNull(SocketFamily.of(InetSocketAddress.createUnresolved("no-such-host.invalid", 7)));
    }
}
