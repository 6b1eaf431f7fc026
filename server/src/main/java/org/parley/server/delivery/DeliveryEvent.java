package org.parley.server.delivery;

import java.util.List;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.server.message.StoredEnvelope;

/**
 * What one node tells every node (itself included) so that the node holding a device's WebSocket
 * can act. Events carry identifiers only; connections read the details from storage.
 */
public sealed interface DeliveryEvent {
  /**
   * New envelopes were committed to the device's queue. {@code committed} holds them, in seq order,
   * when the event never leaves this process, so the device's connection pushes them from memory;
   * it is empty when the connection must read the queue (an event from another node, or one whose
   * envelopes it did not carry).
   */
  record EnvelopesAvailable(AccountId accountId, DeviceId deviceId, List<StoredEnvelope> committed)
      implements DeliveryEvent {
    public EnvelopesAvailable {
      committed = List.copyOf(committed);
    }

    /** Read the queue: the event does not carry the envelopes. */
    public EnvelopesAvailable(AccountId accountId, DeviceId deviceId) {
      this(accountId, deviceId, List.of());
    }
  }

  /**
   * An ephemeral envelope for the device (docs/spec/api.md, "Ephemeral messages"): pushed if the
   * device is connected, else dropped; never stored.
   */
  record Ephemeral(
      AccountId accountId, DeviceId deviceId, org.parley.protocol.message.Envelope envelope)
      implements DeviceEvent {}

  /** The account's device list changed (a device was linked or removed). */
  record DevicesChanged(AccountId accountId) implements DeliveryEvent {}

  /** The device was removed: close its socket. */
  record DeviceRemoved(AccountId accountId, DeviceId deviceId) implements DeviceEvent {}

  /** The device's one-time prekeys fell below the refill threshold. */
  record KeysLow(AccountId accountId, DeviceId deviceId, int preKeys, int kyberPreKeys)
      implements DeviceEvent {}

  /**
   * The device opened a WebSocket on some node: any older connection of the same device, on any
   * node, is replaced. {@code connectionId} identifies the new one.
   */
  record Connected(AccountId accountId, DeviceId deviceId, String connectionId)
      implements DeviceEvent {}

  /** An event addressed to one device. */
  sealed interface DeviceEvent extends DeliveryEvent {
    AccountId accountId();

    DeviceId deviceId();
  }
}
