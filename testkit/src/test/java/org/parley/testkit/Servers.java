package org.parley.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Server processes for one test, each on fresh storage under a directory of its own:
 *
 * <pre>{@code
 * @RegisterExtension final Servers servers = new Servers();
 * ServerProcess server = servers.start(Backend.SQLITE, "--misbehave");
 * }</pre>
 *
 * Every server it started is stopped (its PostgreSQL schema dropped) when the test ends, whatever
 * the outcome; when the test fails, each server's console output is printed beside the failure,
 * since that is where an unexpected server-side error shows.
 */
public final class Servers implements AfterTestExecutionCallback, AfterEachCallback {
  private final List<ServerProcess> started = new ArrayList<>();
  private Path root;

  /** Starts a server on fresh storage of {@code backend}, with more ServerMain options. */
  public synchronized ServerProcess start(Backend backend, String... options) {
    ServerProcess server =
        ServerProcess.start(backend, dataDir("server-" + started.size()), List.of(options));
    started.add(server);
    return server;
  }

  /** A fresh directory for this test's other files (client profiles, copies). */
  public synchronized Path dataDir(String name) {
    try {
      if (root == null) {
        root = Files.createTempDirectory("parley-it");
      }
      return Files.createDirectories(root.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      for (ServerProcess server : started) {
        System.err.printf(
            "---- %s: console of the server at %s ----%n%s%n",
            context.getDisplayName(), server.uri(), server.log());
      }
    }
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) {
    for (ServerProcess server : started) {
      server.close();
    }
    started.clear();
    if (root != null) {
      try (var files = Files.walk(root)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a leftover temp dir is harmless
      }
      root = null;
    }
  }
}
