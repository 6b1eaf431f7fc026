package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.server.MessagesIT.fetch;
import static org.parley.server.MessagesIT.message;
import static org.parley.server.MessagesIT.send;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeviceRemovalIT {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void removalClosesTheSocketRevokesTheCredentialAndTellsTheOtherDevices() throws Exception {
    TestDevice alice = server.register();
    TestDevice alice2 = server.link(alice);
    TestDevice bob = server.register();
    send(server, bob, alice.accountId, message(alice, "1"), message(alice2, "2"));
    try (WsClient ws1 = server.connect(alice.credentials());
        WsClient ws2 = server.connect(alice2.credentials())) {
      ws1.next("envelope");
      ws1.next("queue_empty");
      ws2.next("envelope");
      ws2.next("queue_empty");

      Response r = server.delete("/v1/devices/" + alice2.deviceId, alice.credentials());
      assertThat(r.status()).isEqualTo(204);
      assertThat(ws2.awaitClose()).isEqualTo(4401);
      JsonNodeAssert.type(ws1, "devices_changed");
    }
    Response revoked = server.get("/v1/accounts/me", alice2.credentials());
    assertThat(revoked.status()).isEqualTo(401);
    assertThat(revoked.code()).isEqualTo("unauthorized");
    assertThat(server.upgradeStatus(alice2.credentials())).isEqualTo(401);
    assertThat(server.get("/v1/accounts/me", alice.credentials()).json().path("devices"))
        .hasSize(1);
    // contacts learn at their next send
    Response stale = send(server, bob, alice.accountId, message(alice, "3"), message(alice2, "4"));
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.json().path("extraDevices").toString()).isEqualTo("[" + alice2.deviceId + "]");
    assertThat(fetch(server, alice).envelopes()).hasSize(1);
  }

  @Test
  void aDeviceMayRemoveItselfButNotTheLastOne() {
    TestDevice alice = server.register();
    TestDevice alice2 = server.link(alice);
    assertThat(server.delete("/v1/devices/" + alice2.deviceId, alice2.credentials()).status())
        .isEqualTo(204);
    assertThat(server.get("/v1/accounts/me", alice2.credentials()).status()).isEqualTo(401);

    Response last = server.delete("/v1/devices/1", alice.credentials());
    assertThat(last.status()).isEqualTo(409);
    assertThat(last.code()).isEqualTo("last_device");
    Response unknown = server.delete("/v1/devices/9", alice.credentials());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("unknown_device");
    for (String bad : List.of("x", "+2", "02", "%EF%BC%92")) {
      Response malformed = server.delete("/v1/devices/" + bad, alice.credentials());
      assertThat(malformed.status()).as(bad).isEqualTo(400);
      assertThat(malformed.code()).isEqualTo("invalid_request");
    }
    assertThat(server.get("/v1/accounts/me", alice.credentials()).status()).isEqualTo(200);
  }

  @Test
  void anotherAccountsDeviceCannotBeRemoved() {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    server.link(bob);
    // device 2 exists in bob's account, not in alice's
    Response r = server.delete("/v1/devices/2", alice.credentials());
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.code()).isEqualTo("unknown_device");
    assertThat(server.get("/v1/accounts/me", bob.credentials()).json().path("devices")).hasSize(2);
  }

  /** Small helper so the frame type reads well in the test above. */
  static final class JsonNodeAssert {
    static void type(WsClient ws, String type) throws Exception {
      var frame = ws.next();
      while (frame.path("type").asText().equals("keys_low")) {
        frame = ws.next();
      }
      assertThat(frame.path("type").asText()).isEqualTo(type);
    }
  }
}
