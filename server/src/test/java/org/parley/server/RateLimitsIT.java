package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.parley.protocol.keys.DeviceBundle;
import org.parley.protocol.keys.KeyCounts;
import org.parley.protocol.keys.PreKeyBundles;

/**
 * The rate limits (issue 8, item 11; docs/spec/api.md, "Rate limits"), each on a real server
 * started with a small limit: the request one past it is {@code 429 rate_limited} with a
 * Retry-After, and another caller or target is unaffected. One-time prekeys are not refused but
 * withheld: past their budget a bundle still comes, with the last-resort keys only.
 */
class RateLimitsIT {
  @Test
  void sendsPerPairThenAnotherRecipientAndAnotherSenderStillGetThrough() {
    try (TestServer server = TestServer.start(c -> c.withLimit("sends-per-pair-per-minute", 3))) {
      TestDevice alice = server.register();
      TestDevice bob = server.register();
      TestDevice carol = server.register();
      Supplier<Response> toBob =
          () -> MessagesIT.send(server, alice, bob.accountId, MessagesIT.message(bob, "hi"));
      for (int i = 0; i < 3; i++) {
        assertThat(toBob.get().status()).isEqualTo(200);
      }
      assertLimited(toBob.get());
      assertThat(MessagesIT.fetch(server, bob).envelopes())
          .as("nothing stored past the limit")
          .hasSize(3);
      assertThat(
              MessagesIT.send(server, alice, carol.accountId, MessagesIT.message(carol, "hi"))
                  .status())
          .isEqualTo(200);
      assertThat(
              MessagesIT.send(server, carol, bob.accountId, MessagesIT.message(bob, "hi")).status())
          .isEqualTo(200);
    }
  }

  @Test
  void sendsPerSenderWhateverTheRecipient() {
    try (TestServer server = TestServer.start(c -> c.withLimit("sends-per-sender-per-minute", 2))) {
      TestDevice alice = server.register();
      TestDevice bob = server.register();
      TestDevice carol = server.register();
      TestDevice dave = server.register();
      assertThat(
              MessagesIT.send(server, alice, bob.accountId, MessagesIT.message(bob, "1")).status())
          .isEqualTo(200);
      assertThat(
              MessagesIT.send(server, alice, carol.accountId, MessagesIT.message(carol, "2"))
                  .status())
          .isEqualTo(200);
      assertLimited(MessagesIT.send(server, alice, dave.accountId, MessagesIT.message(dave, "3")));
      assertThat(
              MessagesIT.send(server, bob, dave.accountId, MessagesIT.message(dave, "4")).status())
          .isEqualTo(200);
    }
  }

  @Test
  void handleLookupsPerCaller() {
    try (TestServer server = TestServer.start(c -> c.withLimit("handle-lookups-per-minute", 2))) {
      TestDevice alice = server.register();
      TestDevice bob = server.register();
      String missing = "/v1/handles/" + TestServer.handle("nobody-" + System.nanoTime()).value();
      assertThat(server.get(missing, alice.credentials()).status()).isEqualTo(404);
      assertThat(server.get(missing, alice.credentials()).status()).isEqualTo(404);
      assertLimited(server.get(missing, alice.credentials()));
      assertThat(server.get(missing, bob.credentials()).status()).isEqualTo(404);
    }
  }

  @Test
  void deviceListsOfOthersPerCaller() {
    try (TestServer server = TestServer.start(c -> c.withLimit("device-lists-per-minute", 2))) {
      TestDevice alice = server.register();
      TestDevice bob = server.register();
      String bobs = "/v1/accounts/" + bob.accountId + "/devices";
      assertThat(server.get(bobs, alice.credentials()).status()).isEqualTo(200);
      assertThat(server.get(bobs, alice.credentials()).status()).isEqualTo(200);
      assertLimited(server.get(bobs, alice.credentials()));
      // one's own list is not counted
      assertThat(
              server
                  .get("/v1/accounts/" + alice.accountId + "/devices", alice.credentials())
                  .status())
          .isEqualTo(200);
      assertThat(server.get("/v1/accounts/me", alice.credentials()).status()).isEqualTo(200);
      assertThat(server.get(bobs, bob.credentials()).status()).isEqualTo(200);
      assertThat(
              server
                  .get("/v1/accounts/" + alice.accountId + "/devices", bob.credentials())
                  .status())
          .isEqualTo(200);
    }
  }

  @Test
  void keyFetchesPerCallerWhateverTheTarget() {
    try (TestServer server =
        TestServer.start(c -> c.withLimit("key-fetches-per-caller-per-hour", 2))) {
      TestDevice alice = server.register(3, 3);
      TestDevice bob = server.register(3, 3);
      TestDevice carol = server.register(3, 3);
      TestDevice dave = server.register(3, 3);
      assertThat(server.get("/v1/keys/" + bob.accountId + "/*", alice.credentials()).status())
          .isEqualTo(200);
      assertThat(server.get("/v1/keys/" + carol.accountId + "/*", alice.credentials()).status())
          .isEqualTo(200);
      assertLimited(server.get("/v1/keys/" + dave.accountId + "/*", alice.credentials()));
      assertThat(server.get("/v1/keys/" + dave.accountId + "/*", bob.credentials()).status())
          .isEqualTo(200);
    }
  }

