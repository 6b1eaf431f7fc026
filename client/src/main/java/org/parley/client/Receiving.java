package org.parley.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.client.EnvelopeProcessor.OwedReceipt;
import org.parley.client.store.ContactStore.Contact;
import org.parley.content.MessageId;
import org.parley.content.MimiCodec;
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

  /** Sends the receipts owed, one per peer account; failures are logged, not retried. */
  void sendReceipts(List<OwedReceipt> owed) {
    if (owed.isEmpty()) {
      return;
    }
    Map<AccountId, List<OwedReceipt>> byAccount = new LinkedHashMap<>();
    for (OwedReceipt r : owed) {
      byAccount.computeIfAbsent(r.account(), a -> new ArrayList<>()).add(r);
    }
    Session s = local.session();
    for (var entry : byAccount.entrySet()) {
      Handle peer = entry.getValue().get(0).peer();
      List<MessageId> ids =
          entry.getValue().stream().map(OwedReceipt::messageId).distinct().toList();
      try {
        local.locked(
            () -> {
              Contact contact = s.directory().known(entry.getKey());
              s.fanout()
                  .send(
                      contact,
                      MimiCodec.encode(DirectContent.receipt(s.handle(), peer, ids)),
                      System.currentTimeMillis());
              return null;
            });
      } catch (ClientException e) {
        log.warn("could not send a delivery receipt to {}: {}", peer, e.getMessage());
      }
    }
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
