package org.parley.server.device;

import java.util.function.Consumer;
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
  private final Consumer<AccountId> ktChanged;

  /**
   * @param ktChanged told of each account a device left (the key-transparency log proves the new
   *     version ahead of the epoch)
   */
  public DeviceService(DeviceStore devices, DeliveryBus bus, Consumer<AccountId> ktChanged) {
    this.devices = devices;
    this.bus = bus;
    this.ktChanged = ktChanged;
  }

  public void remove(AuthenticatedDevice caller, DeviceId deviceId) {
    AccountId account = caller.accountId();
    switch (devices.remove(account, deviceId)) {
      case REMOVED -> {}
      case NO_SUCH_DEVICE ->
          throw new ProtocolException(ErrorCode.UNKNOWN_DEVICE, "no such device in your account");
      case LAST_DEVICE ->
          throw new ProtocolException(
              ErrorCode.LAST_DEVICE, "the last device of an account cannot be removed");
    }
    bus.publish(new DeliveryEvent.DeviceRemoved(account, deviceId));
    bus.publish(new DeliveryEvent.DevicesChanged(account));
    ktChanged.accept(account);
  }
}
