package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.parley.client.DeviceNotice;
import org.parley.client.Fingerprints;
import org.parley.client.HistoryEntry;
import org.parley.client.HistoryEntry.Delivery;
import org.parley.client.HistoryEntry.Direction;
import org.parley.client.HistoryEntry.Kind;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;

/**
 * Conversations, per-device delivery status and the ids of processed envelopes, in the device's
 * SQLite file. Every method joins the caller's transaction if one is open.
 */
public final class MessageHistory {
  private final DeviceDatabase db;

  public MessageHistory(DeviceDatabase db) {
    this.db = db;
  }

  /**
   * A text or error entry to store. {@code mimiId} is null for error entries; {@code replyTo} the
   * id of the message a text answers, {@code expiresAt} when a disappearing one is deleted.
   */
  public record NewEntry(
      String peer,
      Kind kind,
      Direction direction,
      byte[] mimiId,
      String senderHandle,
      int senderDevice,
      String text,
      long sentAt,
      Long serverAt,
      Integer recipientDevices,
      byte[] replyTo,
      Long expiresAt) {
    public NewEntry(
        String peer,
        Kind kind,
        Direction direction,
        byte[] mimiId,
        String senderHandle,
        int senderDevice,
        String text,
        long sentAt,
        Long serverAt,
        Integer recipientDevices) {
      this(
          peer,
          kind,
          direction,
          mimiId,
          senderHandle,
          senderDevice,
          text,
          sentAt,
          serverAt,
          recipientDevices,
          null,
          null);
    }
  }

