package study.echo.common;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;

/**
 * The protocol family to open a socket with, taken from the address it binds or connects to.
 *
 * <p>Why not the default: {@code SocketChannel.open()} and {@code ServerSocketChannel.open()} make
 * IPv6 sockets whenever the machine has IPv6, and an IPv4 peer is then served through IPv4-mapped
 * addresses on the kernel's IPv6 socket layer ({@code inet6_recvmsg}, {@code inet6_sendmsg} on
 * every call, as {@code perf} shows). The C programs this study measures against open
 * {@code AF_INET} sockets; opening IPv4 sockets for IPv4 addresses keeps the Java programs on the
 * same kernel path, so that a difference measured is the threading model's and not the family's.
 */
public final class SocketFamily {
    private SocketFamily() {}

    /** INET6 for an IPv6 address, INET for an IPv4 one; null when the address is unresolved (use the default). */
    public static ProtocolFamily of(InetSocketAddress address) {
        if (address.getAddress() == null) {
            return null;
        }
        return address.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }
}
