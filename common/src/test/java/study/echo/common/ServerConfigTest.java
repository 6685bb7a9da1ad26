package study.echo.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerConfigTest {
    @Test
    void acceptsTheEdgesOfEveryRange() {
        new ServerConfig("127.0.0.1", 0, ServerConfig.MIN_BUFFER_BYTES, 1);
        new ServerConfig("::1", 65535, ServerConfig.MAX_BUFFER_BYTES, 65535);
    }

    @Test
    void rejectsValuesOutsideTheirRangeNamingTheOption() {
        assertMessage("--port", () -> new ServerConfig("127.0.0.1", -1, 8192, 1024));
        assertMessage("--port", () -> new ServerConfig("127.0.0.1", 65536, 8192, 1024));
        assertMessage("--buffer-size", () -> new ServerConfig("127.0.0.1", 0, 63, 1024));
        assertMessage("--buffer-size", () -> new ServerConfig("127.0.0.1", 0, ServerConfig.MAX_BUFFER_BYTES + 1, 1024));
        assertMessage("--backlog", () -> new ServerConfig("127.0.0.1", 0, 8192, 0));
        assertMessage("--host", () -> new ServerConfig(" ", 0, 8192, 1024));
    }

    @Test
    void theDefaultBacklogIsAtLeast1024() {
        assertTrue(ServerConfig.DEFAULT_BACKLOG >= 1024);
        assertEquals(ServerConfig.DEFAULT_BACKLOG, new ServerOptionsProbe().backlog());
    }

    private static void assertMessage(String option, Runnable r) {
        BadOptionException e = assertThrows(BadOptionException.class, r::run);
        assertTrue(e.getMessage().startsWith(option), e.getMessage());
    }

    /** Parses no arguments into ServerOptions, to read the defaults a user gets. */
    private static final class ServerOptionsProbe {
        int backlog() {
            ServerOptions options = new ServerOptions();
            new picocli.CommandLine(new Holder(options)).parseArgs();
            return options.toConfig().backlog();
        }
    }

    @picocli.CommandLine.Command(name = "probe")
    private static final class Holder {
        @picocli.CommandLine.Mixin
        final ServerOptions options;

        Holder(ServerOptions options) {
            this.options = options;
        }
    }
}
