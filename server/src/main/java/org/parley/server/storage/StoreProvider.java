package org.parley.server.storage;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Opens a {@link Store} chosen by name in the configuration ({@code store: sqlite|postgres}).
 * Backends register through {@link java.util.ServiceLoader}, so the server core never imports one:
 * they are the modules store-sqlite and store-postgres, and a server runs whichever of them are on
 * its class path.
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

  /**
   * The provider registered under {@code name} on this class path.
   *
   * @throws IllegalArgumentException if there is none, naming those there are (a message for the
   *     operator)
   */
  static StoreProvider named(String name) {
    List<StoreProvider> available =
        ServiceLoader.load(StoreProvider.class).stream().map(ServiceLoader.Provider::get).toList();
    return available.stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    available.isEmpty()
                        // the server module alone: its backends are modules of their own
                        ? "unknown store '"
                            + name
                            + "': no storage backend is on the class path (add parley-store-"
                            + "sqlite or parley-store-postgres)"
                        : "unknown store '"
                            + name
                            + "'; available: "
                            + available.stream()
                                .map(StoreProvider::name)
                                .collect(Collectors.joining(", "))));
  }
}
