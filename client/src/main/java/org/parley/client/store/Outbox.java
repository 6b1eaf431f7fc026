package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Texts this device stored but the server has not taken yet, oldest first (V7__outbox.sql). Each
 * row belongs to a history entry whose {@code send_state} says 'pending'. Every method joins the
 * caller's transaction if one is open.
 */
public final class Outbox {
  private final DeviceDatabase db;

  public Outbox(DeviceDatabase db) {
    this.db = db;
  }

  /** One text waiting: its history row, conversation, encoded MIMI content and send time. */
  public record Pending(
      long messageId, String peer, byte[] content, long sentAt, int attempts, String lastError) {}

  /** Puts a stored text into the outbox. */
  public void add(long messageId, byte[] content) {
    db.write(
        c ->
            SqliteProtocolState.execute(
                c,
                "INSERT INTO outbox (message_id, content, attempts) VALUES (?, ?, 0)",
                messageId,
                db.secrets().seal(Secret.OUTBOX_CONTENT, content, messageId)));
  }

  /** Every text waiting, oldest first. */
  public List<Pending> pending() {
    return db.read(
        c -> {
          List<Pending> result = new ArrayList<>();
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT o.message_id, m.peer, o.content, m.sent_at, o.attempts, m.send_error"
                          + " FROM outbox o JOIN message m ON m.id = o.message_id ORDER BY o.message_id");
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              long id = rs.getLong(1);
              result.add(
                  new Pending(
                      id,
                      rs.getString(2),
                      db.secrets().open(Secret.OUTBOX_CONTENT, rs.getBytes(3), id),
                      rs.getLong(4),
                      rs.getInt(5),
                      rs.getString(6)));
            }
          }
          return result;
        });
  }

  /** How many texts wait. */
  public int size() {
    return db.read(
        c -> {
          try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM outbox");
              ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
          }
        });
  }

  /** Counts a failed attempt. */
  public void attempted(long messageId) {
    db.write(
        c ->
            SqliteProtocolState.execute(
                c, "UPDATE outbox SET attempts = attempts + 1 WHERE message_id = ?", messageId));
  }

  /** Takes a text out (sent, or failed for good); false if it was not there (sent elsewhere). */
  public boolean remove(long messageId) {
    return db.write(
            c ->
                SqliteProtocolState.execute(
                    c, "DELETE FROM outbox WHERE message_id = ?", messageId))
        == 1;
  }
}
