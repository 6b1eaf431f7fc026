package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LinkReferenceTest {
  @Test
  void linkUrisCarryTheFingerprintAndCodesAreCaseInsensitive() {
    LinkReference ref =
        LinkReference.parse("parley://link/7kq2-m9xd-4tnb-0whe#abcdefghijklmnopqrstuv");
    assertThat(ref.code().value()).isEqualTo("7KQ2-M9XD-4TNB-0WHE");
    assertThat(ref.fingerprint()).isEqualTo("abcdefghijklmnopqrstuv");
    assertThat(LinkReference.uri(ref.code(), ref.fingerprint()))
        .isEqualTo("parley://link/7KQ2-M9XD-4TNB-0WHE#abcdefghijklmnopqrstuv");
    assertThat(LinkReference.parse(" 7KQ2-M9XD-4TNB-0WHE ").fingerprint()).isNull();
  }

  @Test
  void refusesWhatIsNeitherACodeNorALinkUri() {
    assertThatThrownBy(() -> LinkReference.parse("parley://link/7KQ2-M9XD-4TNB-0WHE"))
        .isInstanceOf(ClientException.class);
    assertThatThrownBy(() -> LinkReference.parse("parley://link/7KQ2-M9XD-4TNB-0WHE#short"))
        .isInstanceOf(ClientException.class);
    assertThatThrownBy(() -> LinkReference.parse("nonsense")).isInstanceOf(ClientException.class);
  }

  @Test
  void fingerprintsAre22Base64UrlCharacters() {
    String fp = Fingerprints.of(new byte[33]);
    assertThat(fp).hasSize(22).matches("[A-Za-z0-9_-]{22}");
    assertThat(Fingerprints.matches(fp, Fingerprints.of(new byte[33]))).isTrue();
    assertThat(Fingerprints.matches(fp, Fingerprints.of(new byte[34]))).isFalse();
  }
}
