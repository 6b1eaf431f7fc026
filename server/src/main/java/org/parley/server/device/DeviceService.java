package org.parley.server.device;

import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.ProtocolException;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.delivery.DeliveryBus;
import org.parley.server.delivery.DeliveryEvent;

/** Removing a device of the caller's own account. */
public final class DeviceService {
  private final DeviceStore devices;
  private final DeliveryBus bus;
  /** Serializes removals per account on this node, so two of them cannot remove the last two. */
  private final Object[] removalLocks = new Object[64];

  public DeviceService(DeviceStore devices, DeliveryBus bus) {
    this.devices = devices;
    this.bus = bus;
    for (int i = 0; i < removalLocks.length; i++) {
      removalLocks[i] = new Object();
    }
  }

  public void remove(AuthenticatedDevice caller, DeviceId deviceId) {
    AccountId account = caller.accountId();
    Object lock = removalLocks[Math.floorMod(account.hashCode(), removalLocks.length)];
    synchronized (lock) {
      var current = devices.devices(account);
      if (current.stream().noneMatch(d -> d.id().equals(deviceId))) {
        throw new ProtocolException(ErrorCode.UNKNOWN_DEVICE, "no such device in your account");
      }
      if (current.size() == 1) {
        throw new ProtocolException(ErrorCode.LAST_DEVICE, "the last device of an account cannot be removed");
      }
      if (!devices.remove(account, deviceId)) {
        throw new ProtocolException(ErrorCode.UNKNOWN_DEVICE, "no such device in your account");
      }
    }
    bus.publish(new DeliveryEvent.DeviceRemoved(account, deviceId));
    bus.publish(new DeliveryEvent.DevicesChanged(account));
  }
}
