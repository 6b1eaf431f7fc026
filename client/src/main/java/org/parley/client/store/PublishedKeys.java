package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which signed keys this device published and when ({@code published_key}): the record the rotation
 * schedule works from. The key material itself is libsignal's, in {@code signed_prekey} and {@code
 * kyber_prekey}.
 */
public final class PublishedKeys {
  /** The two kinds of signed key a device publishes and rotates. */
  public enum Kind {
    SIGNED_EC("signed_ec", "SELECT key_id FROM signed_prekey"),
    LAST_RESORT_KYBER("last_resort_kyber", "SELECT key_id FROM kyber_prekey WHERE last_resort = 1");

    final String column;
    final String existing;

    Kind(String column, String existing) {
      this.column = column;
      this.existing = existing;
    }
  }

  /** One published (or being published) key. */
  public record Key(Kind kind, int keyId, long createdAt, Long uploadedAt, Long replacedAt) {
    public boolean uploaded() {
      return uploadedAt != null;
    }

    public boolean replaced() {
      return replacedAt != null;
    }
  }

  private final DeviceDatabase db;

  public PublishedKeys(DeviceDatabase db) {
    this.db = db;
  }

  /** Every recorded key of {@code kind}, oldest first. */
  public List<Key> all(Kind kind) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT key_id, created_at, uploaded_at,"
                      + " replaced_at FROM published_key WHERE kind = ? ORDER BY created_at, key_id")) {
            st.setString(1, kind.column);
            try (ResultSet rs = st.executeQuery()) {
              List<Key> keys = new ArrayList<>();
              while (rs.next()) {
                keys.add(
                    new Key(
                        kind,
                        rs.getInt(1),
                        rs.getLong(2),
                        nullableLong(rs, 3),
                        nullableLong(rs, 4)));
              }
              return keys;
            }
          }
        });
  }

  /**
   * The keys of {@code kind} a profile made before rotation existed: the one key registration or
   * linking published, which no row names yet.
   */
  public List<Integer> unrecorded(Kind kind) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  kind.existing
                      + (kind == Kind.SIGNED_EC ? " WHERE" : " AND")
                      + " key_id NOT IN (SELECT key_id FROM published_key WHERE kind = ?)")) {
            st.setString(1, kind.column);
            try (ResultSet rs = st.executeQuery()) {
              List<Integer> ids = new ArrayList<>();
              while (rs.next()) {
                ids.add(rs.getInt(1));
              }
              return ids;
            }
          }
        });
  }

  private static Long nullableLong(ResultSet rs, int column) throws java.sql.SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  /** Records a key created now, not yet accepted by the server (or, with uploadedAt, accepted). */
  public void add(Kind kind, int keyId, long createdAt, Optional<Long> uploadedAt) {
    db.write(
        c ->
            SqliteProtocolState.execute(
                c,
                "INSERT INTO published_key (kind, key_id, created_at, uploaded_at) VALUES (?, ?, ?, ?)",
                kind.column,
                keyId,
                createdAt,
                uploadedAt.orElse(null)));
  }

  /** Marks {@code key} accepted by the server at {@code at}, and every other one replaced. */
  public void accepted(Kind kind, int keyId, long at) {
    db.inTransaction(
        () ->
            db.write(
                c -> {
                  SqliteProtocolState.execute(
                      c,
                      "UPDATE published_key SET uploaded_at = ? WHERE kind = ? AND key_id = ?",
                      at,
                      kind.column,
                      keyId);
                  return SqliteProtocolState.execute(
                      c,
                      "UPDATE published_key SET replaced_at = ?"
                          + " WHERE kind = ? AND key_id <> ? AND replaced_at IS NULL",
                      at,
                      kind.column,
                      keyId);
                }));
  }

  /** Forgets the record of a key whose material was deleted. */
  public void remove(Kind kind, int keyId) {
    db.write(
        c ->
            SqliteProtocolState.execute(
                c, "DELETE FROM published_key WHERE kind = ? AND key_id = ?", kind.column, keyId));
  }
}
