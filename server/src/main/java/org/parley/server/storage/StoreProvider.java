package org.parley.server.storage;

import java.util.Map;

/**
 * Opens a {@link Store} chosen by name in the configuration ({@code store: sqlite|postgres}).
 * Backends register through {@link java.util.ServiceLoader}, so the server core never imports one.
 */
public interface StoreProvider {
  /** The name the configuration uses, e.g. "sqlite". */
  String name();

  /**
   * Opens the store, migrating its schema to the current version first.
   *
   * @param settings backend settings: for sqlite {@code path}; for postgres {@code url}, {@code
   *     user}, {@code password}, {@code schema}
   */
  Store open(Map<String, String> settings);
}
