package org.parley.client.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What people do to the messages of a conversation (docs/spec/content.md, section 2.1): edits,
 * unsends, reactions, read state, timers and expiry, beside the texts {@link MessageHistory} keeps.
 * The rules (who may, until when) are the caller's; this only stores. Every method joins the
 * caller's transaction if one is open.
 */
public final class ChatStore {
  /** Stands for a text no longer held ({@code gone}), whose body is wiped. */
  private static final String WIPED = "";

  private final DeviceDatabase db;

  public ChatStore(DeviceDatabase db) {
    this.db = db;
  }

  /**
   * A stored message another one refers to.
   *
   * @param gone {@code unsent}, {@code expired}, or empty while it is shown
   */
  public record Target(
      long id,
      byte[] mimiId,
      String conversation,
      String kind,
      boolean outgoing,
      String senderHandle,
      long sentAt,
      int edits,
      Optional<String> gone) {
    public boolean isText() {
      return kind.equals("text");
    }
  }

  /** The message with this MIMI id, shown or gone. */
  public Optional<Target> target(byte[] mimiId) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT id, mimi_id, peer, kind, direction, sender_handle, sent_at, edits, gone"
                      + " FROM message WHERE mimi_id = ?")) {
            st.setBytes(1, mimiId);
            try (ResultSet rs = st.executeQuery()) {
              return rs.next() ? Optional.of(target(rs)) : Optional.<Target>empty();
            }
          }
        });
  }

  /** The messages whose hex id starts with {@code prefix}, at most {@code limit}. */
  public List<byte[]> idsStartingWith(String prefix, int limit) {
    if (!prefix.matches("[0-9a-f]{1,64}")) {
      return List.of();
    }
    return db.read(
        c -> {
          List<byte[]> ids = new ArrayList<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT mimi_id FROM message WHERE mimi_id IS NOT NULL"
                      + " AND lower(hex(mimi_id)) LIKE ? AND gone IS NOT 'expired' LIMIT ?")) {
            st.setString(1, prefix + "%");
            st.setInt(2, limit);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getBytes(1));
              }
            }
          }
          return ids;
        });
  }

  private static Target target(ResultSet rs) throws SQLException {
    return new Target(
        rs.getLong("id"),
        rs.getBytes("mimi_id"),
        rs.getString("peer"),
        rs.getString("kind"),
        rs.getString("direction").equals("out"),
        rs.getString("sender_handle"),
        rs.getLong("sent_at"),
        rs.getInt("edits"),
        Optional.ofNullable(rs.getString("gone")));
  }

  // ---- edits

  /**
   * Records an edit of {@code target}; its text is shown if it is the latest edit by the sender's
   * clock (edits may arrive out of order from two of the sender's devices).
   *
   * @return false if this edit was recorded before (a repeat)
   */
  public boolean edit(Target target, byte[] editId, String text, long sentAt) {
    return db.write(
        c -> {
          if (SqliteProtocolState.execute(
                  c,
                  "INSERT OR IGNORE INTO message_revision (mimi_id, message_id, sent_at)"
                      + " VALUES (?, ?, ?)",
                  editId,
                  target.id(),
                  sentAt)
              == 0) {
            return false;
          }
          SqliteProtocolState.execute(
              c, "UPDATE message SET edits = edits + 1 WHERE id = ?", target.id());
          try (PreparedStatement st =
              c.prepareStatement(
                  "UPDATE message SET body = ?, edited_at = ? WHERE id = ?"
                      + " AND (edited_at IS NULL OR edited_at <= ?)")) {
            setBody(st, 1, target, text);
            st.setLong(2, sentAt);
            st.setLong(3, target.id());
            st.setLong(4, sentAt);
            st.executeUpdate();
          }
          return true;
        });
  }

  /** True if this edit was recorded before. */
  public boolean isRecordedEdit(byte[] editId) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement("SELECT 1 FROM message_revision WHERE mimi_id = ?")) {
            st.setBytes(1, editId);
            try (ResultSet rs = st.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  // ---- unsend and expiry

  /**
   * Takes a text away ({@code unsent} by its sender, or {@code expired}): its body is wiped, its
   * reactions, edits and any outbox entry deleted; the row stays so a repeat is dropped.
   */
  public void remove(long messageId, String why) {
    db.write(
        c -> {
          wipe(c, messageId, why);
          return null;
        });
  }

  private void wipe(Connection c, long messageId, String why) throws SQLException {
    Target t;
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT id, mimi_id, peer, kind, direction, sender_handle, sent_at, edits, gone"
                + " FROM message WHERE id = ?")) {
      st.setLong(1, messageId);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return;
        }
        t = target(rs);
      }
    }
    try (PreparedStatement st =
        c.prepareStatement(
            "UPDATE message SET body = ?, gone = ?, expires_at = NULL WHERE id = ?")) {
      setBody(st, 1, t, WIPED);
      st.setString(2, why);
      st.setLong(3, messageId);
      st.executeUpdate();
    }
    SqliteProtocolState.execute(c, "DELETE FROM reaction WHERE message_id = ?", messageId);
    SqliteProtocolState.execute(c, "DELETE FROM outbox WHERE message_id = ?", messageId);
    SqliteProtocolState.execute(
        c,
        "DELETE FROM owed_read_receipt WHERE mimi_id IN"
            + " (SELECT mimi_id FROM message WHERE id = ?)",
        messageId);
  }

  private void setBody(PreparedStatement st, int index, Target t, String text) throws SQLException {
    Object body =
        db.secrets()
            .sealText(
                Secret.MESSAGE_BODY,
                text,
                t.id(),
                t.conversation(),
                t.outgoing() ? "out" : "in",
                t.senderHandle());
    if (body instanceof byte[] sealed) {
      st.setBytes(index, sealed);
    } else {
      st.setString(index, (String) body);
    }
  }

  /** Sets when a message disappears from this device. */
  public void expireAt(long messageId, long at) {
    db.write(
        c ->
            SqliteProtocolState.execute(
                c, "UPDATE message SET expires_at = ? WHERE id = ?", at, messageId));
  }

  /**
   * Deletes the disappearing messages whose time came.
   *
   * @return how many
   */
  public int expire(long now) {
    return db.write(
        c -> {
          List<Long> due = new ArrayList<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT id FROM message WHERE expires_at IS NOT NULL AND expires_at <= ?"
                      + " AND gone IS NULL")) {
            st.setLong(1, now);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                due.add(rs.getLong(1));
              }
            }
          }
          for (long id : due) {
            wipe(c, id, "expired");
          }
          return due.size();
        });
  }

  /** When the next disappearing message is due, if any is. */
  public OptionalLong nextExpiry() {
    return db.read(
        c -> {
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT MIN(expires_at) FROM message WHERE expires_at IS NOT NULL"
                          + " AND gone IS NULL");
              ResultSet rs = st.executeQuery()) {
            long at = rs.getLong(1);
            return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(at);
          }
        });
  }

  // ---- reactions

  /** A stored reaction. */
  public record StoredReaction(long id, long messageId, String senderHandle, boolean removed) {}

  /** The reaction with this MIMI id. */
  public Optional<StoredReaction> reaction(byte[] mimiId) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT id, message_id, sender_handle, removed FROM reaction WHERE mimi_id = ?")) {
            st.setBytes(1, mimiId);
            try (ResultSet rs = st.executeQuery()) {
              return rs.next()
                  ? Optional.of(
                      new StoredReaction(
                          rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4) == 1))
                  : Optional.<StoredReaction>empty();
            }
          }
        });
  }

  /**
   * Records a reaction to {@code target}: it replaces the sender's earlier one, unless the sender
   * already reacted later (by its clock), when it is kept as replaced.
   *
   * @return false if it was recorded before (a repeat)
   */
  public boolean react(
      Target target, byte[] mimiId, String sender, int senderDevice, String text, long sentAt) {
    return db.write(
        c -> {
          long id;
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'reaction'),"
                          + " 0) + 1");
              ResultSet rs = st.executeQuery()) {
            id = rs.getLong(1);
          }
          boolean newer;
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT 1 FROM reaction WHERE message_id = ? AND sender_handle = ?"
                      + " AND removed = 0 AND sent_at > ?")) {
            st.setLong(1, target.id());
            st.setString(2, sender);
            st.setLong(3, sentAt);
            try (ResultSet rs = st.executeQuery()) {
              newer = rs.next();
            }
          }
          try (PreparedStatement st =
              c.prepareStatement(
                  "INSERT OR IGNORE INTO reaction (id, mimi_id, message_id, sender_handle,"
                      + " sender_device, body, sent_at, removed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            st.setLong(1, id);
            st.setBytes(2, mimiId);
            st.setLong(3, target.id());
            st.setString(4, sender);
            st.setInt(5, senderDevice);
            Object body =
                db.secrets().sealText(Secret.REACTION_BODY, text, id, target.id(), sender);
            if (body instanceof byte[] sealed) {
              st.setBytes(6, sealed);
            } else {
              st.setString(6, (String) body);
            }
            st.setLong(7, sentAt);
            st.setInt(8, newer ? 1 : 0);
            if (st.executeUpdate() == 0) {
              return false;
            }
          }
          if (!newer) {
            SqliteProtocolState.execute(
                c,
                "UPDATE reaction SET removed = 1 WHERE message_id = ? AND sender_handle = ?"
                    + " AND id <> ?",
                target.id(),
                sender,
                id);
          }
          return true;
        });
  }

  /** Removes a reaction (its sender took it back). */
  public void removeReaction(long reactionId) {
    db.write(
        c ->
            SqliteProtocolState.execute(
                c, "UPDATE reaction SET removed = 1 WHERE id = ?", reactionId));
  }

  /** The sender's current reaction to a message, if any. */
  public Optional<byte[]> currentReaction(long messageId, String sender) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT mimi_id FROM reaction WHERE message_id = ? AND sender_handle = ?"
                      + " AND removed = 0 ORDER BY sent_at DESC LIMIT 1")) {
            st.setLong(1, messageId);
            st.setString(2, sender);
            try (ResultSet rs = st.executeQuery()) {
              return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
            }
          }
        });
  }

  // ---- timers

  /** A one-to-one conversation's timer in seconds (0: off). */
  public long timer(String peer) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement("SELECT seconds FROM conversation_timer WHERE peer = ?")) {
            st.setString(1, peer);
            try (ResultSet rs = st.executeQuery()) {
              return rs.next() ? rs.getLong(1) : 0L;
            }
          }
        });
  }

  /**
   * Sets a one-to-one conversation's timer, unless a later setting (by its setter's clock) is
   * stored.
   *
   * @return true if it was set
   */
  public boolean setTimer(String peer, long seconds, long setAt, String setBy) {
    return db.write(
        c ->
            SqliteProtocolState.execute(
                    c,
                    "INSERT INTO conversation_timer (peer, seconds, set_at, set_by)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT (peer) DO UPDATE SET"
                        + " seconds = excluded.seconds, set_at = excluded.set_at,"
                        + " set_by = excluded.set_by WHERE excluded.set_at >= set_at",
                    peer,
                    seconds,
                    setAt,
                    setBy)
                == 1);
  }

  // ---- read state and settings

  /** True unless this device's person turned read receipts off. */
  public boolean readReceipts() {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement("SELECT value FROM chat_setting WHERE name = 'read_receipts'")) {
            try (ResultSet rs = st.executeQuery()) {
              return !rs.next() || !rs.getString(1).equals("off");
            }
          }
        });
  }

  public void setReadReceipts(boolean on) {
    db.write(
        c ->
            SqliteProtocolState.execute(
                c,
                "INSERT INTO chat_setting (name, value) VALUES ('read_receipts', ?)"
                    + " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                on ? "on" : "off"));
  }

  /** A read receipt owed to a sender. */
  public record OwedRead(byte[] mimiId, String conversation, String handle) {}

  /**
   * Marks the texts from others in {@code conversation} read, and owes their senders read receipts
   * if {@code receipts}.
   *
   * @return how many were unread
   */
  public int markRead(String conversation, long now, boolean receipts) {
    return db.write(
        c -> {
          if (receipts) {
            SqliteProtocolState.execute(
                c,
                "INSERT OR IGNORE INTO owed_read_receipt (mimi_id, conversation, handle, owed_at)"
                    + " SELECT mimi_id, peer, sender_handle, ? FROM message WHERE peer = ?"
                    + " AND kind = 'text' AND direction = 'in' AND read_at IS NULL"
                    + " AND gone IS NULL AND mimi_id IS NOT NULL",
                now,
                conversation);
          }
          return SqliteProtocolState.execute(
              c,
              "UPDATE message SET read_at = ? WHERE peer = ? AND kind = 'text'"
                  + " AND direction = 'in' AND read_at IS NULL AND gone IS NULL",
              now,
              conversation);
        });
  }

  /** The read receipts owed, oldest first. */
  public List<OwedRead> owedReads() {
    return db.read(
        c -> {
          List<OwedRead> owed = new ArrayList<>();
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT mimi_id, conversation, handle FROM owed_read_receipt"
                          + " ORDER BY owed_at, rowid");
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              owed.add(new OwedRead(rs.getBytes(1), rs.getString(2), rs.getString(3)));
            }
          }
          return owed;
        });
  }

  /** Forgets owed read receipts once sent (or given up on). */
  public void forgetOwedReads(List<OwedRead> sent) {
    db.write(
        c -> {
          for (OwedRead r : sent) {
            SqliteProtocolState.execute(
                c, "DELETE FROM owed_read_receipt WHERE mimi_id = ?", r.mimiId());
          }
          return null;
        });
  }
}
