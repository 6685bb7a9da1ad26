package study.echo.netty;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import study.echo.common.UserException;

/** Netty's transports this study compares: the JDK's Selector, or Netty's own JNI epoll (edge-triggered). */
enum Transport {
    NIO {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        ServerChannel newServerChannel(SocketProtocolFamily family) {
            return new NioServerSocketChannel(SelectorProvider.provider(), family);
        }
    },
    EPOLL {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        ServerChannel newServerChannel(SocketProtocolFamily family) {
            return new EpollServerSocketChannel(family);
        }

        @Override
        void ensureAvailable() {
            if (!Epoll.isAvailable()) {
                throw new UserException("--transport epoll: Netty's native epoll library cannot be loaded here ("
                        + firstLine(Epoll.unavailabilityCause()) + "); use --transport nio");
            }
        }
    };

    abstract IoHandlerFactory ioHandlerFactory();

    /**
     * A listening channel of {@code family} (null: the transport's default). Both transports default
     * to an IPv6 socket, which would serve 127.0.0.1 as IPv4-mapped addresses on the kernel's IPv6
     * layer; see {@link study.echo.common.SocketFamily}.
     */
    abstract ServerChannel newServerChannel(SocketProtocolFamily family);

    /** @throws UserException when this transport cannot run on this machine */
    void ensureAvailable() {}

    /** The cause's own message on one line, e.g. "could not load a native library: netty_transport_native_epoll_x86_64". */
    private static String firstLine(Throwable cause) {
        String msg = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        return msg.lines().findFirst().orElse("").strip();
    }
}