  /**
   * Stores an entry unless a text with the same MIMI message id is already stored.
   *
   * @return the new row id, or empty if the message id was already stored (a duplicate)
   */
  public OptionalLong add(NewEntry e) {
    return db.write(
        c -> {
          // the id is chosen before the insert, since an encrypted body is sealed for its row;
          // write() holds the write lock from here to the commit, so nobody takes it meanwhile
          long id = nextId(c);
          try (PreparedStatement st =
              c.prepareStatement(
                  "INSERT OR IGNORE INTO message (id, peer, kind, direction, mimi_id, sender_handle,"
                      + " sender_device, body, sent_at, server_at, stored_at, recipient_devices,"
                      + " reply_to, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            st.setLong(1, id);
            st.setString(2, e.peer());
            st.setString(3, e.kind().name().toLowerCase(java.util.Locale.ROOT));
            st.setString(4, e.direction().name().toLowerCase(java.util.Locale.ROOT));
            st.setBytes(5, e.mimiId());
            st.setString(6, e.senderHandle());
            st.setInt(7, e.senderDevice());
            Object body =
                db.secrets()
                    .sealText(
                        Secret.MESSAGE_BODY,
                        e.text(),
                        id,
                        e.peer(),
                        e.direction().name().toLowerCase(java.util.Locale.ROOT),
                        e.senderHandle());
            if (body instanceof byte[] sealed) {
              st.setBytes(8, sealed);
            } else {
              st.setString(8, (String) body);
            }
            st.setLong(9, e.sentAt());
            st.setObject(10, e.serverAt());
            st.setLong(11, System.currentTimeMillis());
            st.setObject(12, e.recipientDevices());
            st.setBytes(13, e.replyTo());
            st.setObject(14, e.expiresAt());
            if (st.executeUpdate() == 0) {
              return OptionalLong.empty();
            }
          }
          if (e.direction() == Direction.OUT && e.mimiId() != null) {
            applyEarlyReceipts(c, id, e.mimiId(), e.peer());
          }
          return OptionalLong.of(id);
        });
  }

  /** Receipts that came before their text (see {@link #markStatus}) now count for it. */
  private static void applyEarlyReceipts(
      java.sql.Connection c, long messageId, byte[] mimiId, String peer) throws SQLException {
    SqliteProtocolState.execute(
        c,
        "INSERT OR IGNORE INTO delivery (message_id, account_id, device_id, status, updated_at,"
            + " reader) SELECT ?, account_id, device_id, status, received_at, reader"
            + " FROM early_receipt WHERE mimi_id = ? AND peer = ?",
        messageId,
        mimiId,
        peer);
    SqliteProtocolState.execute(c, "DELETE FROM early_receipt WHERE mimi_id = ?", mimiId);
  }

  /** How long a receipt for a text this device does not know is kept, waiting for the text. */
  private static final long EARLY_RECEIPT_MILLIS = java.time.Duration.ofDays(30).toMillis();

  // ---- sending state (V7__outbox.sql)

  /** Marks an outgoing text as waiting in the outbox, with why its last attempt failed. */
  public void markPending(long messageId, String why) {
    setSendState(messageId, "pending", why);
  }

  /** Marks an outgoing text as refused for good, with why. */
  public void markFailed(long messageId, String why) {
    setSendState(messageId, "failed", why);
  }

  /**
   * Marks an outgoing text as taken by the server for these devices of the peer's account ({@code
   * accountId} null for a note to self, which has no peer devices).
   */
  public void markSent(long messageId, String accountId, List<Integer> deviceIds) {
    db.write(
        c ->
            SqliteProtocolState.execute(
                c,
                "UPDATE message SET send_state = NULL, send_error = NULL, recipient_devices = ?"
                    + " WHERE id = ?",
                accountId == null ? null : deviceIds.size(),
                messageId));
    if (accountId != null) {
      addRecipients(messageId, accountId, deviceIds);
    }
  }

  private void setSendState(long messageId, String state, String why) {
    db.write(
        c ->
            SqliteProtocolState.execute(
                c,
                "UPDATE message SET send_state = ?, send_error = ? WHERE id = ?",
                state,
                why,
                messageId));
  }

  /** The id AUTOINCREMENT would give the next row (never one a deleted row had). */
  private static long nextId(java.sql.Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'message'), 0),"
                    + " COALESCE((SELECT MAX(id) FROM message), 0)) + 1")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** True if a text with this MIMI message id is stored. */
  public boolean contains(byte[] mimiId) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement("SELECT 1 FROM message WHERE mimi_id = ?")) {
            st.setBytes(1, mimiId);
            try (ResultSet rs = st.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  /** Records the devices an outgoing message was encrypted for, each as 'sent'. */
  public void addRecipients(long messageId, String accountId, List<Integer> deviceIds) {
    long now = System.currentTimeMillis();
    db.write(
        c -> {
          for (int device : deviceIds) {
            SqliteProtocolState.execute(
                c,
                "INSERT OR IGNORE INTO delivery (message_id, account_id, device_id, status, updated_at)"
                    + " VALUES (?, ?, ?, 'sent', ?)",
                messageId,
                accountId,
                device,
                now);
          }
          return null;
        });
  }

  /**
   * Marks one recipient device as having received (or read) an outgoing text of {@code
   * conversation}. The caller has checked that {@code reader} may confirm it: the peer of a
   * one-to-one conversation, a member of a group's.
   *
   * @return true if the text exists and this device's status moved on (sent, delivered, read)
   */
  public boolean markStatus(
      byte[] mimiId,
      String conversation,
      String reader,
      String accountId,
      int deviceId,
      boolean read) {
    String status = read ? "read" : "delivered";
    return db.write(
        c -> {
          long messageId;
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT id FROM message WHERE mimi_id = ? AND direction = 'out' AND peer = ?"
                      + " AND kind = 'text'")) {
            st.setBytes(1, mimiId);
            st.setString(2, conversation);
            try (ResultSet rs = st.executeQuery()) {
              if (!rs.next()) {
                // not known yet (a copy another of our devices sent, still on its way): kept
                // for the text, since the peer sends each receipt once
                long now = System.currentTimeMillis();
                SqliteProtocolState.execute(
                    c,
                    "DELETE FROM early_receipt WHERE received_at < ?",
                    now - EARLY_RECEIPT_MILLIS);
                SqliteProtocolState.execute(
                    c,
                    "INSERT INTO early_receipt (mimi_id, peer, account_id, device_id,"
                        + " received_at, status, reader) VALUES (?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (mimi_id, account_id, device_id) DO UPDATE SET"
                        + " status = excluded.status WHERE excluded.status = 'read'",
                    mimiId,
                    conversation,
                    accountId,
                    deviceId,
                    now,
                    status,
                    reader);
                return false;
              }
              messageId = rs.getLong(1);
            }
          }
          // only forward: a late 'delivered' does not undo 'read'
          return SqliteProtocolState.execute(
                  c,
                  "INSERT INTO delivery (message_id, account_id, device_id, status, updated_at,"
                      + " reader) VALUES (?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (message_id, account_id, device_id)"
                      + " DO UPDATE SET status = excluded.status, updated_at ="
                      + " excluded.updated_at, reader = excluded.reader"
                      + " WHERE status = 'sent' OR (status = 'delivered' AND excluded.status ="
                      + " 'read')",
                  messageId,
                  accountId,
                  deviceId,
                  status,
                  System.currentTimeMillis(),
                  reader)
              == 1;
        });
  }

  /** The entry with a MIMI message id, if stored. */
  public Optional<HistoryEntry> find(byte[] mimiId) {
    List<HistoryEntry> found = query("WHERE m.mimi_id = ?", mimiId, Integer.MAX_VALUE);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** The entry with this row id, if stored. */
  public Optional<HistoryEntry> byRow(long id) {
    List<HistoryEntry> found = query("WHERE m.id = ?", id, 1);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /**
   * The last {@code limit} entries of the conversation with {@code peer}, oldest first: texts,
   * error entries and device notices, in the order they were stored.
   */
  public List<HistoryEntry> conversation(String peer, int limit) {
    List<HistoryEntry> merged = new ArrayList<>(query("WHERE m.peer = ?", peer, limit));
    db.read(c -> notices("WHERE peer = ?", peer, limit, c))
        .forEach(n -> merged.add(n.asHistoryEntry()));
    merged.addAll(events(peer, limit));
    // stable: a message and a notice of the same millisecond keep messages first
    merged.sort(java.util.Comparator.comparing(HistoryEntry::storedAt));
    return List.copyOf(merged.subList(Math.max(0, merged.size() - limit), merged.size()));
  }

  /** The text or error entry with this row id, if stored. */
  public Optional<HistoryEntry> entry(long id) {
    List<HistoryEntry> found = query("WHERE m.id = ?", id, 1);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** The peers of all conversations, most recent first. */
  public List<String> peers() {
    return db.read(
        c -> {
          List<String> peers = new ArrayList<>();
          try (Statement st = c.createStatement();
              ResultSet rs =
                  st.executeQuery(
                      "SELECT peer FROM (SELECT peer, stored_at AS at FROM message"
                          + " UNION ALL SELECT peer, noticed_at AS at FROM device_notice)"
                          + " GROUP BY peer ORDER BY MAX(at) DESC")) {
            while (rs.next()) {
              peers.add(rs.getString(1));
            }
          }
          return peers;
        });
  }

  private List<HistoryEntry> query(String where, Object arg, int limit) {
    long now = System.currentTimeMillis();
    return db.read(
        c -> {
          List<HistoryEntry> entries = new ArrayList<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT * FROM (SELECT m.id, m.peer, m.kind, m.direction, m.mimi_id,"
                      + " m.sender_handle, m.sender_device, m.body, m.sent_at, m.stored_at,"
                      + " m.recipient_devices, m.send_state, m.send_error, m.reply_to, m.edits,"
                      + " m.gone, m.expires_at, m.read_at,"
                      + " (SELECT COUNT(*) FROM delivery d WHERE d.message_id = m.id"
                      + "  AND d.status IN ('delivered', 'read')) AS delivered,"
                      + " (SELECT group_concat(DISTINCT d.reader) FROM delivery d"
                      + "  WHERE d.message_id = m.id AND d.status = 'read') AS read_by"
                      + " FROM message m "
                      + where
                      // an expired message is gone; one past its time is, whether or not the
                      // sweep deleted it yet
                      + " AND m.gone IS NOT 'expired' AND (m.expires_at IS NULL OR m.expires_at > ?)"
                      + " ORDER BY m.id DESC LIMIT ?) ORDER BY id")) {
            st.setObject(1, arg);
            st.setLong(2, now);
            st.setInt(3, limit);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                entries.add(entry(rs));
              }
            }
          }
          List<HistoryEntry> withReactions = new ArrayList<>(entries.size());
          for (HistoryEntry e : entries) {
            withReactions.add(e.kind() == Kind.TEXT && !e.unsent() ? withReactions(c, e) : e);
          }
          return withReactions;
        });
  }

  private HistoryEntry withReactions(java.sql.Connection c, HistoryEntry e) throws SQLException {
    List<HistoryEntry.Reaction> reactions = new ArrayList<>();
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT id, sender_handle, body, sent_at FROM reaction"
                + " WHERE message_id = ? AND removed = 0 ORDER BY sent_at, id")) {
      st.setLong(1, e.id());
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String sender = rs.getString("sender_handle");
          reactions.add(
              new HistoryEntry.Reaction(
                  sender,
                  db.secrets()
                      .openText(
                          Secret.REACTION_BODY,
                          rs.getObject("body"),
                          rs.getLong("id"),
                          e.id(),
                          sender),
                  Instant.ofEpochMilli(rs.getLong("sent_at"))));
        }
      }
    }
    return new HistoryEntry(
        e.id(),
        e.peer(),
        e.kind(),
        e.direction(),
        e.messageId(),
        e.senderHandle(),
        e.senderDevice(),
        e.text(),
        e.sentAt(),
        e.storedAt(),
        e.delivery(),
        e.replyTo(),
        e.edits(),
        e.unsent(),
        reactions,
        e.expiresAt(),
        e.readAt());
  }

  private HistoryEntry entry(ResultSet rs) throws SQLException {
    Kind kind = Kind.valueOf(rs.getString("kind").toUpperCase(java.util.Locale.ROOT));
    Direction direction =
        Direction.valueOf(rs.getString("direction").toUpperCase(java.util.Locale.ROOT));
    byte[] mimiId = rs.getBytes("mimi_id");
    Object total = rs.getObject("recipient_devices");
    String readBy = rs.getString("read_by");
    Optional<Delivery> delivery =
        direction == Direction.OUT && kind == Kind.TEXT
            ? Optional.of(
                new Delivery(
                    rs.getInt("delivered"),
                    total == null ? Optional.empty() : Optional.of(((Number) total).intValue()),
                    sendState(rs.getString("send_state")),
                    Optional.ofNullable(rs.getString("send_error")),
                    readBy == null
                        ? List.of()
                        : java.util.Arrays.stream(readBy.split(",")).sorted().toList()))
            : Optional.empty();
    byte[] replyTo = rs.getBytes("reply_to");
    Object expiresAt = rs.getObject("expires_at");
    Object readAt = rs.getObject("read_at");
    return new HistoryEntry(
        rs.getLong("id"),
        rs.getString("peer"),
        kind,
        direction,
        mimiId == null ? Optional.empty() : Optional.of(HexFormat.of().formatHex(mimiId)),
        rs.getString("sender_handle"),
        rs.getInt("sender_device"),
        db.secrets()
            .openText(
                Secret.MESSAGE_BODY,
                rs.getObject("body"),
                rs.getLong("id"),
                rs.getString("peer"),
                rs.getString("direction"),
                rs.getString("sender_handle")),
        Instant.ofEpochMilli(rs.getLong("sent_at")),
        Instant.ofEpochMilli(rs.getLong("stored_at")),
        delivery,
        replyTo == null ? Optional.empty() : Optional.of(HexFormat.of().formatHex(replyTo)),
        rs.getInt("edits"),
        "unsent".equals(rs.getString("gone")),
        List.of(),
        expiresAt == null
            ? Optional.empty()
            : Optional.of(Instant.ofEpochMilli(((Number) expiresAt).longValue())),
        readAt == null
            ? Optional.empty()
            : Optional.of(Instant.ofEpochMilli(((Number) readAt).longValue())));
  }

  // ---- events

  /** Records what happened in a conversation (a group's change, a timer set), for its history. */
  public void addEvent(String peer, String text) {
    db.write(
        c -> {
          long id;
          try (Statement st = c.createStatement();
              ResultSet rs =
                  st.executeQuery(
                      "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'chat_event'),"
                          + " 0) + 1")) {
            rs.next();
            id = rs.getLong(1);
          }
          try (PreparedStatement st =
              c.prepareStatement(
                  "INSERT INTO chat_event (id, peer, body, happened_at) VALUES (?, ?, ?, ?)")) {
            st.setLong(1, id);
            st.setString(2, peer);
            Object body = db.secrets().sealText(Secret.CHAT_EVENT, text, id, peer);
            if (body instanceof byte[] sealed) {
              st.setBytes(3, sealed);
            } else {
              st.setString(3, (String) body);
            }
            st.setLong(4, System.currentTimeMillis());
            st.executeUpdate();
          }
          return null;
        });
  }

  private List<HistoryEntry> events(String peer, int limit) {
    return db.read(
        c -> {
          List<HistoryEntry> out = new ArrayList<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT * FROM (SELECT id, peer, body, happened_at FROM chat_event"
                      + " WHERE peer = ? ORDER BY id DESC LIMIT ?) ORDER BY id")) {
            st.setString(1, peer);
            st.setInt(2, limit);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                Instant at = Instant.ofEpochMilli(rs.getLong("happened_at"));
                out.add(
                    new HistoryEntry(
                        rs.getLong("id"),
                        peer,
                        Kind.EVENT,
                        Direction.IN,
                        Optional.empty(),
                        "",
                        0,
                        db.secrets()
                            .openText(
                                Secret.CHAT_EVENT, rs.getObject("body"), rs.getLong("id"), peer),
                        at,
                        at,
                        Optional.empty()));
              }
            }
          }
          return out;
        });
  }

  // ---- device notices

  /** A device change to record; see {@link DeviceNotice}. */
  public record NewNotice(
      String peer,
      String accountId,
      boolean ownAccount,
      DeviceNotice.Change change,
      int deviceId,
      byte[] identityKey,
      String name,
      long versionSeen) {}

  /**
   * Records a device change unless the same change of the same device and key was recorded before
   * (each is told once, whichever check sees it first).
   *
   * @return the notice, or empty if it was recorded before
   */
  public Optional<DeviceNotice> addNotice(NewNotice n) {
    long now = System.currentTimeMillis();
    return db.write(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "INSERT OR IGNORE INTO device_notice (peer,"
                      + " account_id, own_account, change, device_id, identity_key, device_name,"
                      + " version_seen, noticed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            st.setString(1, n.peer());
            st.setString(2, n.accountId());
            st.setInt(3, n.ownAccount() ? 1 : 0);
            st.setString(4, n.change().name().toLowerCase(java.util.Locale.ROOT));
            st.setInt(5, n.deviceId());
            st.setBytes(6, n.identityKey());
            st.setString(7, n.name());
            st.setLong(8, n.versionSeen());
            st.setLong(9, now);
            if (st.executeUpdate() == 0) {
              return Optional.<DeviceNotice>empty();
            }
          }
          List<DeviceNotice> added = notices("WHERE id = last_insert_rowid()", null, 1, c);
          return added.isEmpty() ? Optional.<DeviceNotice>empty() : Optional.of(added.getFirst());
        });
  }

  /** The name a device had in the last notice about it that knew one, if any. */
  public Optional<String> noticedName(String accountId, int deviceId, byte[] identityKey) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT device_name FROM device_notice"
                      + " WHERE account_id = ? AND device_id = ? AND identity_key = ? AND device_name IS NOT"
                      + " NULL ORDER BY id DESC LIMIT 1")) {
            st.setString(1, accountId);
            st.setInt(2, deviceId);
            st.setBytes(3, identityKey);
            try (ResultSet rs = st.executeQuery()) {
              return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
            }
          }
        });
  }

  private static List<DeviceNotice> notices(
      String where, Object arg, int limit, java.sql.Connection c) throws SQLException {
    List<DeviceNotice> out = new ArrayList<>();
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT * FROM (SELECT id, peer, account_id,"
                + " own_account, change, device_id, identity_key, device_name, version_seen, noticed_at"
                + " FROM device_notice "
                + where
                + " ORDER BY id DESC LIMIT ?) ORDER BY id")) {
      int i = 1;
      if (arg != null) {
        st.setObject(i++, arg);
      }
      st.setInt(i, limit);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString("device_name");
          out.add(
              new DeviceNotice(
                  rs.getLong("id"),
                  rs.getString("peer"),
                  AccountId.of(rs.getString("account_id")),
                  rs.getInt("own_account") == 1,
                  DeviceNotice.Change.valueOf(
                      rs.getString("change").toUpperCase(java.util.Locale.ROOT)),
                  DeviceId.of(rs.getInt("device_id")),
                  Optional.ofNullable(name),
                  Fingerprints.of(rs.getBytes("identity_key")),
                  rs.getLong("version_seen"),
                  Instant.ofEpochMilli(rs.getLong("noticed_at"))));
        }
      }
    }
    return out;
  }

  private static Delivery.State sendState(String stored) {
    return stored == null
        ? Delivery.State.SENT
        : Delivery.State.valueOf(stored.toUpperCase(java.util.Locale.ROOT));
  }

  // ---- processed envelopes

  /** True if the envelope was processed before (it is a redelivery). */
  public boolean isProcessed(String envelopeId) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement("SELECT 1 FROM processed_envelope WHERE envelope_id = ?")) {
            st.setString(1, envelopeId);
            try (ResultSet rs = st.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  /** Marks the envelope processed. */
  public void markProcessed(String envelopeId) {
    db.write(
        c ->
            SqliteProtocolState.execute(
                c,
                "INSERT OR IGNORE INTO processed_envelope (envelope_id, processed_at) VALUES (?, ?)",
                envelopeId,
                System.currentTimeMillis()));
  }
}
