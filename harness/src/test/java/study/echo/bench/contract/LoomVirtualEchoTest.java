package study.echo.bench.contract;

import java.util.List;

class LoomVirtualEchoTest extends EchoContract {
    @Override
    List<String> serverArgs() {
        return List.of("loom", "--threads", "virtual");
    }
}
