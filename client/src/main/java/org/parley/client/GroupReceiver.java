package org.parley.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.parley.client.EnvelopeProcessor.Outcome;
import org.parley.client.store.GroupStore;
import org.parley.client.store.GroupStore.Held;
import org.parley.content.ContentFormatException;
import org.parley.content.MessageId;
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
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.DuplicateCiphertextException;
import org.parley.crypto.InvalidCiphertextException;
import org.parley.crypto.NoSenderKeyException;
import org.parley.crypto.RemoteAddress;
import org.parley.crypto.SenderKeys;
import org.parley.protocol.AccountId;
import org.parley.protocol.message.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What other devices send about groups (docs/spec/groups.md): changes, applied only by the rules
 * (signed by an admin's proven device key, the next version of exactly this device's state);
 * sender-key distributions; and group messages, shown only from a member of the group the chain is
 * for. Runs inside {@link EnvelopeProcessor}'s transaction, with no network call.
 */
final class GroupReceiver {
  private static final Logger log = LoggerFactory.getLogger(GroupReceiver.class);

  /** A message dropped for a reason the sender's conversation records. */
  static final class Dropped extends Exception {
    private static final long serialVersionUID = 1L;

    Dropped(String message) {
      super(message);
    }
  }

  /**
   * A change signed by a device whose key this device has not proven yet (a state handed on by
   * another member): thrown out of the transaction, so that the decryption rolls back, the author
   * is proven outside it, and the envelope is read again.
   */
  static final class UnprovenAuthor extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient AccountId account;

    UnprovenAuthor(AccountId account) {
      super("the author of a group change is not proven yet: " + account, null, false, false);
      this.account = account;
    }

