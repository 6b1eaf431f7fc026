package org.parley.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.parley.client.HistoryEntry.Direction;
import org.parley.client.HistoryEntry.Kind;
import org.parley.client.store.ChatStore;
import org.parley.client.store.ContactStore.Contact;
import org.parley.client.store.DeviceDatabase;
import org.parley.client.store.MessageHistory;
import org.parley.client.store.MessageHistory.NewEntry;
import org.parley.client.store.Outbox;
import org.parley.content.Expiration;
import org.parley.content.MessageId;
import org.parley.content.MimiCodec;
import org.parley.content.MimiContent;
import org.parley.content.chat.ChatMessage;
import org.parley.protocol.AccountId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sending texts so that none is lost (issue 8): a text is stored in its conversation, and put in
 * the outbox, before it goes to the network. A receipt that comes back before the send returns
 * (another process of this profile may be listening) then finds it; a text the server could not
 * take (unreachable, overloaded, rate limited) waits in the outbox and is sent, oldest first, by
 * the next command that reaches the server; a text the server refused for good is marked failed.
 *
 * <p>The outbox keeps the MIMI content, not ciphertexts: each attempt encrypts again, for the
 * devices the account has then, with the sessions as they are then. A stored ciphertext would be
 * for a device list and sessions that may have changed (a 409 stale_devices answer rebuilds
 * sessions), and libsignal already handles the messages a discarded attempt used up in the ratchet
 * (the receiver skips their keys). Same content means the same message id, so a retry of a text the
 * server did take after all (its answer lost) is dropped by the recipient as a repeat.
 */
final class Sending {
  private static final Logger log = LoggerFactory.getLogger(Sending.class);

  private final DeviceDatabase db;
  private final MessageHistory history;
  private final Outbox outbox;
  private final Directory directory;
  private final Fanout fanout;
  private final AccountId account;
  private final Handle me;
  private final int myDevice;

  private final ChatStore chat;
  private final ChatReceiver receiver;

  /** Says why nothing was sent when the log withheld every device of a contact. */
  private final Function<Contact, ClientException> nothingSent;

  /** This device's delivery credential to hand to the people it writes to, if it has one. */
  private final java.util.function.Supplier<Optional<byte[]>> deliveryCredential;

  Sending(
      DeviceDatabase db,
      MessageHistory history,
      Directory directory,
      Fanout fanout,
      AccountId account,
      Handle me,
      int myDevice,
      java.util.function.Supplier<Optional<byte[]>> deliveryCredential,
      Function<Contact, ClientException> nothingSent,
      ChatStore chat,
      ChatReceiver receiver) {
    this.chat = chat;
    this.receiver = receiver;
    this.deliveryCredential = deliveryCredential;
    this.nothingSent = nothingSent;
    this.db = db;
    this.history = history;
    this.outbox = new Outbox(db);
    this.directory = directory;
    this.fanout = fanout;
    this.account = account;
    this.me = me;
    this.myDevice = myDevice;
  }

  /**
   * Stores the text, then sends it after whatever the outbox still holds. A handle the server does
   * not know is refused before anything is stored.
   */
  SendResult send(Handle peer, String text, Optional<MessageId> replyTo) {
    boolean earlierStuck = !flush().isEmpty() && outbox.size() > 0;
    long timestamp = System.currentTimeMillis();
    MimiContent built = DirectContent.text(me, peer, text);
    if (replyTo.isPresent()) {
      built = built.withInReplyTo(replyTo.get());
    }
    // a disappearing text says when it goes: the conversation's timer from now (content.md 2.1)
    long timer = chat.timer(peer.value());
    Long expiresAt = null;
    if (timer > 0) {
      built = built.withExpires(Expiration.atEpochSecond(timestamp / 1000 + timer));
      expiresAt = timestamp + timer * 1000;
    }
    MimiContent content =
        peer.equals(me)
            ? built
            : DirectContent.withDeliveryCredential(built, deliveryCredential.get());
    byte[] encoded = MimiCodec.encode(content);
    MessageId id = DirectContent.id(me, peer, content);
    byte[] reply = replyTo.map(r -> r.value().toByteArray()).orElse(null);
    Long expires = expiresAt;
    Optional<Contact> target = Optional.empty();
    String why = "not sent yet";
    if (earlierStuck) {
      why = "earlier texts are still waiting";
    } else {
      try {
        target = Optional.of(target(peer));
      } catch (ClientException e) {
        if (!retryable(e)) {
          throw e;
        }
        why = Failure.why(e);
      }
    }
    String pendingWhy = why;
    // Not waiting for the disk here: every way on from here commits synchronously before the text
    // or anything made of it leaves the device (the encryption's commit in Fanout, or the outbox's
    // "attempted" / "failed" marks), so that commit carries this one to the disk with it. A
    // process killed in between keeps it (docs/architecture.md, "One fsync per send").
    long row =
        db.inTransactionUnsynced(
            () -> {
              long r =
                  history
                      .add(
                          new NewEntry(
                              peer.value(),
                              Kind.TEXT,
                              Direction.OUT,
                              id.value().toByteArray(),
                              me.value(),
                              myDevice,
                              text,
                              timestamp,
                              null,
                              null,
                              reply,
                              expires))
                      .orElseThrow(
                          () ->
                              new ClientException("a text with this message id is stored already"));
              history.markPending(r, pendingWhy);
              outbox.add(r, encoded);
              return r;
            });
    Outbox.Pending pending =
        new Outbox.Pending(row, peer.value(), encoded, timestamp, 0, pendingWhy);
    if (target.isEmpty()) {
      outbox.attempted(row);
      return new SendResult(
          id.hex(), peer.value(), 0, 0, Instant.ofEpochMilli(timestamp), Optional.of(pendingWhy));
    }
    return attempt(pending, target.get());
  }

