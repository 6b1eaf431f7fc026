package org.parley.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.parley.protocol.Json;

/**
 * Turns a valid request body into a bad one: tree mutations (dropped fields, nulls, wrong types,
 * out-of-range numbers, odd strings, bad base64url, wrong-length bytes, deep nesting), duplicate
 * keys, and byte-level damage (truncation, flips, invalid UTF-8), plus garbage. Every choice comes
 * from the given {@link Random}, so a seed replays a run.
 */
final class FuzzMutator {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonFactory WRITER =
      JsonFactory.builder()
          .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
          .streamWriteConstraints(
              StreamWriteConstraints.builder().maxNestingDepth(1_000_000).build())
          .build();

  private final Random random;

  FuzzMutator(Random random) {
    this.random = random;
  }

  /** A damaged copy of {@code valid}, as the bytes of a request body. */
  byte[] mutate(JsonNode valid) {
    int pick = random.nextInt(100);
    if (pick < 55) {
      JsonNode copy = valid.deepCopy();
      int n = 1 + random.nextInt(3);
      for (int i = 0; i < n; i++) {
        copy = mutateTree(copy);
      }
      return write(copy, random.nextInt(8) == 0);
    }
    if (pick < 62) {
      return write(valid, true);
    }
    byte[] bytes = write(valid, false);
    if (pick < 72) {
      return Arrays.copyOf(bytes, random.nextInt(bytes.length));
    }
    if (pick < 82) {
      return flip(bytes);
    }
    if (pick < 90) {
      return invalidUtf8(bytes);
    }
    return garbage();
  }

  /** A body that was never valid: random bytes, random text or a JSON value of the wrong shape. */
  byte[] garbage() {
    return switch (random.nextInt(5)) {
      case 0 -> randomBytes(random.nextInt(2048));
      case 1 -> randomAscii(random.nextInt(512)).getBytes(StandardCharsets.US_ASCII);
      case 2 ->
          pickOf(
                  "null",
                  "[]",
                  "{}",
                  "1",
                  "-1",
                  "\"x\"",
                  "true",
                  "[{}]",
                  "{\"\":{}}",
                  " ",
                  "\n",
                  "{}{}",
                  "{} []",
                  "{\"a\":1}x",
                  "\ufeff{}",
                  "[null]",
                  "{\"type\":\"ack\"}",
                  "1e99999",
                  "--1",
                  "{\"a\":01}",
                  "{'a':1}",
                  "{a:1}",
                  "/*c*/{}",
                  "{\"a\":NaN}",
                  "{\"a\":\"\\u12\"}")
              .getBytes(StandardCharsets.UTF_8);
      case 3 -> write(nested(1 + random.nextInt(1500), random.nextBoolean()), false);
      default -> write(randomValue(), false);
    };
  }

  /** One mutation somewhere in the tree; returns the (possibly replaced) root. */
  JsonNode mutateTree(JsonNode root) {
    List<Slot> slots = new ArrayList<>();
    collect(root, slots);
    if (slots.isEmpty() || random.nextInt(20) == 0) {
      return random.nextBoolean() ? replacement(root) : wrapped(root);
    }
    Slot slot = slots.get(random.nextInt(slots.size()));
    int op = random.nextInt(100);
    if (op < 15) {
      slot.remove();
    } else if (op < 22 && slot.parent() instanceof ArrayNode array) {
      // a repeated element: duplicate devices, key ids, envelope ids
      array.add(array.get(random.nextInt(array.size())).deepCopy());
    } else if (op < 26 && slot.parent() instanceof ArrayNode array) {
      int target = pickOf(101, 128, 501);
      while (array.size() < target) {
        array.add(array.get(random.nextInt(array.size())).deepCopy());
      }
    } else if (op < 30 && slot.parent() instanceof ObjectNode object) {
      object.set(randomAscii(1 + random.nextInt(10)), randomValue());
    } else {
      slot.set(replacement(slot.get()));
    }
    return root;
  }

  private JsonNode replacement(JsonNode original) {
    int kind = random.nextInt(12);
    return switch (kind) {
      case 0 -> NODES.nullNode();
      case 1 -> wrongType(original);
      case 2 -> hugeOrNegativeNumber();
      case 3 -> NODES.textNode("");
      case 4 -> NODES.textNode(longString());
      case 5 -> NODES.textNode(oddString());
      case 6 -> NODES.textNode(badBase64Url(original));
      case 7 -> NODES.textNode(Json.base64Url(randomBytes(wrongLength(original))));
      case 8 -> nested(pickOf(2, 50, 999, 1001, 1500), random.nextBoolean());
      case 9 -> wrapped(original);
      case 10 -> original.isTextual() ? NODES.textNode(flipChar(original.asText())) : randomValue();
      default -> randomValue();
    };
  }

