package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.Padding;
import org.parley.client.ParleyClient;

/**
 * Issue 8, item 13: what the server stores tells it a bucket, not a text's length. Texts of 1, 2
 * and 50 bytes (1,929, 1,945 and 1,993 bytes of ciphertext before padding) are queued as
 * ciphertexts of one length, and 38 texts of 38 lengths up to 400 bytes as three lengths, each a
 * bucket (docs/spec/crypto.md, "Padding") plus the same overhead. (Storage plays no part: SQLite
 * only.)
 */
class PaddedLengthsIT {
  @RegisterExtension final Servers servers = new Servers();

  @TempDir Path dir;

  @Test
  void ciphertextLengthsRevealOnlyTheBucket() {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      List<String> texts = new java.util.ArrayList<>();
      // the shortest texts: with the MIMI fields and the delivery credential every text carries
      // (docs/spec/sealed-sender.md), a text of a few characters fills the 256-byte bucket
      for (int length : List.of(1, 2, 3)) {
        texts.add("x".repeat(length));
      }
      for (int length = 60; length <= 400; length += 10) {
        texts.add("y".repeat(length));
      }
      for (String text : texts) {
        alice.send("bob@example.org", text);
      }
      List<Integer> lengths =
          DatabaseScan.envelopeLengths(server, bob.identity().orElseThrow().accountId().value());
      assertThat(lengths).hasSize(texts.size());
      // the finding's short texts look the same; 38 texts of 38 lengths give three lengths (the
      // 256-, 512- and 1,024-byte buckets: a text message carries some 200 bytes of MIMI fields)
      assertThat(lengths.subList(0, 3)).containsOnly(lengths.getFirst());
      assertThat(new java.util.TreeSet<>(lengths)).as("ciphertext lengths").hasSize(3);
      // and each is the smallest one plus the difference of two buckets
      int base = lengths.getFirst() - Padding.MIN_BUCKET;
      java.util.Set<Integer> buckets = new java.util.HashSet<>();
      for (int n = 0; n < 1_000; n++) {
        buckets.add(Padding.bucket(n));
      }
      assertThat(lengths).allSatisfy(l -> assertThat(buckets).contains(l - base));
      assertThat(ForgedEnvelopeIT.texts(bob.receive())).containsExactlyElementsOf(texts);
    }
  }
}
