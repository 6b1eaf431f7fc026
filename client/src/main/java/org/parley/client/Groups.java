package org.parley.client;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.parley.client.store.ContactStore.Contact;
import org.parley.client.store.ContactStore.ContactDevice;
import org.parley.client.store.DeviceDatabase;
import org.parley.client.store.GroupStore;
import org.parley.client.store.GroupStore.Held;
import org.parley.client.store.GroupStore.Holder;
import org.parley.client.trust.TrustedKeys;
import org.parley.content.MimiCodec;
import org.parley.content.MimiContent;
import org.parley.content.ParleyUris;
import org.parley.content.group.GroupAction;
import org.parley.content.group.GroupChange;
import org.parley.content.group.GroupChangeRefused;
import org.parley.content.group.GroupContent;
import org.parley.content.group.GroupControl;
import org.parley.content.group.GroupId;
import org.parley.content.group.GroupRules;
import org.parley.content.group.GroupState;
import org.parley.content.group.Member;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.RemoteAddress;
import org.parley.crypto.Signatures;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.cbor.ByteString;

/**
 * Making and changing groups (docs/spec/groups.md): a change is signed with this device's identity
 * key, checked by the same rules every member applies, stored, and sent to every device of every
 * member before and after it over the one-to-one sessions. Applying other devices' changes and
 * reading group messages is {@link GroupReceiver}; sending group messages is {@link GroupSender}.
 */
final class Groups {
  /** The history's conversation key of a group: this prefix and the group id in hex. */
  static final String CONVERSATION_PREFIX = "group:";

  private final DeviceDatabase db;
  private final DeviceCrypto crypto;
  private final Directory directory;
  private final Fanout fanout;
  private final TrustedKeys trusted;
  private final GroupStore store;
  private final AccountId account;
  private final DeviceId device;
  private final Handle me;

  Groups(
      DeviceDatabase db,
      DeviceCrypto crypto,
      Directory directory,
      Fanout fanout,
      TrustedKeys trusted,
      AccountId account,
      DeviceId device,
      Handle me) {
    this.db = db;
    this.crypto = crypto;
    this.directory = directory;
    this.fanout = fanout;
    this.trusted = trusted;
    this.store = new GroupStore(db);
    this.account = account;
    this.device = device;
    this.me = me;
  }

  GroupStore store() {
    return store;
  }

  /** Creates a group with this account as its admin and {@code others} as members. */
  GroupInfo create(String name, List<Handle> others) {
    List<GroupAction> actions = new ArrayList<>();
    actions.add(new GroupAction.Add(new Member(account, me, true)));
    for (Member m : resolve(others)) {
      actions.add(new GroupAction.Add(m));
    }
    actions.add(new GroupAction.Rename(name));
    return commit(GroupId.random(), Optional.empty(), actions);
  }

  GroupInfo add(String group, List<Handle> handles) {
    Held held = held(group);
    List<GroupAction> actions = new ArrayList<>();
    for (Member m : resolve(handles)) {
      if (held.state().member(m.account()).isPresent()) {
        throw new ClientException(m.handle() + " is already in " + held.state().name());
      }
      actions.add(new GroupAction.Add(m));
    }
    return commit(held.state().id(), Optional.of(held), actions);
  }

  GroupInfo remove(String group, Handle handle) {
    Held held = held(group);
    Member m = memberNamed(held.state(), handle);
    return commit(
        held.state().id(), Optional.of(held), List.of(new GroupAction.Remove(m.account())));
  }

  GroupInfo leave(String group) {
    Held held = held(group);
    return commit(held.state().id(), Optional.of(held), List.of(new GroupAction.Remove(account)));
  }

  GroupInfo setAdmin(String group, Handle handle, boolean admin) {
    Held held = held(group);
    Member m = memberNamed(held.state(), handle);
    return commit(
        held.state().id(),
        Optional.of(held),
        List.of(new GroupAction.SetAdmin(m.account(), admin)));
  }

  GroupInfo rename(String group, String name) {
    Held held = held(group);
    return commit(held.state().id(), Optional.of(held), List.of(new GroupAction.Rename(name)));
  }

