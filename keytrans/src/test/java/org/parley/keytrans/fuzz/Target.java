package org.parley.keytrans.fuzz;

import java.util.Random;

/**
 * One fuzzed entry point: how to make the next case, how to run it, which exceptions are its
 * documented refusals, and what an accepted case must mean. A case is bytes plus a context that
 * stays fixed while the bytes are minimised (the user's state, the searched keys, the scope).
 */
abstract class Target {
  /** One input: its fixed context, its bytes, and how it was made (for the report). */
  record Case(Object context, byte[] bytes, Mutator.Kind kind) {}

  /**
   * How a judge's answer starts when the acceptance differs from the honest one only where the
   * draft itself defers the check to a later operation; counted, reported, not a failure.
   */
  static final String DEFERRED = "deferred: ";

  final String name;
  final int budget;

  Target(String name, int budget) {
    this.name = name;
    this.budget = budget;
  }

  /** The next case, drawn from {@code random}. */
  abstract Case next(Random random, Mutator mutator);

  /** Decodes and/or verifies; returns the result on acceptance. */
  abstract Object run(Object context, byte[] bytes) throws Exception;

  /** Whether {@code t} is one of the checked exceptions this entry point declares. */
  abstract boolean refusal(Throwable t);

  /**
   * Why accepting these bytes is wrong (another meaning than the honest input's, a non-canonical
   * encoding), or null when the acceptance is sound.
   */
  String judge(Object context, byte[] bytes, Object result) {
    return null;
  }
}
