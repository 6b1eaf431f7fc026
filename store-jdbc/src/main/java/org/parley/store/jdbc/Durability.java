package org.parley.store.jdbc;

import java.util.Map;

/**
 * The store setting {@code durability} (docs/operations.md), the same two modes on every backend.
 */
public final class Durability {
  private Durability() {}

  /**
   * True for {@code power-loss} (flush before every answer), false for {@code process} (the
   * default: a commit survives the server process being killed).
   *
   * @param store the backend's name, for the error
   */
  public static boolean powerLoss(Map<String, String> settings, String store) {
    return switch (settings.getOrDefault("durability", "process")) {
      case "process" -> false;
      case "power-loss" -> true;
      default ->
          throw new IllegalArgumentException(
              "the " + store + " setting 'durability' is process or power-loss");
    };
  }
}
