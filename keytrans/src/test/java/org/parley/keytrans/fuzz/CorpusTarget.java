package org.parley.keytrans.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A target over valid encodings. With the systematic pass, it first runs every truncation of every
 * seed and every seed with one byte set to 0xFF (so each length and count field is also seen
 * inflated), then {@code random} mutations of random seeds, splicing with the other seeds of the
 * same target.
 */
abstract class CorpusTarget extends Target {
  record Seed(Object context, byte[] bytes) {}

  private final List<Seed> seeds;
  private final List<byte[]> corpus = new ArrayList<>();
  private final boolean systematic;
  private int seedIndex;
  private int step;
  private long systematicLeft;

  CorpusTarget(String name, int random, List<Seed> seeds, boolean systematic) {
    super(name, Math.toIntExact(random + (systematic ? systematicCases(seeds) : 0)));
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException(name + " has no seeds");
    }
    this.seeds = List.copyOf(seeds);
    seeds.forEach(s -> corpus.add(s.bytes()));
    this.systematic = systematic;
    this.systematicLeft = systematic ? systematicCases(seeds) : 0;
  }

  private static long systematicCases(List<Seed> seeds) {
    return seeds.stream().mapToLong(s -> 2L * s.bytes().length).sum();
  }

  int seedCount() {
    return seeds.size();
  }

  boolean systematic() {
    return systematic;
  }

  @Override
  Case next(Random random, Mutator mutator) {
    if (systematicLeft > 0) {
      systematicLeft--;
      return nextSystematic();
    }
    Seed seed = seeds.get(random.nextInt(seeds.size()));
    if (random.nextInt(50) == 0) {
      return new Case(seed.context(), seed.bytes().clone(), Mutator.Kind.HONEST);
    }
    Mutator.Mutant m = mutator.mutate(seed.bytes(), corpus);
    return new Case(seed.context(), m.bytes(), m.kind());
  }

  /** Step k of a seed of length n: truncation to k bytes for k < n, else byte k-n set to 0xFF. */
  private Case nextSystematic() {
    while (step >= 2 * seeds.get(seedIndex).bytes().length) {
      step = 0;
      seedIndex++;
    }
    Seed seed = seeds.get(seedIndex);
    byte[] in = seed.bytes();
    int k = step++;
    if (k < in.length) {
      return new Case(seed.context(), Arrays.copyOf(in, k), Mutator.Kind.TRUNCATE);
    }
    byte[] out = in.clone();
    out[k - in.length] = (byte) 0xFF;
    return new Case(seed.context(), out, Mutator.Kind.INFLATE);
  }
}
