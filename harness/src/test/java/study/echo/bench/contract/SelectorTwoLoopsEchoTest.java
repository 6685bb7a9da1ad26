package study.echo.bench.contract;

import java.util.List;

class SelectorTwoLoopsEchoTest extends EchoContract {
    @Override
    List<String> serverArgs() {
        return List.of("selector", "--loops", "2");
    }
}