  /**
   * Sends a message that changes the conversation (an edit, reaction, unsend or timer) to the peer
   * and this account's other devices at once, then applies it here as they do. Not kept in the
   * outbox: if the server cannot take it, the command fails and the person tries again.
   *
   * @return its message id, and how many of the peer's devices it went to
   */
  ChatSender.Sent sendNow(Handle peer, MimiContent built, ChatMessage what) {
    long timestamp = System.currentTimeMillis();
    MimiContent content =
        peer.equals(me)
            ? built
            : DirectContent.withDeliveryCredential(built, deliveryCredential.get());
    MessageId id = DirectContent.id(me, peer, content);
    int recipients = 0;
    if (!peer.equals(me)) {
      Contact target = target(peer);
      recipients = fanout.send(target, MimiCodec.encode(content), timestamp).size();
      if (recipients == 0) {
        throw nothingSent.apply(target);
      }
    }
    try {
      fanout.send(
          db.deferringSync(() -> directory.known(account)),
          MimiCodec.encode(DirectContent.sentCopy(content, peer)),
          timestamp);
    } catch (ClientException e) {
      if (peer.equals(me)) {
        throw e;
      }
      log.warn("sent, but the copy for this account's other devices failed: {}", e.getMessage());
    }
    ChatReceiver.Message own =
        new ChatReceiver.Message(
            peer.value(),
            me.value(),
            account,
            myDevice,
            true,
            id,
            content,
            timestamp,
            null,
            chat.timer(peer.value()),
            null);
    db.inTransaction(
        () -> {
          try {
            return receiver.apply(own, what);
          } catch (ChatReceiver.Refused e) {
            throw new ClientException("sent, but not applied here: " + e.getMessage(), e);
          }
        });
    return new ChatSender.Sent(peer.value(), id.hex(), recipients);
  }

  /**
   * Sends what waits in the outbox, oldest first, until the server cannot take one (the rest then
   * wait with it).
   *
   * @return the entries it tried, as they stand now
   */
  List<SendResult> flush() {
    List<SendResult> tried = new ArrayList<>();
    for (Outbox.Pending p : outbox.pending()) {
      Handle peer = Handle.of(p.peer());
      SendResult result;
      try {
        result = attempt(p, target(peer));
      } catch (ClientException e) {
        if (retryable(e)) {
          pendingAgain(p.messageId(), e);
          tried.add(pendingResult(p, Failure.why(e)));
          break;
        }
        failed(p.messageId(), e);
        log.warn("a text to {} in the outbox was refused: {}", peer, e.getMessage());
        continue;
      }
      tried.add(result);
      if (!result.sent()) {
        break;
      }
    }
    return tried;
  }

  /** What waits in the outbox, oldest first. */
  List<Outbox.Pending> pending() {
    return outbox.pending();
  }

  /**
   * The account and devices to send to: the cached proven list while fresh (Directory#known). What
   * proving them stores is committed without waiting for the disk: the encryption's synchronous
   * commit (Fanout) carries it there before any key of it is used for something that leaves the
   * device, and a power loss before that only makes the next send prove them again. Alarms are
   * committed synchronously on their own ({@code DeviceDatabase#inTransactionDurable}).
   */
  private Contact target(Handle peer) {
    return db.deferringSync(
        () -> peer.equals(me) ? directory.known(account) : directory.known(peer));
  }

  /**
   * One attempt at a stored text. A cached contact whose account the server no longer knows (the
   * handle was released, and may name a new account now) is looked up afresh, once.
   */
  private SendResult attempt(Outbox.Pending p, Contact target) {
    Handle peer = Handle.of(p.peer());
    if (peer.equals(me)) {
      return attemptOnce(p, target, true);
    }
    try {
      return attemptOnce(p, target, false);
    } catch (ServerException e) {
      if (e.code() != ErrorCode.UNKNOWN_ACCOUNT) {
        throw e;
      }
    }
    directory.expire(AccountId.of(target.accountId()));
    Contact fresh;
    try {
      fresh = db.deferringSync(() -> directory.byHandle(peer)); // as in target()
    } catch (ClientException e) {
      if (retryable(e)) {
        pendingAgain(p.messageId(), e);
        return pendingResult(p, Failure.why(e));
      }
      failed(p.messageId(), e);
      throw e;
    }
    return attemptOnce(p, fresh, true); // a second unknown_account is final
  }

