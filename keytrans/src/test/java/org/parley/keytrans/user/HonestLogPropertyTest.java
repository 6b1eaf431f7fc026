package org.parley.keytrans.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.operator.LogRequestException;
import org.parley.keytrans.suite.CipherSuite;

/**
 * An honest log never raises an alarm: random histories (several labels, several versions per
 * entry, random clocks, monitoring windows and lifetimes), with a contact and an owner running
 * every operation through encoded messages against the real prover.
 */
class HonestLogPropertyTest {

  @Property(tries = 40)
  void anHonestLogPassesEveryCheck(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 3) int shape,
      @ForAll @IntRange(min = 5, max = 70) int epochs)
      throws Exception {
    long window = new long[] {0, 10, 40, 200}[shape];
    OptionalLong lifetime = seed % 3 == 0 ? OptionalLong.of(window * 4 + 50) : OptionalLong.empty();
    CipherSuite suite =
        (seed & 4) == 0 ? CipherSuite.KT_128_SHA256_Ed25519 : CipherSuite.KT_128_SHA256_P256;
    LogWorld world = new LogWorld(seed, suite, window, lifetime);
    Label bob = LogWorld.label("bob");
    Label carol = LogWorld.label("carol");
    LogWorld.Contact alice = world.new Contact(bob);
    LogWorld.Owner owner = world.new Owner(bob);
    for (int i = 0; i < epochs; i++) {
      Map<Label, Integer> updates = new HashMap<>();
      if (world.random.nextInt(3) == 0) {
        updates.put(bob, 1 + (world.random.nextInt(6) == 0 ? world.random.nextInt(4) : 0));
      }
      if (world.random.nextBoolean()) {
        updates.put(carol, 1);
      }
      world.epoch(updates);
      if (!owner.initialised() && world.random.nextInt(4) == 0) {
        owner.init();
      }
      if (owner.initialised() && world.random.nextBoolean()) {
        owner.learn();
        owner.monitor();
        assertThat(owner.greatest).isEqualTo(world.log.greatestVersion(bob));
      }
      long greatest = world.log.greatestVersion(bob);
      if (greatest >= 0 && world.random.nextInt(3) == 0) {
        var found = alice.search(OptionalLong.empty());
        assertThat(found.version()).isEqualTo(greatest);
        assertThat(new String(found.value().value())).isEqualTo("bob#" + greatest);
      }
      if (greatest >= 0 && world.random.nextInt(4) == 0) {
        long version = world.random.nextLong(greatest + 1);
        try {
          var found = alice.search(OptionalLong.of(version));
          assertThat(new String(found.value().value())).isEqualTo("bob#" + version);
        } catch (LogRequestException e) {
          // A version past the maximum lifetime cannot be found: the log says so, never a bad
          // proof.
          assertThat(lifetime).isPresent();
          assertThat(e.reason()).isEqualTo(LogRequestException.Reason.UNKNOWN_VERSION);
        }
      }
      if (!alice.map.isEmpty() && world.random.nextBoolean()) {
        alice.monitor();
      }
    }
  }
}
