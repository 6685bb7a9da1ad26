package study.echo.bench.compare.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import study.echo.common.Csv;
import study.echo.common.UserException;

/** The run folder's JSON ({@code environment.json}) through Jackson. */
public final class RunJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunJson() {}

    public static void write(Path file, Object value) throws IOException {
        Files.writeString(file, MAPPER.writeValueAsString(value) + "\n");
    }

    /** A file holding one JSON object; anything else is one line naming the file and the problem. */
    public static ObjectNode readObject(Path file) throws IOException {
        JsonNode node;
        try {
            node = MAPPER.readTree(Csv.readUtf8(file));
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new UserException(file + ": not valid JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
        if (node == null || node.isMissingNode()) throw new UserException(file + ": empty, where a JSON object was expected");
        if (!(node instanceof ObjectNode object)) {
            throw new UserException(file + ": a JSON " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + " where a JSON object was expected");
        }
        return object;
    }
}
