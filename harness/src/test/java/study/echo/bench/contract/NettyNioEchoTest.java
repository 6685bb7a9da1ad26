package study.echo.bench.contract;

import java.util.List;

class NettyNioEchoTest extends EchoContract {
    @Override
    List<String> serverArgs() {
        return List.of("netty", "--transport", "nio");
    }
}
