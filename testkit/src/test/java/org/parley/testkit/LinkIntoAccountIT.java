package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientException;
import org.parley.client.DeviceIdentity;
import org.parley.client.DeviceSummary;
import org.parley.client.LinkConsent;
import org.parley.client.LinkOffer;
import org.parley.client.ParleyClient;
import org.parley.client.PendingLink;
import org.parley.protocol.Handle;

/**
 * Issue 8 item 5: a link code approved by another account than the one meant does not make the new
 * device part of it. The new device is shown the approving account (as the approver signed it) and
 * accepts or declines; until it accepts, the approving account has no new device, and a declined
 * link never gives it one.
 */
class LinkIntoAccountIT {
  @RegisterExtension final Servers servers = new Servers();

  private static final Handle BOB = Handle.of("bob@" + ServerProcess.DOMAIN);

  @TempDir Path dir;

  @Test
  void aCodeApprovedIntoTheWrongAccountIsDeclinedAndOnlyTheRightOneIsJoined() throws Exception {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient bob = people.register("bob");
      ParleyClient carol = people.register("carol");

      // carol approves the code of a device meant for bob; it expects bob and declines
      ParleyClient laptop = people.open("bob-laptop");
      PendingLink pending = laptop.startLink(server.uri(), "laptop");
      AtomicReference<LinkOffer> shown = new AtomicReference<>();
      CompletableFuture<DeviceIdentity> waiting =
          People.async(
              () ->
                  laptop.awaitLink(
                      offer -> {
                        shown.set(offer);
                        return LinkConsent.expecting(BOB).refusal(offer);
                      }));
      carol.approveLink(pending.uri());

      assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(ClientException.class)
          .hasMessageContaining("approved by a device of carol@example.org, not of bob@example.org")
          .hasMessageContaining("declined");
      // what the new device was shown is carol's account and her approving device's key
      DeviceIdentity carolPhone = carol.identity().orElseThrow();
      assertThat(shown.get().handle()).isEqualTo(carolPhone.handle());
      assertThat(shown.get().accountId()).isEqualTo(carolPhone.accountId());
      assertThat(shown.get().approverFingerprint()).isEqualTo(carolPhone.fingerprint());
      assertThat(laptop.identity()).isEmpty();
      assertThat(carol.devices()).extracting(DeviceSummary::deviceId).containsExactly(1);
      assertThat(bob.send("carol@example.org", "only carol's phone").recipientDevices())
          .isEqualTo(1);

      // a "no" declines just the same
      ParleyClient tablet = people.open("tablet");
      PendingLink second = tablet.startLink(server.uri(), "tablet");
      CompletableFuture<DeviceIdentity> refused =
          People.async(() -> tablet.awaitLink(offer -> Optional.of("you answered no")));
      carol.approveLink(second.uri());
      assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(ClientException.class)
          .hasMessageContaining("you answered no");
      assertThat(carol.devices()).extracting(DeviceSummary::deviceId).containsExactly(1);
      assertThat(tablet.identity()).isEmpty();

      // the same profile starts again, bob approves, and it joins bob
      PendingLink again = laptop.startLink(server.uri(), "laptop");
      CompletableFuture<DeviceIdentity> joining =
          People.async(() -> laptop.awaitLink(LinkConsent.expecting(BOB)));
      bob.approveLink(again.uri());
      DeviceIdentity joined = joining.get(60, TimeUnit.SECONDS);
      assertThat(joined.handle()).isEqualTo(BOB);
      assertThat(joined.deviceId().value()).isEqualTo(2);
      assertThat(bob.devices()).extracting(DeviceSummary::deviceId).containsExactly(1, 2);
      assertThat(laptop.keyTransparencyAlarms()).isEmpty();
      assertThat(carol.send("bob@example.org", "to both").recipientDevices()).isEqualTo(2);
      assertThat(laptop.receive()).isNotEmpty();
    }
  }

  @Test
  void approvedIsNotYetADevice() throws Exception {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient bob = people.register("bob");
      ParleyClient laptop = people.open("bob-laptop");
      PendingLink pending = laptop.startLink(server.uri(), "laptop");
      java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
      CompletableFuture<DeviceIdentity> waiting =
          People.async(
              () ->
                  laptop.awaitLink(
                      offer -> {
                        asked.countDown();
                        try {
                          answer.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        return Optional.empty();
                      }));
      bob.approveLink(pending.uri());
      assertThat(asked.await(30, TimeUnit.SECONDS)).isTrue();

      // while the new device has not answered, the account has no new device
      assertThat(bob.devices()).extracting(DeviceSummary::deviceId).containsExactly(1);
      assertThat(people.register("carol").send("bob@example.org", "hi").recipientDevices())
          .isEqualTo(1);

      answer.countDown();
      assertThat(waiting.get(60, TimeUnit.SECONDS).deviceId().value()).isEqualTo(2);
      assertThat(bob.devices()).extracting(DeviceSummary::deviceId).containsExactly(1, 2);
      assertThat(List.of(bob.keyTransparencyAlarms(), laptop.keyTransparencyAlarms()))
          .allMatch(List::isEmpty);
    }
  }
}
