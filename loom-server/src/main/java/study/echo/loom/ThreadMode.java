package study.echo.loom;

import java.util.concurrent.ThreadFactory;

/** Which kind of thread runs each connection. The modes differ in the thread factory and nothing else. */
public enum ThreadMode {
    /** One virtual thread per connection: the mode under study. */
    VIRTUAL {
        @Override
        ThreadFactory factory() {
            return Thread.ofVirtual().name("conn-", 0).factory();
        }
    },
    /** One platform (OS) thread per connection: the classic baseline. */
    PLATFORM {
        @Override
        ThreadFactory factory() {
            return Thread.ofPlatform().name("conn-", 0).daemon(true).factory();
        }
    };

    abstract ThreadFactory factory();
}
