package org.parley.client;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.parley.client.store.ContactStore.Contact;
import org.parley.client.store.ContactStore.ContactDevice;
import org.parley.client.store.DeviceDatabase;
import org.parley.client.store.GroupStore;
import org.parley.client.store.GroupStore.Held;
import org.parley.client.store.GroupStore.Holder;
import org.parley.client.transport.ServerApi;
import org.parley.content.MessageId;
import org.parley.content.MimiCodec;
import org.parley.content.MimiContent;
import org.parley.content.group.GroupContent;
import org.parley.content.group.GroupControl;
import org.parley.content.group.GroupState;
import org.parley.content.group.Member;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.RemoteAddress;
import org.parley.crypto.SealedSender;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.cbor.ByteString;
import org.parley.protocol.message.EnvelopeType;
import org.parley.protocol.message.GroupRecipient;
import org.parley.protocol.message.GroupSendRequest;
import org.parley.protocol.message.GroupSendResponse;
import org.parley.protocol.message.OutgoingMessage;
import org.parley.protocol.message.RecipientDevice;
import org.parley.protocol.message.RefusedRecipient;
import org.parley.protocol.message.SendRequest;
import org.parley.protocol.sealed.SealedGroupRecipient;
import org.parley.protocol.sealed.SealedGroupSendRequest;

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
  private final ChatReceiver chat;
  private final AccountId account;
  private final DeviceId device;
  private final Sealing sealing;

  GroupSender(
      Groups groups,
      DeviceDatabase db,
      DeviceCrypto crypto,
      Directory directory,
      Fanout fanout,
      ServerApi api,
      ChatReceiver chat,
      AccountId account,
      DeviceId device,
      Sealing sealing) {
    this.chat = chat;
    this.sealing = sealing;
    this.groups = groups;
    this.db = db;
    this.crypto = crypto;
    this.directory = directory;
    this.fanout = fanout;
    this.api = api;
    this.account = account;
    this.device = device;
  }

  /**
   * What a group send reached: its message id, how many devices it went to, and a note for each
   * member it did not reach, with why.
   */
  record Result(String messageId, int devices, List<String> notes) {}

  Result send(String group, String text) {
    if (text.isEmpty()) {
      throw new ClientException("the message is empty");
    }
    return send(group, body -> body.text(text));
  }

  /**
   * What a group message says, given the sender and room URIs; the group's state (and its timer's
   * deadline, for a text) is added to it.
   */
  interface Body {
    MimiContent build(Uris uris);
  }

  /** The URIs a group message is built with. */
  record Uris(org.parley.content.MimiUri sender, org.parley.content.MimiUri room) {
    MimiContent text(String text) {
      return MimiContent.text(sender, room, text);
    }
  }

  /**
   * Sends any conversation message to a group (a text, reply, edit, reaction, unsend), then applies
   * it to this device's own copy of the conversation as the members do.
   */
  Result send(String group, Body body) {
    return send(group, body, false);
  }

  /**
   * As {@link #send(String, Body)}; if {@code ephemeral} (a typing indicator), in one named upload
   * to the ephemeral route, which the server pushes to connected devices only and never stores:
   * nothing is retried and nothing applied here.
   */
  Result send(String group, Body body, boolean ephemeral) {
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
      chain = groups.newChain(state.id()); // a holder left: nothing more on the chain it holds
      holders = List.of();
    }
    byte[] distribution = crypto.senderKeys().distribution(groups.self(), chain);
    Set<Holder> holding = new HashSet<>(holders);
    long timestamp = System.currentTimeMillis();
    MimiContent built = body.build(new Uris(groups.user(), GroupContent.room(state.id())));
    if (state.timerSeconds() > 0 && isText(built)) {
      built =
          built.withExpires(
              org.parley.content.Expiration.atEpochSecond(timestamp / 1000 + state.timerSeconds()));
    }
    // the counter lets members notice a message the server dropped or held back (groups.md 6)
    long counter = store.nextOwnCounter(state.id());
    MimiContent content =
        ephemeral
            ? GroupContent.withState(built, state)
            : GroupContent.withCounter(GroupContent.withState(built, state), counter);
    org.parley.content.chat.ChatMessage what = chatMessage(content);
    byte[] encoded = MimiCodec.encode(content);
    MessageId id = MessageId.of(groups.user(), GroupContent.room(state.id()), encoded);
    // one chain step, committed before the ciphertext leaves (libsignal's state, Fanout's rule)
    byte[] ciphertext = crypto.senderKeys().encrypt(groups.self(), chain, Padding.pad(encoded));
    // one upload for every member account's devices that hold the chain; an account whose list
    // changed meanwhile is named in the answer and sent to on its own once proven again
    List<GroupRecipient> recipients = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (Map.Entry<AccountId, Contact> e : lists.entrySet()) {
      try {
        give(held, e.getKey(), e.getValue(), distribution, counter, holding, timestamp)
            .ifPresent(recipients::add);
      } catch (ClientException failed) {
        notes.add(e.getValue().handle() + ": " + failed.getMessage());
      }
    }
    if (ephemeral) {
      GroupSendResponse answer =
          api.sendEphemeralToGroup(
              new GroupSendRequest(
                  recipients, EnvelopeType.SENDER_KEY_MESSAGE, ciphertext, timestamp));
      return new Result(id.hex(), answer.devices(), List.copyOf(notes));
    }
    int devices = 0;
    List<RefusedRecipient> refusals = new ArrayList<>();
    // sealed (the server does not learn the sender) to every other account whose every device
    // handed this device its credential; named to the rest, this account's other devices included
    List<GroupRecipient> named = new ArrayList<>();
    Map<GroupRecipient, List<byte[]>> sealable = new java.util.LinkedHashMap<>();
    for (GroupRecipient r : recipients) {
      credentials(r).ifPresentOrElse(c -> sealable.put(r, c), () -> named.add(r));
    }
    java.util.Optional<byte[]> certificate =
        sealable.isEmpty() ? java.util.Optional.empty() : sealing.certificate();
    if (certificate.isEmpty()) {
      named.addAll(sealable.keySet());
      sealable.clear();
    }
    for (List<GroupRecipient> batch : batches(List.copyOf(sealable.keySet()))) {
      GroupSendResponse answer =
          sealed(state, lists, batch, sealable, certificate.orElseThrow(), ciphertext, timestamp);
      counted(state, counter);
      devices += answer.devices();
      refusals.addAll(answer.refused());
    }
    if (!named.isEmpty()) {
      GroupSendResponse answer =
          api.sendToGroup(
              new GroupSendRequest(named, EnvelopeType.SENDER_KEY_MESSAGE, ciphertext, timestamp));
      counted(state, counter);
      devices += answer.devices();
      refusals.addAll(answer.refused());
    }
    Set<AccountId> retried = new HashSet<>();
    for (RefusedRecipient refused : refusals) {
      Contact listed = lists.get(refused.accountId());
      if (listed == null || !retried.add(refused.accountId())) {
        continue; // not a member an upload named, or named twice: the server's word only
      }
      String who = listed.handle();
      if (refused.code() == ErrorCode.DELIVERY_CREDENTIAL_REFUSED) {
        // a device replaced its credential: named to this account until it hands a new one
        sealing.refused(
            refused.accountId(),
            listed.devices().stream().map(d -> DeviceId.of(d.deviceId())).toList());
      } else if (refused.code() != ErrorCode.STALE_DEVICES) {
        notes.add(who + ": the server knows no such account");
        continue;
      }
      try {
        Contact fresh =
            refused.code() == ErrorCode.STALE_DEVICES
                ? db.deferringSync(() -> directory.refresh(refused.accountId()))
                : listed;
        devices +=
            sendTo(
                held,
                refused.accountId(),
                fresh,
                distribution,
                counter,
                holding,
                ciphertext,
                timestamp);
        counted(state, counter);
      } catch (ClientException failed) {
        notes.add(who + ": " + failed.getMessage());
      }
    }
    // the devices of other people: this account's own never send it receipts
    int reached =
        devices
            - recipients.stream()
                .filter(r -> r.accountId().equals(account))
                .mapToInt(r -> r.devices().size())
                .sum();
    ChatReceiver.Message own =
        new ChatReceiver.Message(
            GroupInfo.conversation(state.id()),
            groups.me().value(),
            account,
            device.value(),
            true,
            id,
            content,
            timestamp,
            null,
            state.timerSeconds(),
            reached);
    db.inTransaction(
        () -> {
          try {
            return chat.apply(own, what);
          } catch (ChatReceiver.Refused e) {
            // checked before sending (ChatSender); only a race with another device gets here
            throw new ClientException("sent, but not applied here: " + e.getMessage(), e);
          }
        });
    return new Result(id.hex(), devices, List.copyOf(notes));
  }

  /**
   * The server took the message for some members: the counter is spent. (An upload that failed
   * altogether leaves it for the next message, so members see no gap for a message never sent.)
   */
  private void counted(GroupState state, long counter) {
    db.inTransaction(
        () -> {
          groups.store().countOwn(state.id(), counter);
          return null;
        });
  }

  private static boolean isText(MimiContent content) {
    return chatMessage(content) instanceof org.parley.content.chat.ChatMessage.Text;
  }

  /** What this device built: it reads, or building it was a bug. */
  private static org.parley.content.chat.ChatMessage chatMessage(MimiContent content) {
    try {
      return org.parley.content.chat.ChatMessage.of(content);
    } catch (org.parley.content.ContentFormatException e) {
      throw new ClientException("cannot send this: " + e.getMessage(), e);
    }
  }

  /**
   * Gives the chain to the devices of one member account that lack it, and names the account's
   * devices that hold it (with those left out) for the upload; empty if it has none to send to.
   */
  private java.util.Optional<GroupRecipient> give(
      Held held,
      AccountId to,
      Contact list,
      byte[] distribution,
      long counter,
      Set<Holder> holding,
      long timestamp) {
    List<ContactDevice> targets = targets(to, list);
    if (targets.isEmpty()) {
      return java.util.Optional.empty();
    }
    distribute(held, to, list, targets, distribution, counter, holding, timestamp);
    List<RecipientDevice> devices =
        targets.stream()
            .filter(d -> holding.contains(Groups.holder(to, d)))
            .map(d -> new RecipientDevice(DeviceId.of(d.deviceId()), d.registrationId()))
            .toList();
    if (devices.isEmpty()) {
      throw new ClientException("no device of " + list.handle() + " could be given the key");
    }
    return java.util.Optional.of(new GroupRecipient(to, devices, left(to, list, devices)));
  }

  /**
   * The delivery credential of each device of {@code r}, in its order, if the group message may go
   * to them sealed: another account, none of its devices withheld, every one's credential held.
   */
  private java.util.Optional<List<byte[]>> credentials(GroupRecipient r) {
    if (r.accountId().equals(account) || !r.withheldDevices().isEmpty()) {
      return java.util.Optional.empty();
    }
    return sealing.credentials(
        r.accountId(), r.devices().stream().map(RecipientDevice::deviceId).toList());
  }

  /** The accounts in uploads of at most {@link SealedGroupSendRequest#MAX_RECIPIENTS} devices. */
  private static List<List<GroupRecipient>> batches(List<GroupRecipient> accounts) {
    List<List<GroupRecipient>> batches = new ArrayList<>();
    List<GroupRecipient> batch = new ArrayList<>();
    int size = 0;
    for (GroupRecipient r : accounts) {
      if (size + r.devices().size() > SealedGroupSendRequest.MAX_RECIPIENTS) {
        batches.add(batch);
        batch = new ArrayList<>();
        size = 0;
      }
      batch.add(r);
      size += r.devices().size();
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    return batches;
  }

  /**
   * One sealed upload (docs/spec/sealed-sender.md, "The multi-recipient upload"): the message
   * sealed once for every device of the batch, each under the key the log proved for it.
   */
  private GroupSendResponse sealed(
      GroupState state,
      Map<AccountId, Contact> lists,
      List<GroupRecipient> batch,
      Map<GroupRecipient, List<byte[]>> credentialsOf,
      byte[] certificate,
      byte[] ciphertext,
      long timestamp) {
    List<SealedSender.Recipient> devices = new ArrayList<>();
    List<SealedGroupRecipient> named = new ArrayList<>();
    for (GroupRecipient r : batch) {
      List<byte[]> credentials = credentialsOf.get(r);
      for (int i = 0; i < r.devices().size(); i++) {
        DeviceId id = r.devices().get(i).deviceId();
        ContactDevice proven =
            lists.get(r.accountId()).devices().stream()
                .filter(d -> d.deviceId() == id.value())
                .findFirst()
                .orElseThrow();
        devices.add(
            new SealedSender.Recipient(
                new RemoteAddress(r.accountId(), id), new IdentityPublicKey(proven.identityKey())));
        named.add(new SealedGroupRecipient(r.accountId(), id, credentials.get(i)));
      }
    }
    byte[] payload;
    try {
      payload =
          crypto
              .sealedSender()
              .sealForGroup(
                  groups.self(),
                  devices,
                  certificate,
                  ciphertext,
                  state.id().value().toByteArray());
    } catch (org.parley.crypto.NoSessionException e) {
      throw new ClientException("no session with a member device to seal for: " + e.getMessage());
    }
    return api.sendSealedToGroup(
        new SealedGroupSendRequest(named, payload, timestamp), sealing.anonymous());
  }

  /** The devices of a proven list a group message goes to: all but this one and refused ones. */
  private List<ContactDevice> targets(AccountId to, Contact list) {
    return list.devices().stream()
        .filter(d -> !(to.equals(account) && d.deviceId() == device.value()))
        .filter(d -> !directory.refusedDevices(to).containsKey(d.deviceId()))
        .toList();
  }

  /** The listed devices not sent to, and those the directory refused: the withheld devices. */
  private List<DeviceId> left(AccountId to, Contact list, List<RecipientDevice> sent) {
    List<DeviceId> left = new ArrayList<>();
    for (ContactDevice d : list.devices()) {
      boolean self = to.equals(account) && d.deviceId() == device.value();
      if (!self && sent.stream().noneMatch(m -> m.deviceId().value() == d.deviceId())) {
        left.add(DeviceId.of(d.deviceId()));
      }
    }
    for (int refused : directory.refusedDevices(to).keySet()) {
      if (!left.contains(DeviceId.of(refused))) {
        left.add(DeviceId.of(refused));
      }
    }
    return left;
  }

  /** The chain to those of {@code targets} that lack it, over the one-to-one sessions. */
  private void distribute(
      Held held,
      AccountId to,
      Contact list,
      List<ContactDevice> targets,
      byte[] distribution,
      long counter,
      Set<Holder> holding,
      long timestamp) {
    if (targets.stream().allMatch(d -> holding.contains(Groups.holder(to, d)))) {
      return;
    }
    GroupState state = held.state();
    if ((to.equals(account)
            || targets.stream().anyMatch(d -> holding.contains(Groups.holder(to, d))))
        && held.lastChange().isPresent()) {
      // others of the account's devices hold the chain (this device, for its own account), so
      // these may be new to the group (linked since it was made): they get the state first, as
      // the change that made it and the state it follows, over the same sessions and so before
      // the chain and the message; a device that holds it already drops the repeat
      byte[] change =
          MimiCodec.encode(
              GroupContent.control(
                  groups.user(),
                  state.id(),
                  new GroupControl.Change(held.lastChange().get(), held.before().orElse(null))));
      fanout.send(list, change, timestamp);
    }
    // with the chain, this device's delivery credential: the members may seal to it from now on
    // and the counter of the next message on it, so that a dropped first message shows too
    byte[] control =
        MimiCodec.encode(
            DirectContent.withDeliveryCredential(
                GroupContent.withCounter(
                    GroupContent.control(
                        groups.user(),
                        state.id(),
                        new GroupControl.Distribution(ByteString.of(distribution))),
                    counter),
                sealing.credentialToHandOut()));
    List<Integer> given = fanout.send(list, control, timestamp);
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

  /**
   * The group message to one member account's devices on its own, after the upload named it stale:
   * the chain first to those lacking it, then the ciphertext; another 409 proves the list again.
   */
  private int sendTo(
      Held held,
      AccountId to,
      Contact list,
      byte[] distribution,
      long counter,
      Set<Holder> holding,
      byte[] ciphertext,
      long timestamp) {
    Contact current = list;
    for (int attempt = 1; ; attempt++) {
      List<ContactDevice> targets = targets(to, current);
      if (targets.isEmpty()) {
        return 0;
      }
      distribute(held, to, current, targets, distribution, counter, holding, timestamp);
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
      List<DeviceId> left =
          left(
              to,
              current,
              messages.stream()
                  .map(m -> new RecipientDevice(m.deviceId(), m.registrationId()))
                  .toList());
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
