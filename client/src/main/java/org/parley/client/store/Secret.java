package org.parley.client.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every column of the state file that holds a secret, with the columns that name its row. An
 * encrypted profile seals these values (and only these); public keys, ids, handles and times stay
 * in the clear. A sealed value's associated data is its table, column and row key, so a value
 * copied into another row, or another column, does not open.
 */
enum Secret {
  LOCAL_KEY_PAIR("local_identity", "key_pair", false, "id"),
  PREKEY("prekey", "record", false, "key_id"),
  SIGNED_PREKEY("signed_prekey", "record", false, "key_id"),
  KYBER_PREKEY("kyber_prekey", "record", false, "key_id"),
  SESSION("session", "record", false, "account_id", "device_id"),
  SENDER_KEY("sender_key", "record", false, "account_id", "device_id", "distribution_id"),
  // who is in a group, its name and admins
  GROUP_STATE("chat_group", "state", false, "id"),
  GROUP_BEFORE("chat_group", "before_state", false, "id"),
  GROUP_LAST_CHANGE("chat_group", "last_change", false, "id"),
  // what lets a contact send this device sealed envelopes, and what lets this device send theirs
  OWN_DELIVERY_CREDENTIAL("sealed_sender", "own_credential", false, "id"),
  DELIVERY_CREDENTIAL("delivery_credential", "credential", false, "account_id", "device_id"),
  PASSWORD("device", "password", true, "id"),
  LINK_CODE("device", "link_code", true, "id"),
  // the conversation, direction and sender are bound too: a text cannot be moved to another
  // conversation or made to look sent by someone else without failing to open
  MESSAGE_BODY("message", "body", true, "id", "peer", "direction", "sender_handle"),
  // a reaction is what someone said about a message, bound to it and its sender
  REACTION_BODY("reaction", "body", true, "id", "message_id", "sender_handle"),
  // what happened in a conversation (a group's changes name its members)
  CHAT_EVENT("chat_event", "body", true, "id", "peer"),
  // the text waiting to be sent, with its salt (which keeps its message id from being guessed)
  OUTBOX_CONTENT("outbox", "content", false, "message_id");

  private static final Set<String> TABLES =
      Stream.of(values()).map(Secret::table).collect(Collectors.toUnmodifiableSet());

  private final String table;
  private final String column;
  private final boolean text;
  private final List<String> keyColumns;

  Secret(String table, String column, boolean text, String... keyColumns) {
    this.table = table;
    this.column = column;
    this.text = text;
    this.keyColumns = List.of(keyColumns);
  }

  String table() {
    return table;
  }

  String column() {
    return column;
  }

  /** True for TEXT columns (they hold a BLOB once sealed; SQLite keeps the value's own type). */
  boolean isText() {
    return text;
  }

  List<String> keyColumns() {
    return keyColumns;
  }

  /** True if {@code table} holds secrets. */
  static boolean isSecretTable(String table) {
    return TABLES.contains(table);
  }

  /**
   * The associated data of this column's value in the row {@code key} (one value per key column,
   * numbers as {@link Number} whatever their width, text as {@link String}). Length-prefixed, so no
   * two rows share an encoding.
   */
  byte[] associatedData(Object... key) {
    if (key.length != keyColumns.size()) {
      throw new IllegalArgumentException(this + " is keyed by " + keyColumns);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF("parley device.db v1");
      out.writeUTF(table);
      out.writeUTF(column);
      for (Object part : key) {
        switch (part) {
          case Number n -> {
            out.writeByte('i');
            out.writeLong(n.longValue());
          }
          case String s -> {
            out.writeByte('s');
            out.writeUTF(s);
          }
          default -> throw new IllegalArgumentException("a row key is a number or text: " + part);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
