package org.parley.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.client.store.MessageHistory;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;

/**
 * Records device changes the log proved (see {@link DeviceNotice}) in the history, once each, and
 * keeps the new ones until the operation that found them reports them as events.
 */
final class DeviceNotices {
  private final MessageHistory history;
  private final List<ClientEvent> pending = new ArrayList<>();

  DeviceNotices(MessageHistory history) {
    this.history = history;
  }

  /** Records a change unless it was recorded before; a new one becomes an event. */
  synchronized void record(
      Handle handle,
      AccountId account,
      boolean ownAccount,
      DeviceNotice.Change change,
      DeviceId device,
      byte[] identityKey,
      Optional<String> name,
      long version) {
    String known =
        name.or(() -> history.noticedName(account.value(), device.value(), identityKey))
            .orElse(null);
    history
        .addNotice(
            new MessageHistory.NewNotice(
                handle.value(),
                account.value(),
                ownAccount,
                change,
                device.value(),
                identityKey,
                known,
                version))
        .ifPresent(notice -> pending.add(new ClientEvent.DeviceChanged(notice)));
  }

  /** The events of the changes recorded since the last call. */
  synchronized List<ClientEvent> drain() {
    List<ClientEvent> out = List.copyOf(pending);
    pending.clear();
    return out;
  }
}
