package org.parley.keytrans.vrf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the RFC 9381 appendix B vectors copied into test resources. */
record Rfc9381Vectors(String example, byte[] sk, byte[] pk, byte[] alpha, byte[] pi, byte[] beta) {

  static List<Rfc9381Vectors> load(String resource) {
    List<Rfc9381Vectors> out = new ArrayList<>();
    try (InputStream in = Rfc9381Vectors.class.getResourceAsStream("/rfc9381/" + resource);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      Map<String, String> fields = new LinkedHashMap<>();
      String line;
      while ((line = reader.readLine()) != null) {
        line = line.strip();
        if (line.startsWith("#")) {
          continue;
        }
        if (line.isEmpty()) {
          add(out, fields);
          continue;
        }
        int eq = line.indexOf('=');
        fields.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      }
      add(out, fields);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static void add(List<Rfc9381Vectors> out, Map<String, String> f) {
    if (f.isEmpty()) {
      return;
    }
    HexFormat hex = HexFormat.of();
    out.add(
        new Rfc9381Vectors(
            f.get("example"),
            hex.parseHex(f.get("SK")),
            hex.parseHex(f.get("PK")),
            hex.parseHex(f.get("alpha")),
            hex.parseHex(f.get("pi")),
            hex.parseHex(f.get("beta"))));
    f.clear();
  }

  @Override
  public String toString() {
    return "RFC 9381 example " + example;
  }
}
