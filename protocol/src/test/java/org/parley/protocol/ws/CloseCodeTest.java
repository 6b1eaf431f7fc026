package org.parley.protocol.ws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The close codes are the ones docs/spec/delivery.md lists, with its reasons and reconnects. */
class CloseCodeTest {
  private static final Path SPEC = Path.of("..", "docs", "spec", "delivery.md");

  @Test
  void everyCloseCodeIsARowOfTheSpecsTable() throws Exception {
    String spec = Files.readString(SPEC, UTF_8);
    for (CloseCode c : CloseCode.values()) {
      String row =
          spec.lines()
              .filter(l -> l.startsWith("| " + c.code() + " |"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("delivery.md has no row for " + c));
      assertThat(row).as(c.name()).contains("| `" + c.reason() + "` |");
      assertThat(row).as(c.name()).contains(c.reconnect() ? "| reconnects" : "| stops");
    }
    assertThat(spec.lines().filter(l -> l.matches("\\| \\d{4} \\|.*")).count())
        .as("rows of the close-code table")
        .isEqualTo(CloseCode.values().length);
  }

  @Test
  void theCodesAreTheWireValues() {
    assertThat(CloseCode.REMOVED.code()).isEqualTo(4401);
    assertThat(CloseCode.REPLACED.code()).isEqualTo(4409);
    assertThat(CloseCode.of(4409)).contains(CloseCode.REPLACED);
    assertThat(CloseCode.of(1000)).isEmpty();
  }
}
