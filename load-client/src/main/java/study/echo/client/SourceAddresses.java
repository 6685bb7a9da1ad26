package study.echo.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import study.echo.common.BadOptionException;

/** Parses {@code --source-addresses}: IPv4 addresses and ranges, comma separated: {@code 127.0.0.1-127.0.0.8,127.0.1.1}. */
final class SourceAddresses {
    /** More source addresses than this is a typo, not a plan. */
    static final int MAX_ADDRESSES = 65_536;

    private SourceAddresses() {}

    static List<InetAddress> parse(String text) {
        List<InetAddress> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            String[] ends = part.trim().split("-", -1);
            if (ends.length > 2) {
                throw bad(part);
            }
            long first = ipv4(ends[0], part);
            long last = ends.length == 2 ? ipv4(ends[1], part) : first;
            if (last < first) {
                throw new BadOptionException("--source-addresses range '" + part.trim() + "' ends before it starts");
            }
            if (out.size() + (last - first + 1) > MAX_ADDRESSES) {
                throw new BadOptionException("--source-addresses names more than " + MAX_ADDRESSES + " addresses");
            }
            for (long a = first; a <= last; a++) {
                out.add(toAddress(a));
            }
        }
        return out;
    }

    private static long ipv4(String text, String part) {
        String[] octets = text.trim().split("\\.", -1);
        if (octets.length != 4) {
            throw bad(part);
        }
        long value = 0;
        for (String octet : octets) {
            if (!octet.matches("\\d{1,3}") || Integer.parseInt(octet) > 255) {
                throw bad(part);
            }
            value = value << 8 | Integer.parseInt(octet);
        }
        return value;
    }

    private static InetAddress toAddress(long value) {
        byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always an IPv4 address", e);
        }
    }

    private static BadOptionException bad(String part) {
        return new BadOptionException("--source-addresses: '" + part.trim()
                + "' is not an IPv4 address or range; write e.g. 127.0.0.1-127.0.0.8");
    }
}