  private JsonNode wrongType(JsonNode original) {
    if (original.isNumber()) {
      return random.nextBoolean()
          ? NODES.textNode(original.asText())
          : NODES.numberNode(original.asDouble() + 0.5);
    }
    if (original.isTextual()) {
      return random.nextBoolean() ? NODES.numberNode(random.nextInt()) : NODES.booleanNode(true);
    }
    if (original.isContainerNode()) {
      return random.nextBoolean()
          ? NODES.textNode(new String(write(original, false), StandardCharsets.UTF_8))
          : NODES.numberNode(1);
    }
    return NODES.objectNode();
  }

  private JsonNode hugeOrNegativeNumber() {
    return switch (random.nextInt(12)) {
      case 0 -> NODES.numberNode(new BigInteger("9".repeat(1 + random.nextInt(400))));
      case 1 -> NODES.numberNode(Long.MAX_VALUE);
      case 2 -> NODES.numberNode(Long.MIN_VALUE);
      case 3 -> NODES.numberNode(1L << 31);
      case 4 -> NODES.numberNode(-(1L << 31) - 1);
      case 5 -> NODES.numberNode(-1);
      case 6 -> NODES.numberNode(0);
      case 7 -> NODES.numberNode(new BigDecimal("1e400"));
      case 8 -> NODES.numberNode(-0.0);
      case 9 -> NODES.numberNode(1.5);
      case 10 -> NODES.numberNode(16381);
      default -> NODES.numberNode(-random.nextInt(Integer.MAX_VALUE));
    };
  }

  private String longString() {
    int n = pickOf(65, 129, 1_000, 70_000, 300_000);
    return random.nextBoolean() ? "a".repeat(n) : randomAscii(n);
  }

  /** Strings that stores, regexes and decoders trip over; each is tried in every string field. */
  static final List<String> ODD_STRINGS =
      List.of(
          "\u0000",
          "a\u0000b",
          "\ud800",
          "\udfff",
          "x\ud83dy",
          "\ud83d\ude00",
          "\u202e",
          "\ufeff",
          "\uffff",
          " ",
          "\t",
          "\r\n",
          "\u00e9",
          "\\",
          "\"",
          "'; DROP TABLE accounts; --",
          "%00",
          "../../etc/passwd",
          "${jndi:ldap://x}",
          "<script>",
          "NaN",
          "-0",
          "null",
          "\u0085",
          "\u2028",
          "A".repeat(64) + "\u0000");

  private String oddString() {
    return pick(ODD_STRINGS);
  }