  /**
   * Bundles that come with a device list ({@code ?bundles=all}) are the same fetch: they spend the
   * same key-fetch tokens and one-time-key budgets, and past a fetch limit the list comes without
   * them (nothing taken), so that the separate fetch gets the 429.
   */
  @Test
  void bundlesWithADeviceListCountAsKeyFetches() {
    try (TestServer server =
        TestServer.start(
            c ->
                c.withLimit("key-fetches-per-pair-per-hour", 2)
                    .withLimit("one-time-keys-per-pair-per-hour", 1))) {
      TestDevice alice = server.register(5, 5);
      TestDevice bob = server.register(5, 5);
      String list = "/v1/accounts/" + bob.accountId + "/devices?bundles=all";
      Response first = server.get(list, alice.credentials());
      assertThat(first.status()).as(first.body()).isEqualTo(200);
      org.parley.protocol.account.DeviceList withBundles =
          first.as(org.parley.protocol.account.DeviceList.class);
      assertThat(withBundles.bundles()).hasSize(1);
      assertThat(withBundles.bundles().getFirst().preKey()).isNotNull();
      assertThat(counts(server, bob)).isEqualTo(new KeyCounts(4, 4));
      // the pair's one-time budget is spent by the list's bundle, as by a fetch
      assertThat(bundle(server, alice, bob).preKey()).isNull();
      // and so is the pair's second fetch token: the list comes, without bundles, taking nothing
      Response past = server.get(list, alice.credentials());
      assertThat(past.status()).as(past.body()).isEqualTo(200);
      assertThat(past.as(org.parley.protocol.account.DeviceList.class).bundles()).isNull();
      assertThat(past.json().has("bundles")).isFalse();
      assertThat(counts(server, bob)).isEqualTo(new KeyCounts(4, 4));
      assertLimited(server.get("/v1/keys/" + bob.accountId + "/*", alice.credentials()));
    }
  }

  @Test
  void oneTimeKeysPerCallerAndDeviceAreWithheldNotDrained() {
    try (TestServer server =
        TestServer.start(c -> c.withLimit("one-time-keys-per-pair-per-hour", 2))) {
      TestDevice alice = server.register(5, 5);
      TestDevice bob = server.register(5, 5);
      TestDevice carol = server.register(5, 5);
      assertThat(bundle(server, alice, bob).preKey()).isNotNull();
      assertThat(bundle(server, alice, bob).preKey()).isNotNull();
      DeviceBundle withheld = bundle(server, alice, bob);
      assertThat(withheld.preKey()).as("past the budget: no one-time EC key").isNull();
      assertThat(counts(server, bob))
          .as("nothing taken past the budget")
          .isEqualTo(new KeyCounts(3, 3));
      DeviceBundle again = bundle(server, alice, bob);
      assertThat(again.kyberPreKey().keyId())
          .as("the last-resort Kyber key, which stays")
          .isEqualTo(withheld.kyberPreKey().keyId());
      assertThat(bundle(server, carol, bob).preKey())
          .as("another caller still gets one")
          .isNotNull();
      assertThat(bundle(server, alice, carol).preKey()).as("and from another target").isNotNull();
    }
  }

  @Test
  void oneTimeKeysPerDeviceForAllCallersTogether() {
    try (TestServer server =
        TestServer.start(c -> c.withLimit("one-time-keys-per-device-per-hour", 2))) {
      TestDevice bob = server.register(5, 5);
      TestDevice carol = server.register(5, 5);
      assertThat(bundle(server, server.register(), bob).preKey()).isNotNull();
      assertThat(bundle(server, server.register(), bob).preKey()).isNotNull();
      assertThat(bundle(server, server.register(), bob).preKey()).isNull();
      assertThat(counts(server, bob)).isEqualTo(new KeyCounts(3, 3));
      assertThat(bundle(server, server.register(), carol).preKey()).isNotNull();
    }
  }

  private static DeviceBundle bundle(TestServer server, TestDevice caller, TestDevice target) {
    Response r = server.get("/v1/keys/" + target.accountId + "/1", caller.credentials());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.as(PreKeyBundles.class).devices().getFirst();
  }

  private static KeyCounts counts(TestServer server, TestDevice device) {
    return server.get("/v1/keys/status", device.credentials()).as(KeyCounts.class);
  }

  static void assertLimited(Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(429);
    assertThat(r.code()).isEqualTo("rate_limited");
    assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow())).isPositive();
  }
}
