package org.parley.client;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.parley.client.HistoryEntry.Direction;
import org.parley.client.HistoryEntry.Kind;
import org.parley.client.kt.KeyTransparency;
import org.parley.client.kt.NotPublishedException;
import org.parley.client.store.ChatStore;
import org.parley.client.store.DeviceDatabase;
import org.parley.client.store.HeldEnvelopes;
import org.parley.client.store.MessageHistory;
import org.parley.client.store.MessageHistory.NewEntry;
import org.parley.client.trust.TrustedKeys;
import org.parley.content.ContentFormatException;
import org.parley.content.MessageId;
import org.parley.content.MimiCodec;
import org.parley.content.MimiContent;
import org.parley.content.MimiUri;
import org.parley.content.chat.ChatMessage;
import org.parley.crypto.Ciphertext;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.DuplicateCiphertextException;
import org.parley.crypto.IdentityChangedException;
import org.parley.crypto.InvalidCiphertextException;
import org.parley.crypto.RemoteAddress;
import org.parley.crypto.SealedSender;
import org.parley.crypto.SessionException;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Handle;
import org.parley.protocol.Json;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.message.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one envelope into local state: drops redeliveries by envelope id, proves the sender (the
 * log must prove the sending device's key and that the envelope's handle names its account),
 * decrypts, decodes the MIMI content, checks its sender and room against the proven sender, and
 * stores the result, all in one transaction with the crypto state change and the processed-envelope
 * mark.
 *
 * <p>Nothing the server says about the sender is believed unproven. An envelope from a device the
 * log does not prove (yet) is held: neither shown nor acknowledged, and tried again, for {@link
 * #HOLD_EPOCHS} epochs (an honest new device may not be published yet); then it is refused with an
 * alarm that keeps the envelope as evidence. A handle the log binds to another account, or a
 * message not made under the sender's proven key, is refused at once, with an alarm; none of these
 * leaves anything in a conversation. An envelope from a proven sender that cannot be decrypted or
 * understood becomes an error entry in that sender's conversation and is acknowledged, so nothing
 * loops on it. Any other failure (local state that cannot be read, a bug) leaves the envelope
 * unacknowledged, so it comes again.
 */
final class EnvelopeProcessor {
  private static final Logger log = LoggerFactory.getLogger(EnvelopeProcessor.class);

  /** How many epochs an envelope from a device the log does not prove yet is held back. */
  static final int HOLD_EPOCHS = 10;

  /** Why a sender is not proven: still unknown (held), or seen removed (refused at once). */
  private record Unproven(String why, boolean removed) {}

  /**
   * A delivery receipt owed to a peer for one message of {@code room} (their direct room with us,
   * or a group's).
   */
  record OwedReceipt(AccountId account, Handle peer, MessageId messageId, MimiUri room) {}

  /**
   * What processing one envelope produced. If {@code ack}, the envelope is done with (processed or
   * refused) and may be deleted from the server; if not, it is held and must come again.
   */
  record Outcome(List<ClientEvent> events, Optional<OwedReceipt> receipt, boolean ack) {
    static final Outcome NOTHING = new Outcome(List.of(), Optional.empty(), true);

    Outcome(List<ClientEvent> events, Optional<OwedReceipt> receipt) {
      this(events, receipt, true);
    }
  }

  private final DeviceDatabase db;
  private final DeviceCrypto crypto;
  private final MessageHistory history;
  private final HeldEnvelopes held;
  private final TrustedKeys trusted;
  private final Directory directory;
  private final KeyTransparency kt;
  private final AccountId myAccount;
  private final DeviceId myDevice;
  private final Handle me;
  private final GroupReceiver groups;
  private final Sealing sealing;
  private final ChatReceiver chat;
  private final ChatStore chatStore;

  /** When each sender account was last looked up, ms. */
  private final java.util.Map<AccountId, Long> lookedUp = new java.util.HashMap<>();

  EnvelopeProcessor(
      DeviceDatabase db,
      DeviceCrypto crypto,
      MessageHistory history,
      TrustedKeys trusted,
      Directory directory,
      KeyTransparency kt,
      AccountId myAccount,
      DeviceId myDevice,
      Handle me,
      GroupReceiver groups,
      Sealing sealing,
      ChatReceiver chat,
      ChatStore chatStore) {
    this.chat = chat;
    this.chatStore = chatStore;
    this.groups = groups;
    this.sealing = sealing;
    this.db = db;
    this.crypto = crypto;
    this.history = history;
    this.held = new HeldEnvelopes(db);
    this.trusted = trusted;
    this.directory = directory;
    this.kt = kt;
    this.myAccount = myAccount;
    this.myDevice = myDevice;
    this.me = me;
  }

  /**
   * Processes one envelope. Throws only when it should be retried later (the server could not be
   * reached to learn the sender's keys, or the local state file failed); then it is not acked.
   */
  Outcome process(Envelope envelope) {
    return process(envelope, true);
  }

  private Outcome process(Envelope delivered, boolean mayRefresh) {
    if (history.isProcessed(delivered.id())) {
      return Outcome.NOTHING;
    }
    Envelope envelope;
    Optional<byte[]> certified = Optional.empty();
    if (delivered.sealed()) {
      try {
        // from here on, the certificate's claim is proven as a named envelope's sender is
        SealedSender.Opened opened = unseal(delivered);
        envelope = inside(delivered, opened);
        certified = Optional.of(opened.sender().key().bytes());
      } catch (InvalidCiphertextException e) {
        // nobody to tell: acknowledged, with the refusal as an event and nothing else
        log.warn("sealed envelope {} refused: {}", delivered.id(), e.getMessage());
        settle(delivered);
        return new Outcome(
            List.of(
                new ClientEvent.EnvelopeRefused(
                    delivered.id(), "a sealed message could not be opened: " + e.getMessage())),
            Optional.empty());
      }
    } else {
      envelope = delivered;
    }
    Optional<Unproven> unproven = unprovenSender(envelope);
    if (unproven.isPresent()) {
      return unproven.get().removed()
          ? removedSender(envelope, unproven.get().why())
          : holdOrRefuse(envelope, unproven.get().why());
    }
    try {
      directory.requireBinding(
          envelope.sourceAccountId(), envelope.sourceHandle(), evidence(envelope));
    } catch (KtAlarmException e) {
      return refused(envelope, e.alarm());
    } catch (NotPublishedException e) {
      return holdOrRefuse(
          envelope,
          "the key-transparency log does not hold the handle "
              + envelope.sourceHandle()
              + " the server gave the sender");
    }
    if (certified.isPresent()
        && !Arrays.equals(
            certified.get(),
            trusted
                .find(envelope.sourceAccountId(), envelope.sourceDeviceId())
                .orElseThrow()
                .identityKey())) {
      // sealed by another key than the proven one: as a named message under another key
      return otherKey(delivered, envelope, certified, mayRefresh);
    }
    held.release(envelope.id());
    if (envelope.type() == org.parley.protocol.message.EnvelopeType.SENDER_KEY_MESSAGE) {
      return groupMessage(envelope);
    }
    RemoteAddress from = new RemoteAddress(envelope.sourceAccountId(), envelope.sourceDeviceId());
    try {
      return db.inTransaction(
          () -> {
            if (history.isProcessed(envelope.id())) {
              return Outcome.NOTHING; // another process sharing the file got there first
            }
            byte[] plaintext;
            try {
              plaintext = decrypt(from, envelope);
            } catch (DuplicateCiphertextException e) {
              log.debug("dropping a repeated ciphertext from {}: {}", from, e.getMessage());
              history.markProcessed(envelope.id());
              return Outcome.NOTHING;
            }
            byte[] content;
            try {
              content = Padding.unpad(plaintext);
            } catch (IllegalArgumentException e) {
              return failedInTransaction(envelope, "not a padded message: " + e.getMessage());
            }
            Outcome outcome = interpret(envelope, content, mayRefresh);
            history.markProcessed(envelope.id());
            return outcome;
          });
    } catch (IdentityChangedException e) {
      // libsignal accepts only the trusted key of the address: this was made under another one
      return otherKey(delivered, envelope, e.presentedKey().map(k -> k.bytes()), mayRefresh);
    } catch (GroupReceiver.UnprovenAuthor e) {
      // rolled back, the decryption with it: prove the change's author, then read it again
      try {
        directory.refresh(e.account());
      } catch (RuntimeException notNow) {
        // judged on what is known: the change is refused as not signed by a proven key
      }
      return process(delivered, false);
    } catch (SessionException e) {
      return failed(envelope, "cannot decrypt: " + e.getMessage());
    } catch (ClientException e) {
      throw e;
    } catch (RuntimeException e) {
      // Not the message's fault (content and format failures are handled where they occur): a
      // bug, or local state that cannot be read. Acknowledging would lose the message for good;
      // left unacknowledged, it comes again once the cause is fixed.
      throw new ClientException(
          "could not process message "
              + envelope.id()
              + " from "
              + envelope.sourceHandle()
              + " (it stays queued and comes again): "
              + e,
          e);
    }
  }

  /**
   * A message made under another key than the one trusted for its device (libsignal refused it, or
   * a sealed envelope's certificate names that key): a reused device slot, a key the person has not
   * accepted, or a forgery. The alarms keep the envelope as delivered ({@code delivered}: a sealed
   * one with the certificate the server signed).
   */
  private Outcome otherKey(
      Envelope delivered, Envelope envelope, Optional<byte[]> presented, boolean mayRefresh) {
    Optional<Outcome> slotReused = slotReused(delivered, envelope, presented, mayRefresh);
    if (slotReused.isPresent()) {
      return slotReused.get();
    }
    if (directory
        .changedKeys(envelope.sourceAccountId())
        .containsKey(envelope.sourceDeviceId().value())) {
      return refused(
          envelope,
          kt.raise(
                  KtAlarm.Kind.CHANGED_KEY,
                  envelope.sourceHandle().value(),
                  Optional.of(envelope.sourceDeviceId()),
                  "a message from device "
                      + envelope.sourceDeviceId()
                      + " of "
                      + envelope.sourceHandle()
                      + " was made with its new key, which you have not "
                      + "accepted; it was not shown. Run parley verify "
                      + envelope.sourceHandle()
                      + " to compare safety numbers",
                  evidence(delivered))
              .alarm());
    }
    return refused(
        envelope,
        kt.raise(
                KtAlarm.Kind.FORGED_SENDER,
                "server",
                "a message the server "
                    + "labelled as from device "
                    + envelope.sourceDeviceId()
                    + " of "
                    + envelope.sourceHandle()
                    + " was not made with that device's proven key; it was "
                    + "dropped and nothing of it is shown",
                evidence(delivered))
            .alarm());
  }

  /** A group message from a proven sender device: decrypted and stored in one transaction. */
  private Outcome groupMessage(Envelope envelope) {
    return db.inTransaction(
        () -> {
          if (history.isProcessed(envelope.id())) {
            return Outcome.NOTHING;
          }
          Outcome outcome;
          try {
            outcome = groups.message(envelope);
          } catch (GroupReceiver.NotHeldYet e) {
            return holdForGroup(envelope, e.getMessage());
          } catch (GroupReceiver.Dropped e) {
            return failedInTransaction(envelope, e.getMessage());
          }
          history.markProcessed(envelope.id());
          held.release(envelope.id());
          return outcome;
        });
  }

  /**
   * How long a group message waits for its group: the change that tells this device of it comes
   * from another member's device, which may be offline for a while.
   */
  static final java.time.Duration GROUP_HOLD = java.time.Duration.ofHours(24);

  /**
   * The most envelopes held at once before a group message is no longer held: well below a
   * receive's batch of 100, since held envelopes come first in every batch.
   */
  static final int MAX_GROUP_HELD = 32;

  /**
   * Holds a group message for a group this device does not hold yet (the change that tells it may
   * come from another member after the message, or the server may hold it back) for {@link
   * #GROUP_HOLD}, undecrypted; then records it as an error. Never an alarm: honest timing causes
   * it.
   */
  private Outcome holdForGroup(Envelope envelope, String why) {
    long now = System.currentTimeMillis();
    // rows of envelopes that never came again (the server deleted them) must not fill the quota
    held.forgetBefore(now - 2 * GROUP_HOLD.toMillis());
    if (!held.isHeld(envelope.id()) && held.count(now - GROUP_HOLD.toMillis()) >= MAX_GROUP_HELD) {
      // held envelopes stay at the head of the queue: past this many, the change they wait for
      // could sit behind them, unread, so no more are held
      return failedInTransaction(
          envelope, why + ", and " + MAX_GROUP_HELD + " messages are waiting already");
    }
    long first = held.firstSeen(envelope.id(), now);
    if (now - first < GROUP_HOLD.toMillis()) {
      log.info("holding group message {} back: {}", envelope.id(), why);
      return new Outcome(
          List.of(new ClientEvent.EnvelopeHeld(envelope.id(), why)), Optional.empty(), false);
    }
    held.release(envelope.id());
    return failedInTransaction(envelope, why + ", after " + GROUP_HOLD.toHours() + " hours");
  }

  /**
   * A device id is a slot a later device of the account may take over (its link serial tells them
   * apart): a message under another key than the one trusted for the address may come from the new
   * device, which a fresh proof of the sender's list shows, or from the removed one (sent before
   * its removal), whose key this device remembers as retired. Neither is an alarm.
   */
  private Optional<Outcome> slotReused(
      Envelope delivered, Envelope envelope, Optional<byte[]> presented, boolean mayRefresh) {
    AccountId account = envelope.sourceAccountId();
    if (presented.isEmpty()) {
      return Optional.empty();
    }
    if (account.equals(myAccount)) {
      // this account's removed devices become retired once owner monitoring sees their removal
      try {
        kt.monitorOwnAccount();
      } catch (RuntimeException notNow) {
        // judged on what is known; an alarm it raised is kept
      }
    }
    if (trusted.retiredKeys(account).stream().anyMatch(k -> Arrays.equals(k, presented.get()))) {
      return Optional.of(removedSender(envelope, "it was made by a device its account removed"));
    }
    if (!mayRefresh) {
      return Optional.empty();
    }
    try {
      directory.refresh(account);
    } catch (RuntimeException notNow) {
      return Optional.empty(); // judged as before; a held or refused envelope says why
    }
    boolean nowTrusted =
        trusted
            .find(account, envelope.sourceDeviceId())
            .filter(k -> Arrays.equals(k.identityKey(), presented.get()))
            .isPresent();
    if (nowTrusted
        || trusted.retiredKeys(account).stream().anyMatch(k -> Arrays.equals(k, presented.get()))) {
      return Optional.of(process(delivered, false));
    }
    // a device that never saw the removal (a contact that looked the account up after it) asks
    // the log who held the slot before
    Optional<DeviceListValue.Entry> former;
    try {
      former =
          directory.formerHolder(
              account, envelope.sourceHandle(), envelope.sourceDeviceId(), presented.get());
    } catch (RuntimeException notNow) {
      return Optional.empty(); // judged on what is known
    }
    if (former.isPresent()) {
      trusted.rememberRetired(
          account, envelope.sourceDeviceId(), former.get().serial(), presented.get());
      return Optional.of(
          removedSender(
              envelope,
              "it was made by a device its account removed"
                  + " before the device that holds its id now was linked"));
    }
    return Optional.empty();
  }

  /**
   * Why the log does not prove the sending device's key, or empty if it does. A device not trusted
   * yet, or trusted on a proof older than {@link Directory#PROOF_FRESH_EPOCHS}, is looked up: the
   * directory then proves (and trusts, or retires) what the log holds. An account is looked up at
   * most once an epoch, so held envelopes tried again do not multiply the waits.
   */
  private Optional<Unproven> unprovenSender(Envelope envelope) {
    AccountId account = envelope.sourceAccountId();
    DeviceId device = envelope.sourceDeviceId();
    if (account.equals(myAccount) && device.equals(myDevice)) {
      return Optional.of(new Unproven("the server says this very device sent it", false));
    }
    long epoch = kt.epochMillis();
    boolean fresh = directory.provenWithin(account, directory.proofWindow());
    if (fresh && trusted.find(account, device).isPresent()) {
      return Optional.empty();
    }
    long now = System.currentTimeMillis();
    Long last = lookedUp.get(account);
    if (last == null || now - last >= epoch) {
      lookedUp.put(account, now);
      try {
        directory.refresh(account);
      } catch (ServerException e) {
        if (e.code() != ErrorCode.UNKNOWN_ACCOUNT && e.status() != 404) {
          lookedUp.remove(account);
          throw e; // the server could not answer: try again later
        }
        return Optional.of(new Unproven("the server knows no account " + account, false));
      } catch (NotPublishedException e) {
        return Optional.of(
            new Unproven("the key-transparency log does not hold account " + account, false));
      } catch (KtAlarmException e) {
        return Optional.of(new Unproven(e.getMessage(), false));
      }
    }
    if (trusted.find(account, device).isPresent()) {
      return Optional.empty();
    }
    if (trusted.isRetired(account, device)) {
      return Optional.of(
          new Unproven(
              "the key-transparency log shows its account removed that" + " device", true));
    }
    return Optional.of(
        new Unproven(
            directory
                .refusedDevices(account)
                .getOrDefault(
                    device.value(),
                    "the key-transparency log does not prove device "
                        + device
                        + " of account "
                        + account),
            false));
  }

  /**
   * A message from a device the log showed removed from its account (sent before the removal, or by
   * a stolen device): not shown, and not an alarm, since honest timing can cause it.
   */
  private Outcome removedSender(Envelope envelope, String why) {
    log.info("envelope {} refused: {}", envelope.id(), why);
    settle(envelope);
    return new Outcome(
        List.of(
            new ClientEvent.EnvelopeRefused(
                envelope.id(),
                "a message labelled as from device "
                    + envelope.sourceDeviceId()
                    + " of "
                    + envelope.sourceHandle()
                    + " was not shown: "
                    + why)),
        Optional.empty());
  }

  /** Holds an envelope from an unproven sender for a while; then refuses it with an alarm. */
  private Outcome holdOrRefuse(Envelope envelope, String why) {
    long now = System.currentTimeMillis();
    long first = held.firstSeen(envelope.id(), now);
    if (now - first < HOLD_EPOCHS * kt.epochMillis()) {
      log.info("holding envelope {} back: {}", envelope.id(), why);
      return new Outcome(
          List.of(new ClientEvent.EnvelopeHeld(envelope.id(), why)), Optional.empty(), false);
    }
    return refused(
        envelope,
        kt.raise(
                KtAlarm.Kind.UNPROVEN_SENDER,
                "server",
                "the server delivered a "
                    + "message it labelled as from device "
                    + envelope.sourceDeviceId()
                    + " of "
                    + envelope.sourceHandle()
                    + ", but "
                    + why
                    + " after "
                    + HOLD_EPOCHS
                    + " epochs; it was "
                    + "dropped and nothing of it is shown",
                evidence(envelope))
            .alarm());
  }

  /** Refuses an envelope for good: acknowledged, nothing kept but the alarm. */
  private Outcome refused(Envelope envelope, KtAlarm alarm) {
    log.warn("envelope {} refused: {}", envelope.id(), alarm.message());
    settle(envelope);
    return new Outcome(List.of(new ClientEvent.KeyTransparencyAlarm(alarm)), Optional.empty());
  }

  /** Done with for good: a redelivery is dropped, and it is no longer held. */
  private void settle(Envelope envelope) {
    db.inTransaction(
        () -> {
          history.markProcessed(envelope.id());
          held.release(envelope.id());
          return null;
        });
  }

  /** The envelope as the server delivered it, kept with an alarm. */
  private static byte[] evidence(Envelope envelope) {
    return Json.writeString(envelope).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private byte[] decrypt(RemoteAddress from, Envelope envelope) throws SessionException {
    return crypto.decrypt(
        from, new Ciphertext(EnvelopeTypes.of(envelope.type()), envelope.content()));
  }

  /** The message a sealed envelope holds, as a named envelope from the sender it claims. */
  private static Envelope inside(Envelope delivered, SealedSender.Opened opened) {
    return new Envelope(
        delivered.id(),
        opened.sender().address().accountId(),
        opened.sender().handle(),
        opened.sender().address().deviceId(),
        switch (opened.kind()) {
          case PREKEY_MESSAGE -> org.parley.protocol.message.EnvelopeType.PREKEY_MESSAGE;
          case MESSAGE -> org.parley.protocol.message.EnvelopeType.MESSAGE;
          case SENDER_KEY_MESSAGE -> org.parley.protocol.message.EnvelopeType.SENDER_KEY_MESSAGE;
        },
        delivered.timestamp(),
        delivered.serverTimestamp(),
        opened.content());
  }

  private RemoteAddress self() {
    return new RemoteAddress(myAccount, myDevice);
  }

  /**
   * Reads who a sealed envelope's certificate names, without decrypting the message inside; the
   * trust root is pinned now if this is the first sealed envelope.
   *
   * @throws InvalidCiphertextException if it cannot be opened: not for this device, damaged, or a
   *     certificate not under the pinned root or expired
   */
  private SealedSender.Opened unseal(Envelope envelope) throws InvalidCiphertextException {
    if (sealing.trustRoot().isEmpty()) {
      sealing.prepare();
    }
    byte[] root =
        sealing
            .trustRoot()
            .orElseThrow(
                () ->
                    new ClientException(
                        "cannot read sealed message "
                            + envelope.id()
                            + " before the server's trust root is known; it stays queued"));
    return crypto.sealedSender().open(self(), root, envelope.content(), envelope.serverTimestamp());
  }

  private Outcome interpret(Envelope envelope, byte[] plaintext, boolean mayProve) {
    Handle source = envelope.sourceHandle();
    MimiContent content;
    try {
      content = MimiCodec.decode(plaintext);
    } catch (ContentFormatException e) {
      return failedInTransaction(envelope, "not a valid MIMI content message: " + e.getMessage());
    }
    if (!content.extensions().senderUri().equals(Optional.of(DirectContent.user(source).value()))) {
      return failedInTransaction(
          envelope, "dropped a message whose sender URI does not match its sender " + source);
    }
    if (!envelope.sourceAccountId().equals(myAccount)) {
      // a proven device of another account handed over its credential (with a text, or with its
      // chain for a group): this device may seal to it from now on
      DirectContent.deliveryCredential(content)
          .ifPresent(
              c ->
                  sealing.received(
                      new RemoteAddress(envelope.sourceAccountId(), envelope.sourceDeviceId()), c));
    }
    Optional<org.parley.content.group.GroupControl> control;
    try {
      control = org.parley.content.group.GroupContent.control(content);
    } catch (ContentFormatException e) {
      return failedInTransaction(envelope, e.getMessage());
    }
    if (control.isPresent()) {
      try {
        return groups.control(envelope, content, control.get(), mayProve);
      } catch (GroupReceiver.Dropped e) {
        return failedInTransaction(envelope, e.getMessage());
      }
    }
    return envelope.sourceAccountId().equals(myAccount)
        ? interpretOwn(envelope, content)
        : interpretFromPeer(envelope, content, plaintext);
  }

  /** A copy of what one of our other devices sent to a peer. */
  private Outcome interpretOwn(Envelope envelope, MimiContent content) {
    Optional<String> recipient = DirectContent.sentCopyRecipient(content);
    if (recipient.isEmpty()) {
      return Outcome.NOTHING; // nothing else is sent between our own devices yet
    }
    Handle peer;
    try {
      peer = Handle.of(recipient.get());
    } catch (IllegalArgumentException e) {
      return failedInTransaction(envelope, "a sent copy names an invalid recipient");
    }
    if (!content.extensions().roomUri().equals(Optional.of(DirectContent.room(me, peer).value()))) {
      return failedInTransaction(
          envelope, "a sent copy's room does not match its recipient " + peer);
    }
    MimiContent original = DirectContent.withoutSentCopyRecipient(content);
    MessageId id = DirectContent.id(me, peer, original);
    return apply(envelope, peer.value(), id, original, true).outcome();
  }

  /** A message or receipt from another account. */
  private Outcome interpretFromPeer(Envelope envelope, MimiContent content, byte[] plaintext) {
    Handle source = envelope.sourceHandle();
    Optional<String> room = content.extensions().roomUri();
    String direct = DirectContent.room(source, me).value();
    if (room.isPresent() && !room.get().equals(direct)) {
      return groupReceipt(envelope, content, room.get());
    }
    if (room.isEmpty()) {
      return failedInTransaction(
          envelope, "dropped a message from " + source + " for a conversation other than ours");
    }
    MessageId id =
        MessageId.of(DirectContent.user(source), DirectContent.room(source, me), plaintext);
    Applied applied = apply(envelope, source.value(), id, content, false);
    Optional<OwedReceipt> receipt =
        applied.owes()
            ? Optional.of(
                new OwedReceipt(
                    envelope.sourceAccountId(), source, id, DirectContent.room(source, me)))
            : Optional.empty();
    return new Outcome(applied.outcome().events(), receipt);
  }

  /**
   * A receipt for a group message, which comes one-to-one: only from a member of the group, and
   * only receipts.
   */
  private Outcome groupReceipt(Envelope envelope, MimiContent content, String room) {
    Optional<org.parley.content.group.GroupId> group =
        org.parley.content.group.GroupContent.groupOf(room);
    Optional<org.parley.content.group.GroupState> state = group.flatMap(g -> groups.state(g));
    if (state.isEmpty() || state.get().member(envelope.sourceAccountId()).isEmpty()) {
      return failedInTransaction(
          envelope,
          "dropped a message from "
              + envelope.sourceHandle()
              + " for a conversation other than ours");
    }
    ChatMessage what;
    try {
      what = ChatMessage.of(content);
    } catch (ContentFormatException e) {
      return failedInTransaction(envelope, e.getMessage());
    }
    if (!(what instanceof ChatMessage.Status)) {
      return failedInTransaction(envelope, "a group's messages come in the group, not one-to-one");
    }
    try {
      return new Outcome(
          chat.apply(
                  new ChatReceiver.Message(
                      GroupInfo.conversation(group.get()),
                      envelope.sourceHandle().value(),
                      envelope.sourceAccountId(),
                      envelope.sourceDeviceId().value(),
                      false,
                      MessageId.of(
                          DirectContent.user(envelope.sourceHandle()),
                          org.parley.content.group.GroupContent.room(group.get()),
                          MimiCodec.encode(content)),
                      content,
                      envelope.timestamp(),
                      envelope.serverTimestamp(),
                      0,
                      null),
                  what)
              .events(),
          Optional.empty());
    } catch (ChatReceiver.Refused e) {
      return failedInTransaction(envelope, e.getMessage());
    }
  }

  /** What {@link #apply} did, and whether a delivery receipt is owed. */
  private record Applied(Outcome outcome, boolean owes) {}

  /** Applies a one-to-one message (from the peer, or a sent copy) to its conversation. */
  private Applied apply(
      Envelope envelope, String peer, MessageId id, MimiContent content, boolean own) {
    ChatMessage what;
    try {
      what = ChatMessage.of(content);
    } catch (ContentFormatException e) {
      return new Applied(failedInTransaction(envelope, e.getMessage()), false);
    }
    try {
      ChatReceiver.Applied applied =
          chat.apply(
              new ChatReceiver.Message(
                  peer,
                  own ? me.value() : envelope.sourceHandle().value(),
                  envelope.sourceAccountId(),
                  envelope.sourceDeviceId().value(),
                  own,
                  id,
                  content,
                  envelope.timestamp(),
                  envelope.serverTimestamp(),
                  chatStore.timer(peer),
                  null),
              what);
      return new Applied(new Outcome(applied.events(), Optional.empty()), applied.owesReceipt());
    } catch (ChatReceiver.Refused e) {
      return new Applied(failedInTransaction(envelope, e.getMessage()), false);
    }
  }

  private Outcome failed(Envelope envelope, String reason) {
    return db.inTransaction(() -> failedInTransaction(envelope, reason));
  }

  private Outcome failedInTransaction(Envelope envelope, String reason) {
    log.warn(
        "envelope {} from {} device {} dropped: {}",
        envelope.id(),
        envelope.sourceHandle(),
        envelope.sourceDeviceId(),
        reason);
    OptionalLong row =
        history.add(
            new NewEntry(
                envelope.sourceHandle().value(),
                Kind.ERROR,
                envelope.sourceAccountId().equals(myAccount) ? Direction.OUT : Direction.IN,
                null,
                envelope.sourceHandle().value(),
                envelope.sourceDeviceId().value(),
                reason,
                envelope.timestamp(),
                envelope.serverTimestamp(),
                null));
    history.markProcessed(envelope.id());
    HistoryEntry entry = row.isPresent() ? history.entry(row.getAsLong()).orElse(null) : null;
    return entry == null
        ? Outcome.NOTHING
        : new Outcome(List.of(new ClientEvent.EnvelopeFailed(entry)), Optional.empty());
  }
}
