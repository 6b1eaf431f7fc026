package org.parley.content.group;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.parley.protocol.AccountId;
import org.parley.protocol.cbor.ByteString;
import org.parley.protocol.cbor.CborWriter;

/**
 * What every member device holds of a group after a version (docs/spec/groups.md, "State"): the
 * server never sees it. Members are kept in account-id order, so equal states encode and hash alike
 * on every device.
 *
 * @param previous the hash of the state this one followed; null at version 1
 * @param timerSeconds the disappearing-message timer, 0 when off
 */
public record GroupState(
    GroupId id,
    long version,
    ByteString previous,
    String name,
    long timerSeconds,
    List<Member> members) {
  private static final Comparator<Member> BY_ACCOUNT =
      Comparator.comparing(m -> m.account().value());

  public GroupState {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    if (version < 1) {
      throw new IllegalArgumentException("a state's version starts at 1");
    }
    if ((version == 1) != (previous == null)) {
      throw new IllegalArgumentException("only version 1 follows no state");
    }
    if (previous != null && previous.size() != 32) {
      throw new IllegalArgumentException("a state hash is 32 bytes");
    }
    List<Member> sorted = new ArrayList<>(members);
    sorted.sort(BY_ACCOUNT);
    members = List.copyOf(sorted);
  }

  public Optional<Member> member(AccountId account) {
    for (Member m : members) {
      if (m.account().equals(account)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  public boolean isAdmin(AccountId account) {
    return member(account).map(Member::admin).orElse(false);
  }

  /** The deterministic CBOR encoding (RFC 8949 section 4.2.1) of docs/spec/groups.md. */
  public byte[] encode() {
    CborWriter w = new CborWriter();
    w.writeArrayHeader(6);
    w.writeBytes(id.value());
    w.writeUnsigned(version);
    if (previous == null) {
      w.writeNull();
    } else {
      w.writeBytes(previous);
    }
    w.writeText(name);
    w.writeUnsigned(timerSeconds);
    w.writeArrayHeader(members.size());
    for (Member m : members) {
      w.writeArrayHeader(3);
      w.writeText(m.account().value());
      w.writeText(m.handle().value());
      w.writeBoolean(m.admin());
    }
    return w.toByteArray();
  }

  /** SHA-256 over a label and {@link #encode()}: what the next change names as its previous. */
  public ByteString hash() {
    return Labelled.sha256("parley group state v1", encode());
  }
}
