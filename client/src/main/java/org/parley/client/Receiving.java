package org.parley.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.client.EnvelopeProcessor.OwedReceipt;
import org.parley.client.store.ChatStore;
import org.parley.client.store.ContactStore.Contact;
import org.parley.content.MessageId;
import org.parley.content.MimiCodec;
import org.parley.content.MimiContent;
import org.parley.content.MimiUri;
import org.parley.content.group.GroupContent;
import org.parley.content.group.GroupId;
import org.parley.content.status.MessageStatus;
import org.parley.content.status.MessageStatusReport;
import org.parley.protocol.AccountId;
import org.parley.protocol.Handle;
import org.parley.protocol.keys.KeyCounts;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.message.EnvelopeBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What comes in: fetching, processing and acknowledging envelopes (one-shot, or pushed to a
 * listener), the delivery receipts owed for them, and the prekeys the server hands out to senders.
 */
final class Receiving {
  private static final Logger log = LoggerFactory.getLogger(Receiving.class);
  private static final int RECEIVE_BATCH = 100;

  private final LocalDevice local;
  private final Runnable flushOutbox;

  /** {@code flushOutbox} sends what waits in the outbox first; it logs what it cannot send. */
  Receiving(LocalDevice local, Runnable flushOutbox) {
    this.local = local;
    this.flushOutbox = flushOutbox;
  }

  /** See {@link ParleyClient#receive()}. */
  List<ClientEvent> receive() {
    Session s = local.session();
    flushOutbox.run();
    List<ClientEvent> events = new ArrayList<>();
    List<OwedReceipt> owed = new ArrayList<>();
    try {
      for (int batches = 0; batches < 1000; batches++) {
        EnvelopeBatch batch = s.api().messages(RECEIVE_BATCH);
        List<String> done = new ArrayList<>();
        try {
          for (Envelope envelope : batch.envelopes()) {
            EnvelopeProcessor.Outcome outcome = processReporting(s, envelope);
            if (outcome.ack()) {
              done.add(envelope.id());
            }
            events.addAll(outcome.events());
            outcome.receipt().ifPresent(owed::add);
          }
        } finally {
          if (!done.isEmpty()) {
            s.api().ack(done);
          }
        }
        // held envelopes stay queued and come first again: stop once a batch has nothing else
        if (!batch.more() || batch.envelopes().isEmpty() || done.isEmpty()) {
          break;
        }
      }
    } finally {
      sendReceipts(owed);
    }
    try {
      refillPreKeys();
    } catch (ClientException e) {
      log.warn("could not check the prekeys left on the server: {}", e.getMessage());
    }
    return events;
  }

  /** Processes one envelope pushed on the WebSocket; see {@link MessageListener}. */
  EnvelopeProcessor.Outcome processPushed(Envelope envelope) {
    return processReporting(local.session(), envelope);
  }

  /** Processes one envelope and reports what its processing found besides. */
  private EnvelopeProcessor.Outcome processReporting(Session s, Envelope envelope) {
    return local.locked(
        () -> {
          long alarmsBefore = s.kt().lastAlarmId();
          local.notices.drain();
          EnvelopeProcessor.Outcome outcome = s.processor().process(envelope);
          return new EnvelopeProcessor.Outcome(
              local.withNews(s, alarmsBefore, outcome.events()), outcome.receipt(), outcome.ack());
        });
  }

  /** The account and room a receipt goes to. */
  private record ReceiptTo(AccountId account, Handle peer, MimiUri room) {}

  /**
   * Sends the delivery receipts owed, one per peer account and room; failures are logged, not
   * retried.
   */
  void sendReceipts(List<OwedReceipt> owed) {
    if (owed.isEmpty()) {
      return;
    }
    Map<ReceiptTo, List<MessageId>> byAccount = new LinkedHashMap<>();
    for (OwedReceipt r : owed) {
      byAccount
          .computeIfAbsent(new ReceiptTo(r.account(), r.peer(), r.room()), a -> new ArrayList<>())
          .add(r.messageId());
    }
    Session s = local.session();
    for (var entry : byAccount.entrySet()) {
      ReceiptTo to = entry.getKey();
      try {
        local.locked(
            () -> {
              Contact contact = s.directory().known(to.account());
              send(s, contact, to.room(), MessageStatus.DELIVERED, entry.getValue());
              return null;
            });
      } catch (ClientException e) {
        log.warn("could not send a delivery receipt to {}: {}", to.peer(), e.getMessage());
      }
    }
  }

  /**
   * Sends the read receipts owed (the texts {@code history} showed), one per sender and room. What
   * the server cannot take now waits for the next command; what is refused for good is dropped.
   */
  void sendReadReceipts() {
    List<ChatStore.OwedRead> owed = local.locked(local.chat::owedReads);
    if (owed.isEmpty()) {
      return;
    }
    Session s = local.session();
    Map<List<String>, List<ChatStore.OwedRead>> bySender = new LinkedHashMap<>();
    for (ChatStore.OwedRead r : owed) {
      bySender
          .computeIfAbsent(List.of(r.handle(), r.conversation()), k -> new ArrayList<>())
          .add(r);
    }
    for (List<ChatStore.OwedRead> reads : bySender.values()) {
      ChatStore.OwedRead first = reads.getFirst();
      Handle peer = Handle.of(first.handle());
      MimiUri room =
          first.conversation().startsWith(Groups.CONVERSATION_PREFIX)
              ? GroupContent.room(
                  new GroupId(
                      org.parley.protocol.cbor.ByteString.ofHex(
                          first.conversation().substring(Groups.CONVERSATION_PREFIX.length()))))
              : DirectContent.room(s.handle(), peer);
      List<MessageId> ids =
          reads.stream()
              .map(r -> new MessageId(org.parley.protocol.cbor.ByteString.of(r.mimiId())))
              .toList();
      try {
        local.locked(
            () -> {
              Contact contact = s.directory().known(peer);
              send(s, contact, room, MessageStatus.READ, ids);
              local.chat.forgetOwedReads(reads);
              return null;
            });
      } catch (ClientException e) {
        if (Sending.retryable(e)) {
          log.info("read receipts wait for the server: {}", e.getMessage());
          return;
        }
        log.warn("could not send a read receipt to {}: {}", peer, e.getMessage());
        local.locked(
            () -> {
              local.chat.forgetOwedReads(reads);
              return null;
            });
      }
    }
  }

  private static void send(
      Session s, Contact contact, MimiUri room, MessageStatus status, List<MessageId> ids) {
    s.fanout()
        .send(
            contact,
            MimiCodec.encode(
                MimiContent.status(
                    DirectContent.user(s.handle()),
                    room,
                    MessageStatusReport.of(status, ids.toArray(MessageId[]::new)))),
            System.currentTimeMillis());
  }

  /** See {@link ParleyClient#refillPreKeys()}. */
  KeyCounts refillPreKeys() {
    Session s = local.session();
    return local.locked(
        () -> {
          KeyCounts counts = PreKeys.refillIfLow(local.crypto, s.api());
          local.rotation.rotateIfDue(s.api(), Instant.now());
          return counts;
        });
  }

  /** Uploads prekeys after a {@code keys_low} frame. */
  void refillPreKeys(KeyCounts counts) {
    Session s = local.session();
    local.locked(
        () -> {
          PreKeys.refill(local.crypto, s.api(), counts);
          return null;
        });
  }
}