  /** One attempt at a stored text: sent (the outbox forgets it), pending again, or failed. */
  private SendResult attemptOnce(Outbox.Pending p, Contact target, boolean lookedUp) {
    Handle peer = Handle.of(p.peer());
    boolean toSelf = peer.equals(me);
    MimiContent content = decode(p);
    String messageId =
        HexFormat.of().formatHex(DirectContent.id(me, peer, content).value().toByteArray());
    List<Integer> recipients = List.of();
    List<Integer> own = List.of();
    try {
      if (toSelf) {
        own =
            fanout.send(
                target, MimiCodec.encode(DirectContent.sentCopy(content, peer)), p.sentAt());
      } else {
        recipients = fanout.send(target, p.content(), p.sentAt());
        if (recipients.isEmpty()) {
          throw nothingSent.apply(target); // for good: the log refutes every device it was offered
        }
      }
    } catch (ClientException e) {
      if (retryable(e)) {
        pendingAgain(p.messageId(), e);
        return pendingResult(p, Failure.why(e));
      }
      if (lookedUp || !(e instanceof ServerException s && s.code() == ErrorCode.UNKNOWN_ACCOUNT)) {
        failed(p.messageId(), e); // else attempt() looks the handle up again
      }
      throw e;
    }
    List<Integer> delivered = recipients;
    DeviceDatabase.Work<Void, RuntimeException> markSent =
        () -> {
          outbox.remove(p.messageId());
          history.markSent(p.messageId(), toSelf ? null : target.accountId(), delivered);
          return null;
        };
    if (recipients.isEmpty() && own.isEmpty()) {
      db.inTransaction(markSent); // nothing went out (a note to self alone): no commit carried it
    } else {
      // lost only to a power loss: the text is then sent again and dropped as a repeat by its id
      db.inTransactionUnsynced(markSent);
    }
    if (!toSelf) {
      try {
        own =
            fanout.send(
                db.deferringSync(() -> directory.known(account)),
                MimiCodec.encode(DirectContent.sentCopy(content, peer)),
                p.sentAt());
      } catch (ClientException e) {
        log.warn("sent, but the copy for this account's other devices failed: {}", e.getMessage());
      }
    }
    return new SendResult(
            messageId,
            peer.value(),
            recipients.size(),
            own.size(),
            Instant.ofEpochMilli(p.sentAt()))
        .withWithheld(
            toSelf
                ? java.util.Map.of()
                : directory.refusedDevices(AccountId.of(target.accountId())));
  }

  private SendResult pendingResult(Outbox.Pending p, String why) {
    Handle peer = Handle.of(p.peer());
    String messageId =
        HexFormat.of().formatHex(DirectContent.id(me, peer, decode(p)).value().toByteArray());
    return new SendResult(
        messageId, p.peer(), 0, 0, Instant.ofEpochMilli(p.sentAt()), Optional.of(why));
  }

  /** The stored content: this device encoded it, so it decodes unless the file was damaged. */
  private static MimiContent decode(Outbox.Pending p) {
    try {
      return MimiCodec.decode(p.content());
    } catch (org.parley.content.ContentFormatException e) {
      throw new ClientException("a text in the outbox cannot be read: " + e.getMessage(), e);
    }
  }

  private void pendingAgain(long row, ClientException e) {
    db.inTransaction(
        () -> {
          outbox.attempted(row);
          history.markPending(row, Failure.why(e));
          return null;
        });
  }

  private void failed(long row, ClientException e) {
    db.inTransaction(
        () -> {
          outbox.remove(row);
          history.markFailed(row, Failure.why(e));
          return null;
        });
  }

  /**
   * True for failures that say nothing about the text: no answer, the server failing or busy. Every
   * other answer (unknown handle, a key-transparency alarm, ...) is final.
   */
  static boolean retryable(ClientException e) {
    return e instanceof ServerUnreachableException
        || e instanceof ServerException s
            && (s.status() >= 500 || s.status() == 429 || s.code() == ErrorCode.RATE_LIMITED);
  }

  /** Short reasons for history. */
  private static final class Failure {
    static String why(ClientException e) {
      if (e instanceof ServerUnreachableException) {
        return "the server is unreachable";
      }
      if (e instanceof ServerException s
          && (s.status() == 429 || s.code() == ErrorCode.RATE_LIMITED)) {
        return "the server asks to wait"
            + s.retryAfter().map(d -> " " + d.toSeconds() + " s").orElse("");
      }
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }
  }
}
