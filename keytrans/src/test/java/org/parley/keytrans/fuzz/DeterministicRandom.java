package org.parley.keytrans.fuzz;

import java.security.SecureRandom;
import java.util.Random;

/**
 * A SecureRandom that is anything but: its bytes come from a seeded {@link Random}, so the keys,
 * openings and therefore every honest response of a fuzz run are the same on every machine. Only
 * for tests.
 */
final class DeterministicRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;
  private final Random random;

  DeterministicRandom(long seed) {
    this.random = new Random(seed);
  }

  @Override
  public void nextBytes(byte[] bytes) {
    random.nextBytes(bytes);
  }

  @Override
  public void setSeed(long seed) {
    // SecureRandom's constructor calls this before the field is set; nothing to mix in.
  }
}
