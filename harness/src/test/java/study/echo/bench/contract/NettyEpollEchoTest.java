package study.echo.bench.contract;

import java.util.List;

class NettyEpollEchoTest extends EchoContract {
    @Override
    List<String> serverArgs() {
        return List.of("netty", "--transport", "epoll");
    }
}
