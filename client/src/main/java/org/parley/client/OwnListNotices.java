package org.parley.client;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.client.kt.KeyTransparency;
import org.parley.client.store.ContactStore;
import org.parley.client.transport.ServerApi;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.account.DeviceInfo;
import org.parley.protocol.kt.DeviceListValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owner monitoring verified a new version of this account's list: the devices it added (approved by
 * a device of the account) and removed are told, but this device's own joining. Names come from the
 * server's directory, which does not prove them.
 */
final class OwnListNotices implements KeyTransparency.OwnListChanges {
  private static final Logger log = LoggerFactory.getLogger(OwnListNotices.class);

  private final ServerApi api;
  private final ContactStore contacts;
  private final DeviceNotices notices;
  private final AccountId account;
  private final DeviceId me;
  private final Handle handle;

  OwnListNotices(
      ServerApi api,
      ContactStore contacts,
      DeviceNotices notices,
      AccountId account,
      DeviceId me,
      Handle handle) {
    this.api = api;
    this.contacts = contacts;
    this.notices = notices;
    this.account = account;
    this.me = me;
    this.handle = handle;
  }

  @Override
  public void changed(
      long version, List<DeviceListValue.Entry> added, List<DeviceListValue.Entry> removed) {
    Map<Integer, DeviceInfo> listed = new HashMap<>();
    if (added.stream().anyMatch(e -> !e.deviceId().equals(me))) {
      try {
        api.me().devices().forEach(d -> listed.put(d.deviceId().value(), d));
      } catch (ClientException e) {
        log.debug("no device names for the notices: {}", e.getMessage());
      }
    }
    contacts
        .byAccount(account.value())
        .ifPresent(
            c ->
                c.devices()
                    .forEach(
                        d ->
                            listed.putIfAbsent(
                                d.deviceId(),
                                new DeviceInfo(
                                    DeviceId.of(d.deviceId()),
                                    d.name(),
                                    d.registrationId(),
                                    d.identityKey(),
                                    0))));
    for (var e : added) {
      if (!e.deviceId().equals(me)) {
        notices.record(
            handle,
            account,
            true,
            DeviceNotice.Change.ADDED,
            e.deviceId(),
            e.identityKey(),
            nameOf(listed.get(e.deviceId().value()), e.identityKey()),
            version);
      }
    }
    for (var e : removed) {
      notices.record(
          handle,
          account,
          true,
          DeviceNotice.Change.REMOVED,
          e.deviceId(),
          e.identityKey(),
          nameOf(listed.get(e.deviceId().value()), e.identityKey()),
          version);
    }
  }

  private static Optional<String> nameOf(DeviceInfo listed, byte[] identityKey) {
    return listed == null || !Arrays.equals(listed.identityKey(), identityKey)
        ? Optional.empty()
        : Optional.ofNullable(listed.name());
  }
}