  /** Sets the group's disappearing-message timer (0 turns it off); an admin's change. */
  GroupInfo setTimer(String group, java.time.Duration timer) {
    long seconds;
    try {
      seconds = org.parley.content.chat.ChatRules.checkTimer(timer).toSeconds();
    } catch (IllegalArgumentException e) {
      throw new ClientException(e.getMessage());
    }
    Held held = held(group);
    return commit(held.state().id(), Optional.of(held), List.of(new GroupAction.SetTimer(seconds)));
  }

  List<GroupInfo> list() {
    return store.all().stream().map(h -> GroupInfo.of(h.state(), account)).toList();
  }

  GroupInfo show(String group) {
    return GroupInfo.of(held(group).state(), account);
  }

  /**
   * The group {@code ref} names: its id, or the first 8 or more hex digits of it, or its exact name
   * if only one group has it.
   */
  Held held(String ref) {
    String wanted = ref.trim().toLowerCase(java.util.Locale.ROOT);
    if (wanted.startsWith(CONVERSATION_PREFIX)) {
      wanted = wanted.substring(CONVERSATION_PREFIX.length());
    }
    if (wanted.matches("[0-9a-f]{64}")) { // a whole id: no need to read every group's state
      Optional<Held> exact =
          store.find(new GroupId(ByteString.of(java.util.HexFormat.of().parseHex(wanted))));
      if (exact.isPresent()) {
        return exact.get();
      }
    }
    List<Held> all = store.all();
    List<Held> matches = new ArrayList<>();
    if (wanted.length() >= 8 && wanted.matches("[0-9a-f]+")) {
      for (Held h : all) {
        if (GroupStore.key(h.state().id()).startsWith(wanted)) {
          matches.add(h);
        }
      }
    }
    if (matches.isEmpty()) {
      for (Held h : all) {
        if (h.state().name().equals(ref.trim())) {
          matches.add(h);
        }
      }
    }
    if (matches.size() == 1) {
      return matches.getFirst();
    }
    if (matches.isEmpty()) {
      throw new ClientException(
          "no group " + ref + " on this device; parley group list shows the groups");
    }
    throw new ClientException(
        matches.size() + " groups match " + ref + "; name one by its id (parley group list)");
  }

  /** The proven account of each handle, as a plain member; this account is left out. */
  private List<Member> resolve(List<Handle> handles) {
    Map<AccountId, Member> members = new LinkedHashMap<>();
    for (Handle h : handles) {
      if (h.equals(me)) {
        continue;
      }
      Contact c = db.deferringSync(() -> directory.known(h));
      AccountId id = AccountId.of(c.accountId());
      members.putIfAbsent(id, new Member(id, Handle.of(c.handle()), false));
    }
    return List.copyOf(members.values());
  }

  private static Member memberNamed(GroupState state, Handle handle) {
    return state.members().stream()
        .filter(m -> m.handle().equals(handle))
        .findFirst()
        .orElseThrow(() -> new ClientException(handle + " is not in " + state.name()));
  }

