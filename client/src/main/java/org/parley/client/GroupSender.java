package org.parley.client;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.parley.client.HistoryEntry.Direction;
import org.parley.client.HistoryEntry.Kind;
import org.parley.client.store.ContactStore.Contact;
import org.parley.client.store.ContactStore.ContactDevice;
import org.parley.client.store.DeviceDatabase;
import org.parley.client.store.GroupStore;
import org.parley.client.store.GroupStore.Held;
import org.parley.client.store.GroupStore.Holder;
import org.parley.client.store.MessageHistory;
import org.parley.client.store.MessageHistory.NewEntry;
import org.parley.client.transport.ServerApi;
import org.parley.content.MessageId;
import org.parley.content.MimiCodec;
import org.parley.content.MimiContent;
import org.parley.content.group.GroupContent;
import org.parley.content.group.GroupControl;
import org.parley.content.group.GroupState;
import org.parley.content.group.Member;
import org.parley.crypto.DeviceCrypto;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.cbor.ByteString;
import org.parley.protocol.message.EnvelopeType;
import org.parley.protocol.message.OutgoingMessage;
import org.parley.protocol.message.SendRequest;

/**
 * Sending a text to a group (docs/spec/groups.md, section 6): the member devices get this device's
 * current chain first where they lack it, a chain some former holder left (removed, or its slot
 * taken by a new key) is replaced, and the text is encrypted once and the same SenderKeyMessage
 * goes to every member device the log proves, one request per member account.
 */
final class GroupSender {
  private static final int ATTEMPTS = 3;

  private final Groups groups;
  private final DeviceDatabase db;
  private final DeviceCrypto crypto;
  private final Directory directory;
  private final Fanout fanout;
  private final ServerApi api;
  private final MessageHistory history;
  private final AccountId account;
  private final DeviceId device;

  GroupSender(
      Groups groups,
      DeviceDatabase db,
      DeviceCrypto crypto,
      Directory directory,
      Fanout fanout,
      ServerApi api,
      MessageHistory history,
      AccountId account,
      DeviceId device) {
    this.groups = groups;
    this.db = db;
    this.crypto = crypto;
    this.directory = directory;
    this.fanout = fanout;
    this.api = api;
    this.history = history;
    this.account = account;
    this.device = device;
  }

  /** What a group send reached: devices per member handle, and what was left out, with why. */
  record Result(String messageId, int devices, List<String> notes) {}

  Result send(String group, String text) {
    if (text.isEmpty()) {
      throw new ClientException("the message is empty");
    }
    Held held = groups.held(group);
    GroupState state = held.state();
    if (state.member(account).isEmpty()) {
      throw new ClientException("you are no longer in " + state.name());
    }
    GroupStore store = groups.store();
    Map<AccountId, Contact> lists = new java.util.LinkedHashMap<>();
    for (Member m : state.members()) {
      lists.put(m.account(), groups.contact(m.account()));
      if (!m.account().equals(account)) {
        // the handle the state shows is an admin's word until the log binds it to the account
        db.deferringSync(() -> directory.requireBinding(m.account(), m.handle()));
      }
    }
    UUID chain = groups.chain(held);
    List<Holder> holders = store.holders(state.id());
    if (holders.stream().anyMatch(h -> !listed(lists, h))) {
      chain = UUID.randomUUID(); // a holder left: nothing more on the chain it holds
      UUID fresh = chain;
      db.inTransaction(
          () -> {
            store.startChain(state.id(), fresh);
            return null;
          });
      holders = List.of();
    }
    byte[] distribution = crypto.senderKeys().distribution(groups.self(), chain);
    Set<Holder> holding = new HashSet<>(holders);
    List<String> notes = new ArrayList<>();
    MimiContent content = groups.text(state, text);
    byte[] encoded = MimiCodec.encode(content);
    MessageId id = MessageId.of(groups.user(), GroupContent.room(state.id()), encoded);
    long timestamp = System.currentTimeMillis();
    // one chain step, committed before the ciphertext leaves (libsignal's state, Fanout's rule)
    byte[] ciphertext = crypto.senderKeys().encrypt(groups.self(), chain, Padding.pad(encoded));
    int devices = 0;
    for (Map.Entry<AccountId, Contact> e : lists.entrySet()) {
      try {
        devices +=
            sendTo(state, e.getKey(), e.getValue(), distribution, holding, ciphertext, timestamp);
      } catch (ClientException failed) {
        notes.add(e.getValue().handle() + ": " + failed.getMessage());
      }
    }
    int reached = devices;
    db.inTransaction(
        () ->
            history.add(
                new NewEntry(
                    GroupInfo.of(state, account).conversation(),
                    Kind.TEXT,
                    Direction.OUT,
                    id.value().toByteArray(),
                    groups.me().value(),
                    device.value(),
                    text,
                    timestamp,
                    null,
                    reached)));
    return new Result(id.hex(), devices, List.copyOf(notes));
  }