  /** For every string field of {@code valid}, one body per odd string in that field. */
  List<byte[]> oddStringInEveryField(JsonNode valid) {
    List<Slot> slots = new ArrayList<>();
    collect(valid, slots);
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < slots.size(); i++) {
      if (!slots.get(i).get().isTextual()) {
        continue;
      }
      for (String odd : ODD_STRINGS) {
        JsonNode copy = valid.deepCopy();
        List<Slot> copied = new ArrayList<>();
        collect(copy, copied);
        copied.get(i).set(NODES.textNode(odd));
        bodies.add(write(copy, false));
      }
    }
    return bodies;
  }

  private String badBase64Url(JsonNode original) {
    String text = original.isTextual() ? original.asText() : "AAAA";
    return switch (random.nextInt(7)) {
      case 0 -> "!!!!";
      case 1 -> text.length() > 1 ? text.substring(0, text.length() - 1) : "A";
      case 2 -> text.replace('-', '+').replace('_', '/') + "+/";
      case 3 -> text + "===";
      case 4 -> " " + text;
      case 5 ->
          text.isEmpty()
              ? "="
              : text.substring(0, text.length() / 2) + "\u00e9" + text.substring(text.length() / 2);
      default -> "A";
    };
  }

  private int wrongLength(JsonNode original) {
    int valid = 33;
    if (original.isTextual()) {
      try {
        valid = Json.fromBase64Url(original.asText()).length;
      } catch (IllegalArgumentException e) {
        valid = 33;
      }
    }
    return Math.max(
        0, pickOf(0, 1, valid - 1, valid + 1, 32, 34, 63, 65, 1568, 1570, 98305, 2 * valid));
  }

  private JsonNode wrapped(JsonNode original) {
    if (random.nextBoolean()) {
      return NODES.arrayNode().add(original.deepCopy());
    }
    ObjectNode object = NODES.objectNode();
    object.set("value", original.deepCopy());
    return object;
  }

  private JsonNode nested(int depth, boolean arrays) {
    JsonNode node = NODES.numberNode(1);
    for (int i = 0; i < depth; i++) {
      if (arrays) {
        node = NODES.arrayNode().add(node);
      } else {
        ObjectNode object = NODES.objectNode();
        object.set("a", node);
        node = object;
      }
    }
    return node;
  }

  private JsonNode randomValue() {
    return switch (random.nextInt(7)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(random.nextLong());
      case 3 -> NODES.numberNode(random.nextDouble() * 1e6);
      case 4 -> NODES.textNode(randomAscii(random.nextInt(40)));
      case 5 ->
          NODES
              .arrayNode()
              .add(NODES.numberNode(random.nextInt(200) - 50))
              .add(NODES.textNode("x"));
      default -> {
        ObjectNode o = NODES.objectNode();
        o.put("type", pickOf("ack", "dance", "", "ACK"));
        o.set("ids", NODES.arrayNode().add(randomAscii(8)));
        yield o;
      }
    };
  }

  private String flipChar(String text) {
    if (text.isEmpty()) {
      return "\u0001";
    }
    char[] chars = text.toCharArray();
    int at = random.nextInt(chars.length);
    chars[at] = (char) (chars[at] ^ (1 << random.nextInt(7)));
    return new String(chars);
  }

  private byte[] flip(byte[] bytes) {
    byte[] copy = bytes.clone();
    int n = 1 + random.nextInt(8);
    for (int i = 0; i < n && copy.length > 0; i++) {
      copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
    }
    return copy;
  }

  /** Raw invalid UTF-8 spliced into the body, usually right after a quote (inside a string). */
  private byte[] invalidUtf8(byte[] bytes) {
    byte[][] bad = {
      {(byte) 0xff},
      {(byte) 0xc3, 0x28},
      {(byte) 0xc0, (byte) 0xaf},
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
      {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
      {(byte) 0xe2, (byte) 0x82},
      {0x00}
    };
    byte[] insert = bad[random.nextInt(bad.length)];
    List<Integer> quotes = new ArrayList<>();
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '"') {
        quotes.add(i + 1);
      }
    }
    int at =
        quotes.isEmpty() || random.nextInt(4) == 0
            ? random.nextInt(bytes.length + 1)
            : quotes.get(random.nextInt(quotes.size()));
    byte[] out = new byte[bytes.length + insert.length];
    System.arraycopy(bytes, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(bytes, at, out, at + insert.length, bytes.length - at);
    return out;
  }

  byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  String randomAscii(int n) {
    StringBuilder s = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      s.append((char) (0x20 + random.nextInt(0x5f)));
    }
    return s.toString();
  }

  @SafeVarargs
  final <T> T pickOf(T... choices) {
    return choices[random.nextInt(choices.length)];
  }

  <T> T pick(List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  /** Serializes {@code node}; with {@code duplicates}, some object keys appear twice. */
  byte[] write(JsonNode node, boolean duplicates) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = WRITER.createGenerator(out)) {
      write(g, node, duplicates);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private void write(JsonGenerator g, JsonNode node, boolean duplicates) throws IOException {
    if (node instanceof ObjectNode object) {
      g.writeStartObject();
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (duplicates && random.nextInt(3) == 0) {
          g.writeFieldName(field.getKey());
          write(g, random.nextBoolean() ? randomValue() : field.getValue(), false);
        }
        g.writeFieldName(field.getKey());
        write(g, field.getValue(), duplicates);
      }
      g.writeEndObject();
    } else if (node instanceof ArrayNode array) {
      g.writeStartArray();
      for (JsonNode item : array) {
        write(g, item, duplicates);
      }
      g.writeEndArray();
    } else {
      Json.mapper().writeTree(g, node);
    }
  }

  private static void collect(JsonNode node, List<Slot> slots) {
    collect(node, slots, 0);
  }

  /**
   * Stops 20 levels down, so that deep nesting is never nested again (and never overflows the
   * stack).
   */
  private static void collect(JsonNode node, List<Slot> slots, int depth) {
    if (depth > 20) {
      return;
    }
    if (node instanceof ObjectNode object) {
      for (String name : iterable(object.fieldNames())) {
        slots.add(new Slot(object, name, -1));
        collect(object.get(name), slots, depth + 1);
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        slots.add(new Slot(array, null, i));
        collect(array.get(i), slots, depth + 1);
      }
    }
  }

  private static <T> List<T> iterable(Iterator<T> it) {
    List<T> list = new ArrayList<>();
    it.forEachRemaining(list::add);
    return list;
  }

  /** A place in the tree: a field of an object or an element of an array. */
  private record Slot(JsonNode parent, String field, int index) {
    JsonNode get() {
      return field != null ? parent.get(field) : parent.get(index);
    }

    void set(JsonNode value) {
      if (parent instanceof ObjectNode o) {
        o.set(field, value);
      } else {
        ((ArrayNode) parent).set(index, value);
      }
    }

    void remove() {
      if (parent instanceof ObjectNode o) {
        o.remove(field);
      } else if (index < parent.size()) {
        ((ArrayNode) parent).remove(index);
      }
    }
  }
}
