package org.parley.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.parley.client.store.DeviceRecord;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.account.DeviceInfo;
import org.parley.protocol.account.DeviceList;

/** This account's devices: listing and removing them, and whether this one is still among them. */
final class Devices {
  private final LocalDevice local;

  Devices(LocalDevice local) {
    this.local = local;
  }

  /** See {@link ParleyClient#devices()}. */
  List<DeviceSummary> list() {
    return local.locked(
        () -> {
          Session s = local.session();
          DeviceList list = s.api().me();
          s.directory().apply(list);
          List<DeviceSummary> result = new ArrayList<>();
          for (DeviceInfo d : list.devices()) {
            result.add(
                new DeviceSummary(
                    d.deviceId().value(),
                    d.name(),
                    Instant.ofEpochMilli(d.createdAt()),
                    Fingerprints.of(d.identityKey()),
                    d.deviceId().equals(s.device())));
          }
          return result;
        });
  }

  /** See {@link ParleyClient#removeDevice(int)}. */
  void remove(int deviceId) {
    DeviceId id = DeviceId.of(deviceId);
    local.locked(
        () -> {
          Session s = local.session();
          s.api().removeDevice(id);
          if (!id.equals(s.device())) {
            s.directory().retireOwnDevice(id);
            s.directory().apply(s.api().me());
          }
          return null;
        });
  }

  /**
   * Refreshes this account's device list after a {@code devices_changed} frame; the cached list is
   * dropped first, so a failed refresh leaves the next send to prove it again.
   */
  void refreshOwn() {
    Session s = local.session();
    local.locked(
        () -> {
          s.directory().expire(s.account());
          return s.directory().apply(s.api().me());
        });
  }

  /**
   * What {@link ParleyClient#reset} may clear this profile on: no account, a device the server no
   * longer accepts, or (only with {@code force}) an active one.
   */
  ParleyClient.ResetBasis resetBasis(boolean force) {
    if (!(local.records.load().orElse(null) instanceof DeviceRecord.Active record)) {
      return ParleyClient.ResetBasis.NO_ACCOUNT;
    }
    try {
      local.session().api().me();
    } catch (ServerException e) {
      if (e.code() == ErrorCode.UNAUTHORIZED) {
        return ParleyClient.ResetBasis.REMOVED;
      }
      if (!force) {
        throw e;
      }
      return ParleyClient.ResetBasis.FORCED;
    } catch (ServerUnreachableException e) {
      if (!force) {
        throw new ClientException(
            "cannot ask the server whether this device was removed ("
                + e.getMessage()
                + "). Try again when it is reachable, or add --force to clear the"
                + " profile anyway");
      }
      return ParleyClient.ResetBasis.FORCED;
    }
    if (!force) {
      throw new ClientException(
          "this device is still device "
              + record.deviceId()
              + " of "
              + record.handle()
              + "; resetting would lose its keys and history for nothing."
              + " Remove it first (parley devices remove "
              + record.deviceId()
              + "), or add"
              + " --force");
    }
    return ParleyClient.ResetBasis.FORCED;
  }
}