  /**
   * The group message to one member account's devices: the chain first to those lacking it, then
   * the ciphertext; a 409 answer (a device added or removed) proves the list again and retries.
   */
  private int sendTo(
      GroupState state,
      AccountId to,
      Contact list,
      byte[] distribution,
      Set<Holder> holding,
      byte[] ciphertext,
      long timestamp) {
    Contact current = list;
    for (int attempt = 1; ; attempt++) {
      List<ContactDevice> targets =
          current.devices().stream()
              .filter(d -> !(to.equals(account) && d.deviceId() == device.value()))
              .filter(d -> !directory.refusedDevices(to).containsKey(d.deviceId()))
              .toList();
      if (targets.isEmpty()) {
        return 0;
      }
      if (targets.stream().anyMatch(d -> !holding.contains(Groups.holder(to, d)))) {
        byte[] control =
            MimiCodec.encode(
                GroupContent.control(
                    groups.user(),
                    state.id(),
                    new GroupControl.Distribution(ByteString.of(distribution))));
        List<Integer> given = fanout.send(current, control, timestamp);
        for (ContactDevice d : targets) {
          if (given.contains(d.deviceId())) {
            Holder h = Groups.holder(to, d);
            db.inTransaction(
                () -> {
                  groups.store().addHolder(state.id(), h);
                  return null;
                });
            holding.add(h);
          }
        }
      }
      List<OutgoingMessage> messages =
          targets.stream()
              .filter(d -> holding.contains(Groups.holder(to, d)))
              .map(
                  d ->
                      new OutgoingMessage(
                          DeviceId.of(d.deviceId()),
                          d.registrationId(),
                          EnvelopeType.SENDER_KEY_MESSAGE,
                          ciphertext))
              .toList();
      if (messages.isEmpty()) {
        throw new ClientException("no device of " + current.handle() + " could be given the key");
      }
      List<DeviceId> withheld =
          current.devices().stream()
              .filter(d -> !(to.equals(account) && d.deviceId() == device.value()))
              .filter(d -> messages.stream().noneMatch(m -> m.deviceId().value() == d.deviceId()))
              .map(d -> DeviceId.of(d.deviceId()))
              .toList();
      List<DeviceId> refused =
          directory.refusedDevices(to).keySet().stream().map(DeviceId::of).toList();
      List<DeviceId> left = new ArrayList<>(withheld);
      refused.stream().filter(r -> !left.contains(r)).forEach(left::add);
      try {
        api.send(to, new SendRequest(messages, timestamp, left));
        return messages.size();
      } catch (ServerException e) {
        if (e.code() != ErrorCode.STALE_DEVICES || attempt >= ATTEMPTS) {
          throw e;
        }
        current = db.deferringSync(() -> directory.refresh(to));
      }
    }
  }

  private static boolean listed(Map<AccountId, Contact> lists, Holder h) {
    Contact c = lists.get(h.account());
    return c != null
        && c.devices().stream()
            .anyMatch(
                d ->
                    d.deviceId() == h.device().value()
                        && java.util.Arrays.equals(d.identityKey(), h.identityKey().toByteArray()));
  }
}
