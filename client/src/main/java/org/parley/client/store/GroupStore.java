package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.parley.content.group.GroupChange;
import org.parley.content.group.GroupCodec;
import org.parley.content.group.GroupId;
import org.parley.content.group.GroupState;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.cbor.ByteString;
import org.parley.protocol.cbor.CborException;

/**
 * The groups this device holds (V11__groups.sql): each one's state, the change that made it, this
 * device's sender-key chain for it and who holds that chain, and which group other devices' chains
 * are for. Every method joins the caller's transaction if one is open.
 */
public final class GroupStore {
  private final DeviceDatabase db;

  public GroupStore(DeviceDatabase db) {
    this.db = db;
  }

  /**
   * A group as this device holds it: the state, the change that made it (its hash, and the change
   * itself where stored), the state that change followed, and this device's chain.
   */
  public record Held(
      GroupState state,
      ByteString changeHash,
      Optional<GroupState> before,
      Optional<UUID> chain,
      Optional<GroupChange> lastChange) {}

  /** A device given this device's chain, with the key it had then. */
  public record Holder(AccountId account, DeviceId device, ByteString identityKey) {}

  public static String key(GroupId id) {
    return HexFormat.of().formatHex(id.value().toByteArray());
  }

  public Optional<Held> find(GroupId id) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT state, change_hash, chain, before_state, last_change FROM chat_group"
                      + " WHERE id = ?")) {
            st.setString(1, key(id));
            try (ResultSet rs = st.executeQuery()) {
              return rs.next() ? Optional.of(held(key(id), rs)) : Optional.empty();
            }
          }
        });
  }

  /** Every group held, by name. */
  public List<Held> all() {
    return db.read(
        c -> {
          List<Held> out = new ArrayList<>();
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT state, change_hash, chain, before_state, last_change, id"
                          + " FROM chat_group");
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              out.add(held(rs.getString(6), rs));
            }
          }
          out.sort(java.util.Comparator.comparing(h -> h.state().name()));
          return out;
        });
  }

  /**
   * Stores a group's new state. Without {@code keepChain} (someone left) this device's chain is
   * dropped and it starts a new one before its next message (docs/spec/groups.md, section 6).
   */
  public void save(GroupState state, GroupChange change, GroupState before, boolean keepChain) {
    String id = key(state.id());
    db.write(
        c -> {
          SqliteProtocolState.execute(
              c,
              "INSERT INTO chat_group"
                  + " (id, state, change_hash, before_state, last_change, chain, updated_at)"
                  + " VALUES (?, ?, ?, ?, ?, NULL, ?) ON CONFLICT (id) DO UPDATE SET"
                  + " state = excluded.state, change_hash = excluded.change_hash,"
                  + " before_state = excluded.before_state, last_change = excluded.last_change,"
                  + " updated_at = excluded.updated_at",
              id,
              db.secrets().seal(Secret.GROUP_STATE, state.encode(), id),
              change.hash().toByteArray(),
              before == null ? null : db.secrets().seal(Secret.GROUP_BEFORE, before.encode(), id),
              db.secrets().seal(Secret.GROUP_LAST_CHANGE, change.encode(), id),
              System.currentTimeMillis());
          if (!keepChain) {
            SqliteProtocolState.execute(c, "UPDATE chat_group SET chain = NULL WHERE id = ?", id);
            SqliteProtocolState.execute(c, "DELETE FROM group_chain_holder WHERE group_id = ?", id);
          }
          return null;
        });
  }

  /** Starts a new chain of this device for the group; nobody holds it yet. */
  public void startChain(GroupId group, UUID chain) {
    String id = key(group);
    db.write(
        c -> {
          SqliteProtocolState.execute(
              c,
              "UPDATE chat_group SET chain = ?, chain_sent = 0 WHERE id = ?",
              chain.toString(),
              id);
          SqliteProtocolState.execute(c, "DELETE FROM group_chain_holder WHERE group_id = ?", id);
          return null;
        });
  }

  public List<Holder> holders(GroupId group) {
    return db.read(
        c -> {
          List<Holder> out = new ArrayList<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT account_id, device_id, identity_key FROM group_chain_holder"
                      + " WHERE group_id = ?")) {
            st.setString(1, key(group));
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Holder(
                        AccountId.of(rs.getString(1)),
                        DeviceId.of(rs.getInt(2)),
                        ByteString.of(rs.getBytes(3))));
              }
            }
          }
          return out;
        });
  }

  public void addHolder(GroupId group, Holder holder) {
    db.write(
        c ->
            SqliteProtocolState.execute(
                c,
                "INSERT OR REPLACE INTO group_chain_holder"
                    + " (group_id, account_id, device_id, identity_key) VALUES (?, ?, ?, ?)",
                key(group),
                holder.account().value(),
                holder.device().value(),
                holder.identityKey().toByteArray()));
  }

  /** Records which group another device's chain is for. */
  /**
   * Records which group another device's chain is for, and the counter its next message will carry
   * if the distribution said (kept if one is known already).
   */
  public void recordSenderChain(
      AccountId account, DeviceId device, UUID chain, GroupId group, Long nextCounter) {
    db.write(
        c ->
            SqliteProtocolState.execute(
                c,
                "INSERT INTO group_sender_chain"
                    + " (account_id, device_id, distribution_id, group_id, next_counter)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, device_id, distribution_id)"
                    + " DO UPDATE SET group_id = excluded.group_id,"
                    + " next_counter = COALESCE(next_counter, excluded.next_counter)",
                account.value(),
                device.value(),
                chain.toString(),
                key(group),
                nextCounter));
  }

  /** The counter expected of the next message on another device's chain, if known. */
  public java.util.OptionalLong expectedCounter(AccountId account, DeviceId device, UUID chain) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT next_counter FROM group_sender_chain"
                      + " WHERE account_id = ? AND device_id = ? AND distribution_id = ?")) {
            st.setString(1, account.value());
            st.setInt(2, device.value());
            st.setString(3, chain.toString());
            try (ResultSet rs = st.executeQuery()) {
              if (!rs.next()) {
                return java.util.OptionalLong.empty();
              }
              long next = rs.getLong(1);
              return rs.wasNull()
                  ? java.util.OptionalLong.empty()
                  : java.util.OptionalLong.of(next);
            }
          }
        });
  }

  /** Sets the counter expected of the next message on another device's chain. */
  public void expectCounter(AccountId account, DeviceId device, UUID chain, long next) {
    db.write(
        c ->
            SqliteProtocolState.execute(
                c,
                "UPDATE group_sender_chain SET next_counter = ?"
                    + " WHERE account_id = ? AND device_id = ? AND distribution_id = ?",
                next,
                account.value(),
                device.value(),
                chain.toString()));
  }

  /** The counter this device's next message on its current chain of the group carries. */
  public long nextOwnCounter(GroupId group) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement("SELECT chain_sent FROM chat_group WHERE id = ?")) {
            st.setString(1, key(group));
            try (ResultSet rs = st.executeQuery()) {
              return rs.next() ? rs.getLong(1) + 1 : 1L;
            }
          }
        });
  }

  /** Counts a message sent on this device's current chain of the group. */
  public void countOwn(GroupId group, long counter) {
    db.write(
        c ->
            SqliteProtocolState.execute(
                c,
                "UPDATE chat_group SET chain_sent = ? WHERE id = ? AND chain_sent < ?",
                counter,
                key(group),
                counter));
  }

  /** The group another device's chain is for, as its distribution said. */
  public Optional<GroupId> groupOfChain(AccountId account, DeviceId device, UUID chain) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT group_id FROM group_sender_chain"
                      + " WHERE account_id = ? AND device_id = ? AND distribution_id = ?")) {
            st.setString(1, account.value());
            st.setInt(2, device.value());
            st.setString(3, chain.toString());
            try (ResultSet rs = st.executeQuery()) {
              return rs.next()
                  ? Optional.of(
                      new GroupId(ByteString.of(HexFormat.of().parseHex(rs.getString(1)))))
                  : Optional.empty();
            }
          }
        });
  }

  private Held held(String id, ResultSet rs) throws java.sql.SQLException {
    GroupState state = decode(id, db.secrets().open(Secret.GROUP_STATE, rs.getBytes(1), id));
    byte[] before = rs.getBytes(4);
    String chain = rs.getString(3);
    byte[] last = rs.getBytes(5);
    return new Held(
        state,
        ByteString.of(rs.getBytes(2)),
        before == null
            ? Optional.empty()
            : Optional.of(decode(id, db.secrets().open(Secret.GROUP_BEFORE, before, id))),
        chain == null ? Optional.empty() : Optional.of(UUID.fromString(chain)),
        last == null
            ? Optional.empty()
            : Optional.of(change(id, db.secrets().open(Secret.GROUP_LAST_CHANGE, last, id))));
  }

  private static GroupChange change(String id, byte[] encoded) {
    try {
      return GroupCodec.decode(encoded);
    } catch (CborException e) {
      throw new IllegalStateException("the stored last change of group " + id + " is damaged", e);
    }
  }

  private static GroupState decode(String id, byte[] encoded) {
    try {
      return GroupCodec.decodeState(encoded);
    } catch (CborException e) {
      throw new IllegalStateException("the stored state of group " + id + " is damaged", e);
    }
  }
}
