package org.parley.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.parley.cli.json.Alarm;
import org.parley.cli.json.Entry;
import org.parley.cli.json.JsonLine;
import org.parley.protocol.Json;

/**
 * The example lines of client/README.md, "The `parley --json` output" (each example shows every
 * field of its kind of line, optional ones included), for tests that hold what the command really
 * printed against them.
 */
final class DocumentedJson {
  static final String SECTION = "## The `parley --json` output";
  private static final Path README = Path.of("..", "client", "README.md");

  /** The fields some record of {@code org.parley.cli.json} leaves out when they do not apply. */
  private static final Set<String> OPTIONAL = optionalFields();

  private DocumentedJson() {}

  private static Set<String> optionalFields() {
    Set<String> names = new TreeSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>(List.of(JsonLine.class, Entry.class, Alarm.class));
    while (!todo.isEmpty()) {
      Class<?> c = todo.pop();
      if (c.isSealed()) {
        todo.addAll(List.of(c.getPermittedSubclasses()));
      } else if (c.isRecord()) {
        for (RecordComponent component : c.getRecordComponents()) {
          if (component.getAccessor().isAnnotationPresent(JsonInclude.class)) {
            names.add(component.getName());
          }
        }
      }
    }
    return names;
  }

  /** The lines of the section's {@code ```json} blocks, in order. */
  static List<String> lines() {
    String readme;
    try {
      readme = Files.readString(README, UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int start = readme.indexOf(SECTION);
    assertThat(start).as("client/README.md has the section " + SECTION).isNotNegative();
    int end = readme.indexOf("\n## ", start + SECTION.length());
    List<String> lines = new ArrayList<>();
    boolean inBlock = false;
    for (String line : readme.substring(start, end < 0 ? readme.length() : end).lines().toList()) {
      if (line.equals("```json")) {
        inBlock = true;
      } else if (line.equals("```")) {
        inBlock = false;
      } else if (inBlock && !line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }

  /**
   * Asserts that a line the command printed has the fields of a documented example of the same kind
   * (the same {@code event} or {@code state}, if it has one), and none that no such example has;
   * only an optional field (one the records leave out when it does not apply) may be missing.
   */
  static void assertDocumented(JsonNode printed) {
    Set<String> fields = fields(printed);
    List<Set<String>> candidates = new ArrayList<>();
    for (String line : lines()) {
      JsonNode example = read(line);
      if (sameKind(example, printed, "event") && sameKind(example, printed, "state")) {
        Set<String> documented = fields(example);
        candidates.add(documented);
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(fields);
        missing.removeAll(OPTIONAL);
        if (documented.containsAll(fields) && missing.isEmpty()) {
          return;
        }
      }
    }
    throw new AssertionError(
        "the printed line "
            + printed
            + " has fields "
            + fields
            + ", which no example in client/README.md has (examples of its kind: "
            + candidates
            + "; optional: "
            + OPTIONAL
            + ")");
  }

  private static boolean sameKind(JsonNode example, JsonNode printed, String field) {
    return example.path(field).asText("").equals(printed.path(field).asText(""));
  }

  private static Set<String> fields(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode read(String line) {
    try {
      return Json.mapper().readTree(line);
    } catch (IOException e) {
      throw new AssertionError("not JSON in client/README.md: " + line, e);
    }
  }
}