    AccountId account() {
      return account;
    }
  }

  /** A group message for a group this device does not hold yet: held, not decrypted. */
  static final class NotHeldYet extends Exception {
    private static final long serialVersionUID = 1L;

    NotHeldYet(String message) {
      super(message);
    }
  }

  private final Groups groups;
  private final DeviceCrypto crypto;
  private final AccountId account;
  private final ChatReceiver chat;

  GroupReceiver(Groups groups, DeviceCrypto crypto, AccountId account, ChatReceiver chat) {
    this.chat = chat;
    this.groups = groups;
    this.crypto = crypto;
    this.account = account;
  }

  /** The group's state as this device holds it. */
  Optional<GroupState> state(GroupId group) {
    return groups.store().find(group).map(Held::state);
  }

  /** A control message that came over the one-to-one session with the envelope's sender. */
  Outcome control(Envelope envelope, MimiContent content, GroupControl control, boolean mayProve)
      throws Dropped {
    Optional<GroupId> group = GroupContent.groupOf(content.extensions().roomUri().orElse(null));
    if (group.isEmpty()) {
      throw new Dropped("a group control message outside any group's room");
    }
    return switch (control) {
      case GroupControl.Change c -> change(envelope, group.get(), c, mayProve);
      case GroupControl.Distribution d -> distribution(envelope, content, group.get(), d);
    };
  }

  private Outcome distribution(
      Envelope envelope, MimiContent content, GroupId group, GroupControl.Distribution d)
      throws Dropped {
    RemoteAddress from = new RemoteAddress(envelope.sourceAccountId(), envelope.sourceDeviceId());
    UUID chain;
    try {
      chain = crypto.senderKeys().process(from, d.message().toByteArray());
    } catch (InvalidCiphertextException e) {
      throw new Dropped(e.getMessage());
    }
    // kept whether or not the group is known yet: the distribution may come before the change
    // that adds this device, and a chain only ever lets its own sender's messages through
    java.util.OptionalLong next = GroupContent.counter(content);
    groups
        .store()
        .recordSenderChain(
            from.accountId(),
            from.deviceId(),
            chain,
            group,
            next.isPresent() ? next.getAsLong() : null);
    return Outcome.NOTHING;
  }

  private Outcome change(Envelope envelope, GroupId group, GroupControl.Change c, boolean mayProve)
      throws Dropped {
    GroupChange change = c.change();
    if (!change.group().equals(group)) {
      throw new Dropped("a group change sent in another group's room");
    }
    GroupStore store = groups.store();
    Optional<Held> held = store.find(group);
    if (held.isPresent() && held.get().changeHash().equals(change.hash())) {
      return Outcome.NOTHING; // applied already (a copy of this device's own, or a repeat)
    }
    if (mayProve && !groups.provenDevice(change.author(), change.authorDevice())) {
      throw new UnprovenAuthor(change.author());
    }
    GroupState base = held.map(Held::state).orElse(null);
    boolean fromOwnAccount = envelope.sourceAccountId().equals(account);
    // A member being added (again), or a device of ours that missed changes, takes the state the
    // change follows from it: the author signed its hash (the change's previous), so it is the
    // admin's word, and the server cannot swap it.
    if (c.before() != null
        && (base == null
            || (fromOwnAccount || base.member(account).isEmpty())
                && base.version() < c.before().version())) {
      base = c.before();
    }
    try {
      GroupState after = GroupRules.apply(base, change, groups::verify);
      if (after.member(account).isEmpty() && (base == null || base.member(account).isEmpty())) {
        throw new Dropped("a change of a group this account is not in");
      }
      store.save(after, change, base, Groups.nobodyLeft(base, after));
      return changed(after, describe(change, base != null ? base : after));
    } catch (GroupChangeRefused e) {
      Optional<Outcome> concurrent = concurrent(held, change);
      if (concurrent.isPresent()) {
        return concurrent.get();
      }
      String name = base == null ? GroupStore.key(group) : base.name();
      log.warn("refused a change of group {} from {}: {}", name, envelope.sourceHandle(), e);
      String why =
          "a change by "
              + change.author()
              + " (sent by "
              + envelope.sourceHandle()
              + ") was refused: "
              + e.reason()
              + ", "
              + e.getMessage();
      if (held.isPresent()) {
        chat.event(GroupInfo.conversation(group), "! " + why); // recorded where members look
      }
      return new Outcome(List.of(new ClientEvent.GroupChangeRefused(name, why)), Optional.empty());
    }
  }

  /**
   * Two valid changes to one state (section 4): every member keeps the one with the smaller hash,
   * so a device that applied the other goes back to the state before and applies this one.
   */
  private Optional<Outcome> concurrent(Optional<Held> held, GroupChange change) {
    if (held.isEmpty() || held.get().before().isEmpty()) {
      return Optional.empty();
    }
    GroupState mine = held.get().state();
    if (change.version() != mine.version() || !Objects.equals(change.previous(), mine.previous())) {
      return Optional.empty();
    }
    GroupState before = held.get().before().get();
    GroupState other;
    try {
      other = GroupRules.apply(before, change, groups::verify);
    } catch (GroupChangeRefused e) {
      return Optional.empty(); // not a valid rival: refused as any other
    }
    if (change.hash().compareTo(held.get().changeHash()) >= 0) {
      return Optional.of(Outcome.NOTHING); // ours is kept by every member
    }
    groups.store().save(other, change, before, Groups.nobodyLeft(before, other));
    return Optional.of(
        changed(other, describe(change, before) + " (it replaced a concurrent change)"));
  }

  private Outcome changed(GroupState after, String summary) {
    chat.event(GroupInfo.conversation(after.id()), summary);
    return new Outcome(
        List.of(new ClientEvent.GroupChanged(GroupInfo.of(after, account), summary)),
        Optional.empty());
  }

  /** A group message (a SenderKeyMessage) from the envelope's sender. */
  Outcome message(Envelope envelope) throws Dropped, NotHeldYet {
    RemoteAddress from = new RemoteAddress(envelope.sourceAccountId(), envelope.sourceDeviceId());
    byte[] padded;
    GroupId group;
    GroupState state;
    UUID chain;
    try {
      chain = SenderKeys.distributionId(envelope.content());
      group =
          groups
              .store()
              .groupOfChain(from.accountId(), from.deviceId(), chain)
              .orElseThrow(
                  () ->
                      new Dropped(
                          "cannot decrypt a group message: its sender never gave this device"
                              + " the key it is sent under"));
      // the change that tells this device of the group may come after the message (from
      // another member, or held back by the server): wait for it before using the key
      state =
          groups
              .store()
              .find(group)
              .map(Held::state)
              .orElseThrow(
                  () -> new NotHeldYet("a message in a group this device does not hold yet"));
      if (state.member(from.accountId()).isEmpty()) {
        throw new Dropped("a message in " + state.name() + " from someone not in it");
      }
      padded = crypto.senderKeys().decrypt(from, envelope.content());
    } catch (DuplicateCiphertextException e) {
      return Outcome.NOTHING;
    } catch (NoSenderKeyException | InvalidCiphertextException e) {
      throw new Dropped("cannot decrypt a group message: " + e.getMessage());
    }
    byte[] plaintext;
    MimiContent content;
    try {
      plaintext = Padding.unpad(padded);
      content = MimiCodec.decode(plaintext);
    } catch (IllegalArgumentException | ContentFormatException e) {
      throw new Dropped("an unreadable group message: " + e.getMessage());
    }
    String sender = ParleyUris.user(envelope.sourceHandle().value()).value();
    String room = GroupContent.room(group).value();
    if (!content.extensions().senderUri().equals(Optional.of(sender))
        || !content.extensions().roomUri().equals(Optional.of(room))) {
      throw new Dropped("a group message whose sender or room is not its own");
    }
    Optional<ClientEvent> outOfStep =
        GroupContent.state(content)
            .filter(ref -> !ref.names(state))
            .map(ref -> outOfStep(state, envelope.sourceHandle().value(), ref));
    outOfStep.ifPresent(
        e -> {
          String detail = ((ClientEvent.GroupOutOfStep) e).detail();
          log.warn("{}", detail);
          chat.event(GroupInfo.conversation(group), "! " + detail);
        });
    org.parley.content.chat.ChatMessage what;
    try {
      what = org.parley.content.chat.ChatMessage.of(content);
    } catch (ContentFormatException e) {
      throw new Dropped(e.getMessage());
    }
    if (what instanceof org.parley.content.chat.ChatMessage.Status) {
      throw new Dropped("receipts for a group's messages come one-to-one, not in the group");
    }
    // counted before the message is applied, so that a message refused below leaves no gap
    Optional<ClientEvent> gapped =
        what instanceof org.parley.content.chat.ChatMessage.Typing
            ? Optional.empty()
            : gap(
                state, from, envelope.sourceHandle().value(), chain, GroupContent.counter(content));
    MessageId id =
        MessageId.of(
            ParleyUris.user(envelope.sourceHandle().value()), GroupContent.room(group), plaintext);
    boolean own = from.accountId().equals(account);
    ChatReceiver.Applied applied;
    try {
      applied =
          chat.apply(
              new ChatReceiver.Message(
                  GroupInfo.conversation(group),
                  envelope.sourceHandle().value(),
                  from.accountId(),
                  from.deviceId().value(),
                  own,
                  id,
                  content,
                  envelope.timestamp(),
                  envelope.serverTimestamp(),
                  state.timerSeconds(),
                  null),
              what);
    } catch (ChatReceiver.Refused e) {
      throw new Dropped(e.getMessage());
    }
    List<ClientEvent> events = new java.util.ArrayList<>(applied.events());
    outOfStep.ifPresent(events::add);
    gapped.ifPresent(events::add);
    Optional<EnvelopeProcessor.OwedReceipt> receipt =
        applied.owesReceipt()
            ? Optional.of(
                new EnvelopeProcessor.OwedReceipt(
                    from.accountId(), envelope.sourceHandle(), id, GroupContent.room(group)))
            : Optional.empty();
    return new Outcome(List.copyOf(events), receipt);
  }

  /**
   * Checks a group message's counter against the one expected of its sender's chain: a gap means
   * the server dropped (or still holds back) messages; a counter already passed, that one came
   * late, out of order. Either is told and recorded; the message is shown all the same.
   */
  private Optional<ClientEvent> gap(
      GroupState state,
      RemoteAddress from,
      String sender,
      UUID chain,
      java.util.OptionalLong counter) {
    if (counter.isEmpty()) {
      return Optional.empty(); // a sender that does not count (none of ours)
    }
    long got = counter.getAsLong();
    GroupStore store = groups.store();
    java.util.OptionalLong expected =
        store.expectedCounter(from.accountId(), from.deviceId(), chain);
    if (expected.isEmpty() || got == expected.getAsLong()) {
      store.expectCounter(from.accountId(), from.deviceId(), chain, got + 1);
      return Optional.empty();
    }
    long want = expected.getAsLong();
    String detail;
    if (got > want) {
      store.expectCounter(from.accountId(), from.deviceId(), chain, got + 1);
      long missing = got - want;
      detail =
          missing
              + (missing == 1 ? " message" : " messages")
              + " from "
              + sender
              + "'s device "
              + from.deviceId().value()
              + " in "
              + state.name()
              + " did not arrive before this one: the server dropped "
              + (missing == 1 ? "it or holds it back" : "them or holds them back");
    } else {
      detail =
          "a message from "
              + sender
              + "'s device "
              + from.deviceId().value()
              + " in "
              + state.name()
              + " came late, after later ones: the server delivered it out of order";
    }
    log.warn("{}", detail);
    chat.event(GroupInfo.conversation(state.id()), "! " + detail);
    return Optional.of(
        new ClientEvent.GroupGap(state.name(), sender, from.deviceId().value(), want, got, detail));
  }

  /** What the person is told when a sender named another state than this device holds. */
  private static ClientEvent outOfStep(GroupState state, String sender, GroupContent.StateRef ref) {
    String detail =
        ref.version() == state.version()
            ? sender
                + " holds another version "
                + ref.version()
                + " of "
                + state.name()
                + " than this device: the group's changes forked (an admin showed members"
                + " different changes)"
            : sender
                + " sent in "
                + state.name()
                + " holding version "
                + ref.version()
                + ", this device holds version "
                + state.version()
                + ": a change has not reached "
                + (ref.version() > state.version() ? "this device" : sender)
                + " (or the server withholds it); members may not agree on who is in the group";
    return new ClientEvent.GroupOutOfStep(
        state.name(), sender, ref.version(), state.version(), detail);
  }

  /** What a change did, for the person. */
  static String describe(GroupChange change, GroupState before) {
    if (change.version() == 1) {
      List<String> others =
          change.actions().stream()
              .filter(GroupAction.Add.class::isInstance)
              .map(a -> ((GroupAction.Add) a).member())
              .filter(m -> !m.account().equals(change.author()))
              .map(m -> m.handle().value())
              .toList();
      return handle(before, change.author())
          + " created it"
          + (others.isEmpty() ? "" : " with " + String.join(", ", others));
    }
    StringBuilder s = new StringBuilder();
    for (GroupAction a : change.actions()) {
      if (!s.isEmpty()) {
        s.append("; ");
      }
      s.append(
          switch (a) {
            case GroupAction.Add add -> "added " + add.member().handle();
            case GroupAction.Remove remove ->
                remove.account().equals(change.author())
                    ? "left"
                    : "removed " + handle(before, remove.account());
            case GroupAction.SetAdmin set ->
                (set.admin() ? "made " : "unmade ") + handle(before, set.account()) + " admin";
            case GroupAction.Rename rename -> "named it " + rename.name();
            case GroupAction.SetTimer timer -> ChatReceiver.describeTimer(timer.seconds());
          });
    }
    return handle(before, change.author()) + " " + s;
  }

  private static String handle(GroupState state, AccountId account) {
    return state == null
        ? account.value()
        : state.member(account).map(m -> m.handle().value()).orElse(account.value());
  }
}
