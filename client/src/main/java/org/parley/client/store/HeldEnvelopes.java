package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * Envelopes held back, unacknowledged, while the key-transparency log does not prove their sender's
 * device (V3__proven_trust.sql): when each was first seen, so the hold has an end.
 */
public final class HeldEnvelopes {
  private final DeviceDatabase db;

  public HeldEnvelopes(DeviceDatabase db) {
    this.db = db;
  }

  /** When the envelope was first held; records {@code now} the first time. */
  public long firstSeen(String envelopeId, long now) {
    return db.inTransaction(
        () ->
            db.write(
                c -> {
                  try (PreparedStatement s =
                      c.prepareStatement(
                          "INSERT INTO held_envelope (envelope_id,"
                              + " first_seen) VALUES (?, ?) ON CONFLICT (envelope_id) DO NOTHING")) {
                    s.setString(1, envelopeId);
                    s.setLong(2, now);
                    s.executeUpdate();
                  }
                  try (PreparedStatement s =
                      c.prepareStatement(
                          "SELECT first_seen FROM held_envelope WHERE envelope_id = ?")) {
                    s.setString(1, envelopeId);
                    try (ResultSet r = s.executeQuery()) {
                      r.next();
                      return r.getLong(1);
                    }
                  }
                }));
  }

  /** Whether the envelope is held now. */
  public boolean isHeld(String envelopeId) {
    return db.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT 1 FROM held_envelope WHERE envelope_id = ?")) {
            s.setString(1, envelopeId);
            try (ResultSet r = s.executeQuery()) {
              return r.next();
            }
          }
        });
  }

  /**
   * How many envelopes first held at {@code since} or later are held now: older rows are of
   * envelopes past every hold, refused when they come again, or gone from the server for good.
   */
  public int count(long since) {
    return db.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT count(*) FROM held_envelope WHERE first_seen >= ?")) {
            s.setLong(1, since);
            try (ResultSet r = s.executeQuery()) {
              r.next();
              return r.getInt(1);
            }
          }
        });
  }

  /**
   * Forgets the rows first held before {@code before}: an envelope the server never delivers again
   * (deleted behind this device's back) would otherwise keep its row for good.
   */
  public int forgetBefore(long before) {
    return db.write(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM held_envelope WHERE first_seen < ?")) {
            s.setLong(1, before);
            return s.executeUpdate();
          }
        });
  }

  /** The envelope is no longer held (processed or refused). */
  public void release(String envelopeId) {
    db.write(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM held_envelope WHERE envelope_id = ?")) {
            s.setString(1, envelopeId);
            return s.executeUpdate();
          }
        });
  }
}