  /**
   * Signs and applies a change of this device's, stores it, and sends it to every device of every
   * member before and after it (this account's other devices too, with the state it follows, in
   * case one was linked after they last heard of the group).
   */
  private GroupInfo commit(GroupId id, Optional<Held> held, List<GroupAction> actions) {
    GroupState before = held.map(Held::state).orElse(null);
    if (before != null && before.member(account).isEmpty()) {
      throw new ClientException("you are no longer in " + before.name());
    }
    GroupChange unsigned =
        new GroupChange(
            id,
            before == null ? 1 : before.version() + 1,
            before == null ? null : before.hash(),
            actions,
            account,
            device,
            ByteString.of(crypto.identityKey().bytes()),
            ByteString.EMPTY);
    GroupChange change = unsigned.signed(ByteString.of(crypto.sign(unsigned.signedBytes())));
    GroupState after;
    try {
      after = GroupRules.apply(before, change, this::verify);
    } catch (GroupChangeRefused e) {
      throw new ClientException(refusal(e, before));
    }
    db.inTransaction(
        () -> {
          store.save(after, change, before, nobodyLeft(before, after));
          new org.parley.client.store.MessageHistory(db)
              .addEvent(
                  GroupInfo.conversation(id),
                  GroupReceiver.describe(change, before != null ? before : after));
          return null;
        });
    Set<AccountId> recipients = new LinkedHashSet<>();
    recipients.add(account);
    if (before != null) {
      before.members().forEach(m -> recipients.add(m.account()));
    }
    after.members().forEach(m -> recipients.add(m.account()));
    List<String> unsent = new ArrayList<>();
    for (AccountId to : recipients) {
      boolean added = before != null && before.member(to).isEmpty();
      GroupControl control =
          new GroupControl.Change(change, added || to.equals(account) ? before : null);
      byte[] content = MimiCodec.encode(GroupContent.control(user(), id, control));
      try {
        fanout.send(contact(to), content, System.currentTimeMillis());
      } catch (ClientException e) {
        unsent.add(to + ": " + e.getMessage());
      }
    }
    if (!unsent.isEmpty()) {
      // the change stands (it is signed and stored); members it missed see the gap at the next
      // group message, which names this state
      throw new ClientException(
          "the change is made, but it could not be sent to everyone: " + String.join("; ", unsent));
    }
    return GroupInfo.of(after, account);
  }

  /** The proven device list of an account (this one's own included). */
  Contact contact(AccountId to) {
    return db.deferringSync(() -> directory.known(to));
  }

  /** Whether this device holds a proven key for the device (its own included). */
  boolean provenDevice(AccountId author, DeviceId authorDevice) {
    return author.equals(account) && authorDevice.equals(device)
        || trusted.find(author, authorDevice).isPresent();
  }

  /**
   * The rules' signature check: the key must be the one key transparency proved for the author's
   * device (this device's own, or one the trust store holds from a proof), and the signature must
   * verify under it.
   */
  boolean verify(
      AccountId author, DeviceId authorDevice, ByteString key, byte[] message, ByteString sig) {
    byte[] proven;
    if (author.equals(account) && authorDevice.equals(device)) {
      proven = crypto.identityKey().bytes();
    } else {
      Optional<byte[]> found = trusted.find(author, authorDevice).map(k -> k.identityKey());
      if (found.isEmpty()) {
        return false;
      }
      proven = found.get();
    }
    if (!MessageDigest.isEqual(proven, key.toByteArray())) {
      return false;
    }
    return Signatures.verify(new IdentityPublicKey(proven), message, sig.toByteArray());
  }

  /**
   * Whether everyone in {@code before} is still in {@code after}: only then may this device keep
   * its chain (a member added reads from now on anyway; one who left must read nothing more).
   */
  static boolean nobodyLeft(GroupState before, GroupState after) {
    if (before == null) {
      return false;
    }
    return before.members().stream().allMatch(m -> after.member(m.account()).isPresent());
  }

  static String refusal(GroupChangeRefused e, GroupState before) {
    return switch (e.reason()) {
      case NOT_ALLOWED ->
          "only an admin of "
              + (before == null ? "the group" : before.name())
              + " may do that: "
              + e.getMessage();
      default -> e.getMessage();
    };
  }

  Handle me() {
    return me;
  }

  org.parley.content.MimiUri user() {
    return ParleyUris.user(me.value());
  }

  /** This device's address. */
  RemoteAddress self() {
    return new RemoteAddress(account, device);
  }

  /** A device of a proven list as a chain holder. */
  static Holder holder(AccountId account, ContactDevice d) {
    return new Holder(account, DeviceId.of(d.deviceId()), ByteString.of(d.identityKey()));
  }

  /** This device's current chain of the group, started now if it has none. */
  UUID chain(Held held) {
    return held.chain().orElseGet(() -> newChain(held.state().id()));
  }

  /** Starts a new chain of this device for the group, held by nobody yet. */
  UUID newChain(GroupId group) {
    UUID chain = UUID.randomUUID();
    db.inTransaction(
        () -> {
          store.startChain(group, chain);
          return null;
        });
    return chain;
  }

  MimiContent text(GroupState state, String text) {
    return GroupContent.withState(
        MimiContent.text(user(), GroupContent.room(state.id()), text), state);
  }
}
