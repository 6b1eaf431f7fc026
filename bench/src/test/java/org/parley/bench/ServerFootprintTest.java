package org.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerFootprintTest {
  private static final List<String> BEFORE =
      List.of(
          "12345:",
          " num     #instances         #bytes  class name (module)",
          "-------------------------------------------------------",
          "   1:          1000          64000  [B (java.base@25.0.3)",
          "   2:           100           2400  java.lang.String (java.base@25.0.3)",
          "Total          1100          66400");

  private static final List<String> AFTER =
      List.of(
          "   1:          3000         192000  [B (java.base@25.0.3)",
          "   2:           300           7200  java.lang.String (java.base@25.0.3)",
          "   3:            10            720  org.example.Twice",
          "   4:            10            720  org.example.Twice",
          "Total          3320         200640");

  @Test
  void readsTheTotalAndEveryClass() throws IOException {
    ServerFootprint footprint = ServerFootprint.parse(BEFORE, 1 << 20, 40, 80);
    assertEquals(66400, footprint.liveHeapBytes());
    assertEquals(new ServerFootprint.Entry(1000, 64000), footprint.histogram().get("[B"));
    assertEquals(2, footprint.histogram().size());
  }

  @Test
  void growthAddsUpClassesOfOneNameAndSortsByBytes() throws IOException {
    ServerFootprint before = ServerFootprint.parse(BEFORE, 0, 0, 0);
    ServerFootprint after = ServerFootprint.parse(AFTER, 0, 0, 0);
    assertEquals(
        List.of(
            new ServerFootprint.Growth("[B", 2000, 128000),
            new ServerFootprint.Growth("java.lang.String", 200, 4800),
            new ServerFootprint.Growth("org.example.Twice", 20, 1440)),
        after.growthSince(before, 10));
  }

  @Test
  void aHistogramWithoutItsTotalIsRefused() {
    assertThrows(IOException.class, () -> ServerFootprint.parse(BEFORE.subList(0, 4), 0, 0, 0));
  }
}
