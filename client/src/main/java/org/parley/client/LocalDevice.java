package org.parley.client;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.parley.client.store.ContactStore;
import org.parley.client.store.DeviceDatabase;
import org.parley.client.store.DeviceRecord;
import org.parley.client.store.DeviceRecordStore;
import org.parley.client.store.MessageHistory;
import org.parley.client.store.PublishedKeys;
import org.parley.client.store.SqliteProtocolState;
import org.parley.crypto.DeviceCrypto;

/**
 * One profile's device as every feature behind {@link ParleyClient} sees it: the local state (one
 * SQLite file) and the crypto over it, the lock every protocol operation holds (so the crypto state
 * sees one operation at a time), and, once the device belongs to an account, its {@link Session}.
 */
final class LocalDevice {
  final Path profileDir;
  final DeviceDatabase db;
  final DeviceCrypto crypto;
  final MessageHistory history;
  final org.parley.client.store.ChatStore chat;
  final ContactStore contacts;
  final DeviceRecordStore records;
  final IdentityTrust trust;
  final OnDemandHttpClient http;
  final DeviceSetup setup;
  final KeyRotation rotation;
  final DeviceNotices notices;

  private final ReentrantLock lock = new ReentrantLock();
  private volatile Session session;

  LocalDevice(Path profileDir, DeviceDatabase db, IdentityTrust trust, OnDemandHttpClient http) {
    this.profileDir = profileDir;
    this.db = db;
    this.crypto = DeviceCrypto.initialize(new SqliteProtocolState(db));
    this.history = new MessageHistory(db);
    this.chat = new org.parley.client.store.ChatStore(db);
    this.contacts = new ContactStore(db);
    this.records = new DeviceRecordStore(db);
    this.trust = trust;
    this.http = http;
    this.setup = new DeviceSetup(db, crypto, records, http);
    this.rotation = new KeyRotation(crypto, new PublishedKeys(db));
    this.notices = new DeviceNotices(history);
  }

  /** Runs {@code work} under the device's lock. */
  <T> T locked(Supplier<T> work) {
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The collaborators of this device in its account, made on first use.
   *
   * @throws NotRegisteredException if the profile has no account yet
   */
  Session session() {
    Session current = session;
    if (current != null) {
      return current;
    }
    // one session only, even when a listener and a caller ask at once
    lock.lock();
    try {
      if (session == null) {
        session =
            Session.open(
                this,
                activeRecord()
                    .orElseThrow(
                        () ->
                            new NotRegisteredException(
                                "this profile has no account yet. Run parley register, or parley"
                                    + " link to add it to an existing account")));
      }
      return session;
    } finally {
      lock.unlock();
    }
  }

  /** The device row, if this profile is a device of an account. */
  Optional<DeviceRecord.Active> activeRecord() {
    return records.load().orElse(null) instanceof DeviceRecord.Active active
        ? Optional.of(active)
        : Optional.empty();
  }

  /** This device's identity-key fingerprint. */
  String fingerprint() {
    return Fingerprints.of(crypto.identityKey().bytes());
  }

  /**
   * {@code events}, then what the operation that produced them found besides: alarms it raised that
   * no event shows yet (a sender's list that failed its proof, say), and device changes.
   */
  List<ClientEvent> withNews(Session s, long alarmsBefore, List<ClientEvent> events) {
    List<ClientEvent> out = new ArrayList<>(notices.drain()); // before the message that told them
    out.addAll(events);
    Set<Long> shown = new HashSet<>();
    events.stream()
        .filter(e -> e instanceof ClientEvent.KeyTransparencyAlarm)
        .forEach(e -> shown.add(((ClientEvent.KeyTransparencyAlarm) e).alarm().id()));
    for (KtAlarm alarm : s.kt().alarmsAfter(alarmsBefore)) {
      if (!shown.contains(alarm.id())) {
        out.add(new ClientEvent.KeyTransparencyAlarm(alarm));
      }
    }
    return List.copyOf(out);
  }

  void close() {
    lock.lock();
    try {
      http.shutdownNow();
      db.close();
    } finally {
      lock.unlock();
    }
  }
}
