package org.parley.keytrans.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.commit.Commitments;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.message.UpdateRequest;
import org.parley.keytrans.message.UpdateResponse;
import org.parley.keytrans.suite.CipherSuite;

/**
 * Seen in the fuzz run: when the claimed entry of an update is distinguished, the draft's "Updating
 * a Label" step 3 looks up only the new versions outside the new greatest version's search ladder
 * and keeps the position and new greatest version "for later verification", so {@code verifyUpdate}
 * accepts another value for that version, or another distinguished position. The check is deferred,
 * not lost: the owner algorithm's ladder at that entry ({@code verifyOwnerMonitor}) refuses the
 * log's tree.
 */
class DeferredUpdateCheckTest {
  private final Label bob = LogWorld.label("bob");

  @Test
  void aValueChangedInADistinguishedEntryIsCaughtByOwnerMonitoring() throws Exception {
    LogWorld world = world();
    LogWorld.Owner owner = owner(world);
    UpdateResponse honest = world.responder.update(request(world, owner)).orElseThrow();
    byte[] ghost = "a device the owner never added".getBytes(StandardCharsets.UTF_8);
    UserVerifier.UpdateResult result =
        acceptAndKeep(
            world,
            owner,
            honest,
            new UpdateResponse(
                honest.fullTreeHead(),
                honest.position(),
                List.of(ghost),
                honest.info(),
                honest.binaryLadder(),
                honest.update()));
    assertThat(result.values().getFirst().value()).isEqualTo(ghost);
    assertThatThrownBy(owner::monitor).isInstanceOf(VerificationException.class);
  }

  @Test
  void anEarlierDistinguishedPositionIsCaughtByOwnerMonitoring() throws Exception {
    LogWorld world = world();
    LogWorld.Owner owner = owner(world);
    UpdateResponse honest = world.responder.update(request(world, owner)).orElseThrow();
    UserVerifier.UpdateResult result =
        acceptAndKeep(
            world,
            owner,
            honest,
            new UpdateResponse(
                honest.fullTreeHead(),
                honest.position() - 1,
                honest.values(),
                honest.info(),
                honest.binaryLadder(),
                honest.update()));
    assertThat(result.position()).isEqualTo(honest.position() - 1);
    assertThatThrownBy(owner::monitor).isInstanceOf(VerificationException.class);
  }

  /** A window of 0 makes every entry distinguished. */
  private LogWorld world() {
    LogWorld world = new LogWorld(9, CipherSuite.KT_128_SHA256_Ed25519, 0, OptionalLong.empty());
    for (int i = 0; i < 6; i++) {
      world.epoch(Map.of(bob, 1, LogWorld.label("carol"), 1));
    }
    return world;
  }

  /** An owner who knows every version, then one more version two entries later. */
  private LogWorld.Owner owner(LogWorld world) throws Exception {
    LogWorld.Owner owner = world.new Owner(bob);
    owner.init();
    owner.learn();
    world.epoch(Map.of(LogWorld.label("carol"), 1));
    world.epoch(Map.of(bob, 1));
    return owner;
  }

  private UpdateRequest request(LogWorld world, LogWorld.Owner owner) {
    return new UpdateRequest(
        world.last(owner.head), bob, OptionalLong.of(owner.greatest), List.of());
  }

  /** Verifies the forged response, which passes, and keeps it as LogWorld.Owner.learn does. */
  private UserVerifier.UpdateResult acceptAndKeep(
      LogWorld world, LogWorld.Owner owner, UpdateResponse honest, UpdateResponse forged)
      throws Exception {
    UserVerifier.UpdateResult result =
        world.verifier.verifyUpdate(
            owner.head,
            request(world, owner),
            UpdateResponse.decode(forged.encode(world.config), world.config),
            owner.knownAt,
            owner.start,
            LogWorld.labelKeys(owner.keys, owner.commitments),
            world.clock);
    assertThat(result.result().monitorFromPosition()).as("the entry is distinguished").isFalse();
    long v = result.firstVersion();
    owner.head = result.head();
    owner.keys.putAll(result.searchKeys());
    owner.commitments.put(
        v,
        HashValue.of(
            Commitments.commit(
                    world.config.suite(),
                    honest.info().getFirst(),
                    bob,
                    v,
                    result.values().getFirst())
                .bytes()));
    owner.greatest = result.result().newGreatest();
    owner.knownAt = OptionalLong.of(result.position());
    owner.insertedAt.put(result.position(), owner.greatest);
    world.epoch(Map.of(LogWorld.label("carol"), 1));
    return result;
  }
}
