package org.parley.client;

import java.util.List;
import java.util.Map;
import org.parley.client.kt.KeyTransparency;
import org.parley.client.store.DeviceRecord;
import org.parley.client.transport.ServerApi;
import org.parley.client.trust.TrustedKeys;
import org.parley.crypto.RemoteAddress;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.account.Credentials;

/** The collaborators of a device that belongs to an account, wired once per {@link LocalDevice}. */
record Session(
    AccountId account,
    DeviceId device,
    Handle handle,
    ServerApi api,
    Directory directory,
    Fanout fanout,
    EnvelopeProcessor processor,
    KeyTransparency kt,
    Sending sending,
    Groups groups,
    GroupSender groupSender,
    Sealing sealing,
    ChatReceiver chat) {

  static Session open(LocalDevice local, DeviceRecord.Active r) {
    AccountId account = r.accountId();
    DeviceId device = r.deviceId();
    Handle handle = r.handle();
    ServerApi api =
        new ServerApi(r.server(), local.http.get(), new Credentials(account, device, r.password()));
    RemoteAddress self = new RemoteAddress(account, device);
    TrustedKeys trusted = new TrustedKeys(local.db, local.crypto);
    KeyTransparency kt =
        new KeyTransparency(
            api,
            local.db,
            account,
            trusted,
            System::currentTimeMillis,
            new OwnListNotices(api, local.contacts, local.notices, account, device, handle));
    Directory directory =
        new Directory(
            api,
            local.contacts,
            local.trust,
            trusted,
            self,
            handle,
            local.crypto.identityKey(),
            kt,
            local.notices,
            local.crypto::hasSessions);
    Sealing sealing =
        new Sealing(
            api,
            new org.parley.client.store.SealedStore(local.db),
            local.http::sealed,
            local.crypto,
            self,
            handle);
    Fanout fanout = new Fanout(api, local.crypto, directory, self, local.db, sealing);
    Groups groups =
        new Groups(local.db, local.crypto, directory, fanout, trusted, account, device, handle);
    ChatReceiver chat = new ChatReceiver(local.history, local.chat);
    GroupSender groupSender =
        new GroupSender(
            groups, local.db, local.crypto, directory, fanout, api, chat, account, device, sealing);
    EnvelopeProcessor processor =
        new EnvelopeProcessor(
            local.db,
            local.crypto,
            local.history,
            trusted,
            directory,
            kt,
            account,
            device,
            handle,
            new GroupReceiver(groups, local.crypto, account, chat),
            sealing,
            chat,
            local.chat);
    Sending sending =
        new Sending(
            local.db,
            local.history,
            directory,
            fanout,
            account,
            handle,
            device.value(),
            sealing::readyCredential,
            target ->
                nothingSent(
                    directory, kt, Handle.of(target.handle()), AccountId.of(target.accountId())),
            local.chat,
            chat);
    return new Session(
        account,
        device,
        handle,
        api,
        directory,
        fanout,
        processor,
        kt,
        sending,
        groups,
        groupSender,
        sealing,
        chat);
  }

  /**
   * Every device of the peer was withheld: nothing is sent, and the send fails saying why; an alarm
   * if an open one explains it (the server offers only devices the log refutes).
   */
  private static ClientException nothingSent(
      Directory directory, KeyTransparency kt, Handle peer, AccountId account) {
    Map<Integer, String> refused = directory.refusedDevices(account);
    String why =
        "Nothing was sent to "
            + peer
            + ": "
            + (refused.isEmpty()
                ? "it has no device this device can encrypt to"
                : String.join(
                    "; ",
                    refused.entrySet().stream()
                        .map(e -> "device " + e.getKey() + " was withheld (" + e.getValue() + ")")
                        .toList()));
    List<KtAlarm> open = kt.openAlarms(peer.value());
    return open.isEmpty() ? new ClientException(why) : new KtAlarmException(why, open.getLast());
  }
}
