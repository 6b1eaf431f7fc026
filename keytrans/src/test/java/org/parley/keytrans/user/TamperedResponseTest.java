package org.parley.keytrans.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.message.MonitorResponse;
import org.parley.keytrans.message.OwnerMonitorRequest;
import org.parley.keytrans.message.SearchRequest;
import org.parley.keytrans.message.SearchResponse;
import org.parley.keytrans.suite.CipherSuite;

/**
 * Every single-byte change of a search or monitoring response is either malformed, rejected by
 * verification, or (for bytes the search never uses, such as the commitment of a version no lookup
 * includes) yields exactly the honest result. Nothing else is ever thrown.
 *
 * <p>The normal build flips a fixed sample of the bytes (both ends of every response, where the
 * headers and lengths are, and a seeded spread between); every byte is flipped by the fuzz run
 * ({@code ./mvnw -pl keytrans test -Pfuzz}), which takes about 100 s.
 */
class TamperedResponseTest {
  private static final int EDGE = 64;
  private static final int SPREAD = 192;

  /** Byte positions to flip: the edges and a seeded spread, or all of them. */
  static int[] positions(int length, boolean every) {
    if (every || length <= 2 * EDGE + SPREAD) {
      return IntStream.range(0, length).toArray();
    }
    SplittableRandom random = new SplittableRandom(length);
    return IntStream.concat(
            IntStream.concat(IntStream.range(0, EDGE), IntStream.range(length - EDGE, length)),
            random.ints(SPREAD, EDGE, length - EDGE))
        .distinct()
        .sorted()
        .toArray();
  }

  @Test
  void aSampleOfTheBytesOfAGreatestVersionSearchIsBound() throws Exception {
    greatestVersionSearch(false);
  }

  @Test
  @Tag("fuzz")
  void everyByteOfAGreatestVersionSearchIsBound() throws Exception {
    greatestVersionSearch(true);
  }

  @Test
  void aSampleOfTheBytesOfAnOwnerMonitoringResponseIsBound() throws Exception {
    ownerMonitoring(false);
  }

  @Test
  @Tag("fuzz")
  void everyByteOfAnOwnerMonitoringResponseIsBound() throws Exception {
    ownerMonitoring(true);
  }

  private LogWorld world(long seed) throws Exception {
    LogWorld world =
        new LogWorld(seed, CipherSuite.KT_128_SHA256_Ed25519, 30, OptionalLong.empty());
    Label bob = LogWorld.label("bob");
    for (int i = 0; i < 40; i++) {
      Map<Label, Integer> updates = new HashMap<>();
      if (i % 5 == 0) {
        updates.put(bob, 1);
      }
      updates.put(LogWorld.label("carol"), 1);
      world.epoch(updates);
    }
    return world;
  }

  private void greatestVersionSearch(boolean every) throws Exception {
    LogWorld world = world(7);
    LogWorld.Contact alice = world.new Contact(LogWorld.label("bob"));
    alice.search(OptionalLong.empty()); // alice now retains a head; the next search is consistency
    for (int i = 0; i < 7; i++) {
      world.epoch(Map.of(LogWorld.label("carol"), 1));
    }
    world.epoch(Map.of(LogWorld.label("bob"), 1));
    SearchRequest request =
        new SearchRequest(world.last(alice.head), alice.label, OptionalLong.empty());
    byte[] honest = world.responder.search(request).encode(world.config);
    UserVerifier.SearchResult expected =
        world.verifier.verifySearch(
            alice.head, request, SearchResponse.decode(honest, world.config, request), world.clock);
    int rejected = 0;
    int[] flipped = positions(honest.length, every);
    for (int i : flipped) {
      for (int bit : new int[] {0x01, 0x80}) {
        byte[] bad = honest.clone();
        bad[i] ^= (byte) bit;
        try {
          UserVerifier.SearchResult got =
              world.verifier.verifySearch(
                  alice.head,
                  request,
                  SearchResponse.decode(bad, world.config, request),
                  world.clock);
          assertThat(got.version()).isEqualTo(expected.version());
          assertThat(got.value()).isEqualTo(expected.value());
          assertThat(got.head().root()).isEqualTo(expected.head().root());
          assertThat(got.head().head()).isEqualTo(expected.head().head());
        } catch (MalformedEncodingException | VerificationException e) {
          rejected++;
        }
      }
    }
    assertThat(rejected).isGreaterThan(flipped.length); // nearly every byte matters
  }

  private void ownerMonitoring(boolean every) throws Exception {
    LogWorld world = world(11);
    LogWorld.Owner owner = world.new Owner(LogWorld.label("bob"));
    owner.init();
    owner.learn();
    for (int i = 0; i < 30; i++) {
      world.epoch(Map.of(LogWorld.label("carol"), 1));
    }
    OwnerMonitorRequest request =
        new OwnerMonitorRequest(
            world.last(owner.head),
            owner.label,
            LogWorld.entries(owner.map),
            owner.start,
            OptionalLong.of(owner.greatest));
    MonitorResponse response = world.responder.ownerMonitor(request);
    assertThat(response.monitor().prefixProofs()).isNotEmpty();
    byte[] honest = response.encode(world.config);
    world.verifier.verifyOwnerMonitor(
        owner.head,
        request,
        response,
        owner.insertedAt,
        LogWorld.labelKeys(owner.keys, owner.commitments),
        world.clock);
    for (int i : positions(honest.length, every)) {
      byte[] bad = honest.clone();
      bad[i] ^= 0x01;
      try {
        world.verifier.verifyOwnerMonitor(
            owner.head,
            request,
            MonitorResponse.decode(bad, world.config),
            owner.insertedAt,
            LogWorld.labelKeys(owner.keys, owner.commitments),
            world.clock);
        fail("byte " + i + " of " + honest.length + " changed and the response still verified");
      } catch (MalformedEncodingException | VerificationException expected) {
        // rejected, as it must be
      }
    }
  }
}
