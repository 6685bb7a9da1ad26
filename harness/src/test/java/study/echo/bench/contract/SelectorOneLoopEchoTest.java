package study.echo.bench.contract;

import java.util.List;

class SelectorOneLoopEchoTest extends EchoContract {
    @Override
    List<String> serverArgs() {
        return List.of("selector");
    }
}
