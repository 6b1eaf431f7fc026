package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Json;

/**
 * {@code protocol} is the whole wire contract: every JSON object docs/spec/openapi.yaml describes
 * is a record of {@code org.parley.protocol} of the same name (the error body is ErrorResponse),
 * and the record has exactly the schema's properties (and an enum field exactly the schema's
 * values). OpenApiIT checks real answers against the schemas; this checks that client and server
 * have nothing else to share.
 */
class OpenApiRecordsTest {
  private static final Path FILE = Path.of("..", "docs", "spec", "openapi.yaml");
  private static final List<String> PACKAGES =
      List.of("", ".account", ".keys", ".kt", ".link", ".message", ".meta", ".sealed");
  private static final Map<String, String> RENAMED = Map.of("Error", "ErrorResponse");

  @Test
  void everyDescribedObjectIsAProtocolRecordWithTheSameFields() throws Exception {
    JsonNode schemas = new YAMLMapper().readTree(FILE.toFile()).path("components").path("schemas");
    List<String> problems = new ArrayList<>();
    int objects = 0;
    for (var schema : schemas.properties()) {
      if (!schema.getValue().has("properties")) {
        continue; // a scalar (Bytes, Time, an id) or an enum
      }
      objects++;
      String name = RENAMED.getOrDefault(schema.getKey(), schema.getKey());
      Optional<Class<?>> record = protocolRecord(name);
      if (record.isEmpty()) {
        problems.add(schema.getKey() + ": no record org.parley.protocol...." + name);
        continue;
      }
      Set<String> described = new TreeSet<>();
      schema.getValue().path("properties").fieldNames().forEachRemaining(described::add);
      Set<String> fields = jsonFields(record.get());
      if (!described.equals(fields)) {
        problems.add(
            schema.getKey()
                + ": openapi.yaml has "
                + described
                + ", "
                + record.get().getName()
                + " has "
                + fields);
      }
      for (RecordComponent c : record.get().getRecordComponents()) {
        JsonNode values = schema.getValue().path("properties").path(c.getName()).path("enum");
        if (c.getType().isEnum() && !values.isMissingNode()) {
          Set<String> enumDescribed = new TreeSet<>();
          values.forEach(v -> enumDescribed.add(v.asText()));
          Set<String> wire = new TreeSet<>();
          for (Object constant : c.getType().getEnumConstants()) {
            wire.add(Json.mapper().valueToTree(constant).asText());
          }
          if (!enumDescribed.equals(wire)) {
            problems.add(
                schema.getKey()
                    + "."
                    + c.getName()
                    + ": openapi.yaml has "
                    + enumDescribed
                    + ", the code "
                    + wire);
          }
        }
      }
    }
    assertThat(objects).as("object schemas in openapi.yaml").isGreaterThan(30);
    assertThat(problems).isEmpty();
  }

  private static Optional<Class<?>> protocolRecord(String name) {
    for (String pkg : PACKAGES) {
      try {
        Class<?> c = Class.forName("org.parley.protocol" + pkg + "." + name);
        return c.isRecord() ? Optional.of(c) : Optional.empty();
      } catch (ClassNotFoundException e) {
        // not in this package
      }
    }
    return Optional.empty();
  }

  /** The field names the protocol's JSON codec writes for {@code type}. */
  private static Set<String> jsonFields(Class<?> type) {
    ObjectMapper mapper = Json.mapper();
    Set<String> names = new TreeSet<>();
    for (BeanPropertyDefinition p :
        mapper.getSerializationConfig().introspect(mapper.constructType(type)).findProperties()) {
      names.add(p.getName());
    }
    return names;
  }
}
