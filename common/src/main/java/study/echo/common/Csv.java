package study.echo.common;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 4180 records through jackson-dataformat-csv: the one CSV reader and writer of the study, for
 * the load client's own files ({@code --csv}, {@code --timeline}) and the comparison's run folder
 * alike. A field is quoted only when it holds a comma, a quote or a line break, as the files always
 * were.
 */
public final class Csv {
    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private Csv() {}

    /** One record with its line break, ready to be written in one piece. */
    public static String line(List<String> fields) {
        try {
            String[] cells = fields.stream().map(f -> f == null ? "" : f).toArray(String[]::new);
            return MAPPER.writerFor(String[].class).with(CsvSchema.emptySchema()).writeValueAsString(cells);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A record and the line of the file it starts on, from 1. */
    public record Record(long line, List<String> fields) {}

    /** Every record of a text; a quoted field may span lines. */
    public static List<Record> parse(String text) throws IOException {
        List<Long> starts = recordLines(text);
        List<Record> out = new ArrayList<>();
        try (MappingIterator<String[]> it = MAPPER.readerFor(String[].class).with(CsvSchema.emptySchema())
                .readValues(text)) {
            while (it.hasNextValue()) {
                String[] fields = it.nextValue();
                out.add(new Record(out.size() < starts.size() ? starts.get(out.size()) : -1, Arrays.asList(fields)));
            }
        }
        return out;
    }

    /**
     * The line each record starts on, for messages: a line break inside quotes continues the record,
     * and empty lines hold none (the parser skips them too).
     */
    private static List<Long> recordLines(String text) {
        List<Long> starts = new ArrayList<>();
        boolean quoted = false;
        boolean atStart = true;
        long line = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (atStart && c != '\n' && c != '\r') {
                starts.add(line);
                atStart = false;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\n') {
                line++;
                if (!quoted) atStart = true;
            }
        }
        return starts;
    }

    /** A file's text, refusing bytes that are not UTF-8 with a line that says where. */
    public static String readUtf8(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new UserException(file + ": not UTF-8 text (byte 0x"
                    + String.format("%02x", bytes[in.position()] & 0xff) + " at offset " + in.position() + ")");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** A small CSV file with a header (the client's timeline or summary), as column name to value. */
    public static List<Map<String, String>> readTable(Path file) throws IOException {
        List<Record> records = parse(readUtf8(file));
        List<Map<String, String>> rows = new ArrayList<>();
        if (records.isEmpty()) return rows;
        List<String> header = records.get(0).fields();
        for (Record r : records.subList(1, records.size())) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i).trim(), i < r.fields().size() ? r.fields().get(i) : "");
            }
            rows.add(row);
        }
        return rows;
    }
}
