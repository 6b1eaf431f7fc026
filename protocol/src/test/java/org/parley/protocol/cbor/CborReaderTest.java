package org.parley.protocol.cbor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CborReaderTest {

  /** RFC 8949 Appendix A vectors that are already in deterministic form. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "00",
        "17",
        "1818",
        "1903e8",
        "1a000f4240",
        "1b000000e8d4a51000",
        "1bffffffffffffffff",
        "20",
        "3903e7",
        "3bffffffffffffffff",
        "f90000",
        "f98000",
        "f93c00",
        "fb3ff199999999999a",
        "f97bff",
        "fa47c35000",
        "fa7f7fffff",
        "fb7e37e43c8800759c",
        "f90001",
        "f90400",
        "f9c400",
        "fbc010666666666666",
        "f97c00",
        "f97e00",
        "f9fc00",
        "f4",
        "f5",
        "f6",
        "f7",
        "f0",
        "f8ff",
        "c074323031332d30332d32315432303a30343a30305a",
        "d82076687474703a2f2f7777772e6578616d706c652e636f6d",
        "40",
        "4401020304",
        "60",
        "6449455446",
        "62c3bc",
        "64f0908591",
        "80",
        "83010203",
        "8301820203820405",
        "a0",
        "a201020304",
        "a26161016162820203",
        "826161a161626163"
      })
  void readsAndRewritesDeterministicItemsUnchanged(String hex) throws Exception {
    byte[] encoded = HexFormat.of().parseHex(hex);
    CborReader reader = new CborReader(encoded);

    CborValue value = reader.readValue("item", 8);
    reader.requireEnd("item");

    assertThat(CborWriter.encode(value)).isEqualTo(encoded);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "non-shortest uint, 1817, shortest",
    "non-shortest uint16, 190017, shortest",
    "non-shortest uint64, 1b00000000ffffffff, shortest",
    "double that fits a float, fb3ff8000000000000, shortest exact",
    "float that fits a half, fa3fc00000, shortest exact",
    "indefinite bytes, 5f4101ff, indefinite",
    "indefinite map, bf, indefinite",
    "lone break, ff, break",
    "too deep, 8181818181818181818100, deeply",
    "float map key, a1f93c0000, map key",
    "truncated uint32, 1a0000, truncated",
    "bad UTF-8 (surrogate), 63eda080, UTF-8",
    "overlong UTF-8, 62c0af, UTF-8",
  })
  void rejects(String what, String hex, String reason) {
    CborReader reader = new CborReader(HexFormat.of().parseHex(hex));

    assertThatThrownBy(() -> reader.readValue("item", 8))
        .as(what)
        .isInstanceOf(CborException.class)
        .hasMessageContaining(reason);
  }
}
