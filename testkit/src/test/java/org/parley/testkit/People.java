package org.parley.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.parley.client.DeviceIdentity;
import org.parley.client.ParleyClient;
import org.parley.client.PendingLink;

/**
 * Real client devices (each its own profile directory and SQLite state) against one server; closes
 * them all at the end.
 */
final class People implements AutoCloseable {
  private final ServerProcess server;
  private final Path root;
  private final List<ParleyClient> devices = new ArrayList<>();

  People(ServerProcess server, Path root) {
    this.server = server;
    this.root = root;
  }

  /** Registers a new account; the returned client is its device 1. */
  ParleyClient register(String name) {
    ParleyClient device = open(name + "-1");
    String handle = name + "@" + ServerProcess.DOMAIN;
    device.register(server.uri(), handle, name + " phone");
    awaitPublished(server, device, handle);
    return device;
  }

  /**
   * Registers a new account whose device 1 talks to the server through {@code via} (a relay). It
   * does not wait for the log: the relay's tests count every request the client makes.
   */
  ParleyClient register(String name, java.net.URI via) {
    ParleyClient device = open(name + "-1");
    device.register(via, name + "@" + ServerProcess.DOMAIN, name + " phone");
    return device;
  }

  /**
   * Waits until the log publishes a new account, so that a test's next step (another person's first
   * send to it, a message from it) does not race the server's next epoch: with faster sends, a
   * first send or receive right after a registration came before the log held the account on a
   * loaded machine (PaddedLengthsIT, PublisherLeaseIT, DeviceLifecycleIT in full runs). The client
   * itself waits a few epochs (LogWait); a test must not depend on a loaded machine's epoch.
   */
  private static void awaitPublished(ServerProcess server, ParleyClient device, String handle) {
    long start = System.currentTimeMillis();
    long deadline = start + 60_000;
    for (int tries = 1; ; tries++) {
      try {
        device.verify(handle);
        return;
      } catch (org.parley.client.kt.NotPublishedException
          | org.parley.client.ServerException e) { // not yet, or the lookups' rate limit (429)
        long waited = System.currentTimeMillis() - start;
        if (e instanceof org.parley.client.ServerException s && s.status() != 429) {
          throw new AssertionError(
              "verifying " + handle + " failed after " + waited + " ms (" + tries + " tries)", e);
        }
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError(
              handle
                  + " not in the key-transparency log after "
                  + waited
                  + " ms ("
                  + tries
                  + " tries; last: "
                  + e.getMessage()
                  + "); the server's threads and log:\n"
                  + server.threadDumpAndLogTail(400),
              e);
        }
      }
      try {
        Thread.sleep(250); // about an epoch of the test servers, under the lookups' rate limit
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + handle, e);
      }
    }
  }

  /** Links a new device to {@code existing}'s account, approved by {@code existing}. */
  ParleyClient link(ParleyClient existing, String profile) throws Exception {
    ParleyClient device = open(profile);
    PendingLink pending = device.startLink(server.uri(), profile);
    var expected = existing.identity().orElseThrow().handle();
    CompletableFuture<DeviceIdentity> linked =
        async(() -> device.awaitLink(org.parley.client.LinkConsent.expecting(expected)));
    existing.approveLink(pending.uri());
    linked.get(60, TimeUnit.SECONDS);
    return device;
  }

  /** Runs {@code work} on its own daemon thread (the common pool may have a single thread here). */
  static <T> CompletableFuture<T> async(java.util.function.Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                result.complete(work.get());
              } catch (Throwable t) {
                result.completeExceptionally(t);
              }
            },
            "testkit-async");
    thread.setDaemon(true);
    thread.start();
    return result;
  }

  /** Where profile {@code profile} keeps its state. */
  Path profile(String profile) {
    return root.resolve(profile);
  }

  /** Opens (or reopens, after a restart) the device in profile directory {@code profile}. */
  ParleyClient open(String profile) {
    ParleyClient device = ParleyClient.open(root.resolve(profile));
    devices.add(device);
    return device;
  }

  @Override
  public void close() {
    for (ParleyClient device : devices) {
      try {
        device.close();
      } catch (RuntimeException e) {
        // closing the rest matters more
      }
    }
  }
}
