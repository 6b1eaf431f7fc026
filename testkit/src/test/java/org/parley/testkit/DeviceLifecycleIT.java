package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientEvent;
import org.parley.client.ClientException;
import org.parley.client.DeviceIdentity;
import org.parley.client.DeviceSummary;
import org.parley.client.LinkConsent;
import org.parley.client.ParleyClient;
import org.parley.client.PendingLink;
import org.parley.client.ServerException;
import org.parley.client.UntrustedIdentityException;
import org.parley.protocol.ErrorCode;

/** Devices join only with approval, and a removed device stops at once. */
class DeviceLifecycleIT {
  @RegisterExtension final Servers servers = new Servers();

  @TempDir Path dir;

  @AllBackends
  void linkingWithoutApprovalAddsNothing(Backend backend) throws Exception {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      ParleyClient intruder = people.open("intruder");
      PendingLink pending = intruder.startLink(server.uri(), "not alice's");
      CompletableFuture<DeviceIdentity> waiting =
          People.async(() -> intruder.awaitLink(LinkConsent.any()));

      // nothing is added while the request waits
      assertThat(alice.devices()).extracting(DeviceSummary::deviceId).containsExactly(1);
      assertThat(bob.send("alice@example.org", "only for alice's phone").recipientDevices())
          .isEqualTo(1);
      assertThat(intruder.identity()).isEmpty();

      assertThatThrownBy(intruder::receive).isInstanceOf(ClientException.class);
      assertThat(waiting).isNotDone();
      // still nothing after the others' clients have talked with the server again
      assertThat(alice.receive()).anyMatch(e -> e instanceof ClientEvent.MessageReceived);
      assertThat(alice.devices()).extracting(DeviceSummary::deviceId).containsExactly(1);
      assertThat(waiting).isNotDone();
    }
  }

  @AllBackends
  void aLinkUriWhoseKeyTheServerDoesNotServeIsRefused(Backend backend) throws Exception {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient newDevice = people.open("alice-new");
      PendingLink pending = newDevice.startLink(server.uri(), "new laptop");
      // The URI the new device shows carries its key's fingerprint; a server that swapped in
      // another key (here: the fingerprint of a different device) is caught before approval.
      String otherFingerprint = alice.fingerprint();
      String swapped =
          pending.uri().substring(0, pending.uri().indexOf('#') + 1) + otherFingerprint;

      assertThatThrownBy(() -> alice.approveLink(swapped))
          .isInstanceOf(UntrustedIdentityException.class);
      assertThat(alice.devices()).extracting(DeviceSummary::deviceId).containsExactly(1);
      // the genuine URI still works
      CompletableFuture<DeviceIdentity> waiting =
          People.async(() -> newDevice.awaitLink(LinkConsent.any()));
      alice.approveLink(pending.uri());
      assertThat(waiting.get(60, TimeUnit.SECONDS).deviceId().value()).isEqualTo(2);
    }
  }

  @AllBackends
  void rejectedLinkAddsNothing(Backend backend) throws Exception {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient stranger = people.open("stranger");
      PendingLink pending = stranger.startLink(server.uri(), "stranger");
      CompletableFuture<DeviceIdentity> waiting =
          People.async(() -> stranger.awaitLink(LinkConsent.any()));
      alice.rejectLink(pending.code().value());
      assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(ClientException.class)
          .hasMessageContaining("rejected");
      assertThat(alice.devices()).extracting(DeviceSummary::deviceId).containsExactly(1);
      assertThat(stranger.identity()).isEmpty();
    }
  }

  @AllBackends
  void removedDeviceCanNoLongerConnectOrReceive(Backend backend) throws Exception {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient lostPhone = people.link(alice, "alice-lost");
      ParleyClient bob = people.register("bob");
      assertThat(bob.send("alice@example.org", "to both").recipientDevices()).isEqualTo(2);

      alice.removeDevice(2);

      assertThat(alice.devices()).extracting(DeviceSummary::deviceId).containsExactly(1);
      assertThatThrownBy(lostPhone::receive)
          .isInstanceOf(ServerException.class)
          .satisfies(
              e -> assertThat(((ServerException) e).code()).isEqualTo(ErrorCode.UNAUTHORIZED));
      // bob's cached view had two devices: the server refuses the stale list, bob's client
      // drops the removed device and the message goes to alice's remaining device only
      assertThat(bob.send("alice@example.org", "only to the phone").recipientDevices())
          .isEqualTo(1);
      assertThat(ConversationIT.texts(alice.receive(), ClientEvent.MessageReceived.class))
          .containsExactly("to both", "only to the phone");
      assertThatThrownBy(lostPhone::receive).isInstanceOf(ServerException.class);
    }
  }

  @org.junit.jupiter.api.Test
  void aSendFetchesKeysOnlyForTheDevicesItHasNoSessionWith() throws Exception {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      alice.send("bob@example.org", "to the phone"); // a session with bob's device 1
      for (int i = 2; i <= 5; i++) {
        people.link(bob, "bob-" + i);
      }
      RawApi phone = new RawApi(server.uri(), RawApi.credentialsOf(people.profile("bob-1")));
      String before = phone.get("/v1/keys/status").body();
      assertThat(alice.send("bob@example.org", "to all five").recipientDevices()).isEqualTo(5);
      // four fetches for the four new devices; the phone's one-time keys are untouched
      assertThat(phone.get("/v1/keys/status").body()).isEqualTo(before);
    }
  }
}
