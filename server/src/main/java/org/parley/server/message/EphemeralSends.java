package org.parley.server.message;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.ErrorResponse;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.message.EnvelopeType;
import org.parley.protocol.message.GroupRecipient;
import org.parley.protocol.message.GroupSendRequest;
import org.parley.protocol.message.GroupSendResponse;
import org.parley.protocol.message.OutgoingMessage;
import org.parley.protocol.message.RecipientDevice;
import org.parley.protocol.message.RefusedRecipient;
import org.parley.protocol.message.SendRequest;
import org.parley.protocol.message.SendResponse;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.delivery.DeliveryBus;
import org.parley.server.delivery.DeliveryEvent;
import org.parley.server.device.Device;
import org.parley.server.device.DeviceStore;
import org.parley.server.http.ApiException;
import org.parley.server.http.RateLimiter;

/**
 * Ephemeral messages (docs/spec/api.md, "Ephemeral messages"): typing indicators, which matter only
 * while both sides are online. Checked like any send (the same stale-device answer), then pushed to
 * the recipient devices connected at that moment and dropped for the rest: nothing is written to
 * storage, so nothing of them is left to delete. Their envelope ids start with {@value
 * Envelope#EPHEMERAL_ID_PREFIX}, so a client never acknowledges one.
 */
public final class EphemeralSends {
  private final DeviceStore devices;
  private final DeliveryBus bus;
  private final Clock clock;
  private final RateLimiter perSender;

  /** {@code perSenderPerMinute}: the limit of ordinary sends, counted apart from them. */
  public EphemeralSends(DeviceStore devices, DeliveryBus bus, Clock clock, int perSenderPerMinute) {
    this.devices = devices;
    this.bus = bus;
    this.clock = clock;
    this.perSender = new RateLimiter(perSenderPerMinute, Duration.ofMinutes(1), clock);
  }

  public SendResponse send(AuthenticatedDevice sender, AccountId recipient, SendRequest request) {
    perSender.acquire(sender.accountId().value());
    long now = clock.millis();
    Map<Integer, Integer> requested = new HashMap<>();
    for (OutgoingMessage m : request.messages()) {
      requested.put(m.deviceId().value(), m.registrationId());
    }
    DeviceId excluded = recipient.equals(sender.accountId()) ? sender.deviceId() : null;
    Stale stale = check(recipient, excluded, requested, Set.copyOf(request.withheldDevices()));
    if (stale != null) {
      if (stale.unknown()) {
        throw new org.parley.protocol.ProtocolException(
            ErrorCode.UNKNOWN_ACCOUNT, "no such account");
      }
      throw new ApiException(
          ErrorCode.STALE_DEVICES,
          ErrorResponse.staleDevices(stale.missing(), stale.extra(), stale.stale()),
          Map.of());
    }
    for (OutgoingMessage m : request.messages()) {
      push(sender, recipient, m.deviceId(), m.type(), request.timestamp(), now, m.content());
    }
    return new SendResponse(now, request.messages().size());
  }

  public GroupSendResponse sendToGroup(AuthenticatedDevice sender, GroupSendRequest request) {
    perSender.acquire(sender.accountId().value());
    long now = clock.millis();
    int pushed = 0;
    List<RefusedRecipient> refused = new ArrayList<>();
    for (GroupRecipient r : request.recipients()) {
      Map<Integer, Integer> requested = new HashMap<>();
      for (RecipientDevice d : r.devices()) {
        requested.put(d.deviceId().value(), d.registrationId());
      }
      DeviceId excluded = r.accountId().equals(sender.accountId()) ? sender.deviceId() : null;
      Stale stale = check(r.accountId(), excluded, requested, Set.copyOf(r.withheldDevices()));
      if (stale != null) {
        refused.add(
            stale.unknown()
                ? new RefusedRecipient(r.accountId(), ErrorCode.UNKNOWN_ACCOUNT, null, null, null)
                : new RefusedRecipient(
                    r.accountId(),
                    ErrorCode.STALE_DEVICES,
                    stale.missing(),
                    stale.extra(),
                    stale.stale()));
        continue;
      }
      for (RecipientDevice d : r.devices()) {
        push(
            sender,
            r.accountId(),
            d.deviceId(),
            request.type(),
            request.timestamp(),
            now,
            request.content());
        pushed++;
      }
    }
    return new GroupSendResponse(now, pushed, refused);
  }

  private void push(
      AuthenticatedDevice sender,
      AccountId account,
      DeviceId device,
      EnvelopeType type,
      long timestamp,
      long now,
      byte[] content) {
    bus.publish(
        new DeliveryEvent.Ephemeral(
            account,
            device,
            new Envelope(
                Envelope.EPHEMERAL_ID_PREFIX + UUID.randomUUID(),
                sender.accountId(),
                sender.account().handle(),
                sender.deviceId(),
                type,
                timestamp,
                now,
                content)));
  }

  /** What is off in a send's device list, as for stored sends; null if nothing is. */
  private record Stale(
      boolean unknown, List<Integer> missing, List<Integer> extra, List<Integer> stale) {}

  private Stale check(
      AccountId account,
      DeviceId excluded,
      Map<Integer, Integer> requested,
      Set<DeviceId> withheld) {
    List<Device> current = devices.devices(account);
    if (current.isEmpty()) {
      return new Stale(true, List.of(), List.of(), List.of());
    }
    Map<Integer, Integer> registered = new HashMap<>();
    current.forEach(d -> registered.put(d.id().value(), d.registrationId()));
    List<Integer> missing = new ArrayList<>();
    List<Integer> extra = new ArrayList<>();
    List<Integer> stale = new ArrayList<>();
    for (int device : registered.keySet()) {
      boolean isExcluded = excluded != null && device == excluded.value();
      if (!isExcluded
          && !requested.containsKey(device)
          && !withheld.contains(DeviceId.of(device))) {
        missing.add(device);
      }
    }
    requested.forEach(
        (device, registrationId) -> {
          Integer known = registered.get(device);
          if (known == null || (excluded != null && device == excluded.value())) {
            extra.add(device);
          } else if (!known.equals(registrationId)) {
            stale.add(device);
          }
        });
    if (missing.isEmpty() && extra.isEmpty() && stale.isEmpty()) {
      return null;
    }
    missing.sort(null);
    extra.sort(null);
    stale.sort(null);
    return new Stale(false, missing, extra, stale);
  }
}
