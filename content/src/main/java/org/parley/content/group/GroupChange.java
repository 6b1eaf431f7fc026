package org.parley.content.group;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.cbor.ByteString;
import org.parley.protocol.cbor.CborWriter;

/**
 * A signed step from one group state to the next (docs/spec/groups.md, "Changes"): the version it
 * makes, the hash of the state it follows (null when it creates the group), its actions, and the
 * author's device with the identity key that signed {@link #signedBytes()}.
 */
public record GroupChange(
    GroupId group,
    long version,
    ByteString previous,
    List<GroupAction> actions,
    AccountId author,
    DeviceId authorDevice,
    ByteString authorKey,
    ByteString signature) {
  /** What the signature covers before the encoding: no other Parley signature starts so. */
  static final byte[] SIGNATURE_LABEL =
      "parley group change v1\0".getBytes(StandardCharsets.US_ASCII);

  public GroupChange {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(authorDevice, "authorDevice");
    Objects.requireNonNull(authorKey, "authorKey");
    Objects.requireNonNull(signature, "signature");
    actions = List.copyOf(actions);
  }

  /** The bytes the author's device signs: a label, then the change without its signature. */
  public byte[] signedBytes() {
    byte[] unsigned = unsigned().toByteArray();
    byte[] out = new byte[SIGNATURE_LABEL.length + unsigned.length];
    System.arraycopy(SIGNATURE_LABEL, 0, out, 0, SIGNATURE_LABEL.length);
    System.arraycopy(unsigned, 0, out, SIGNATURE_LABEL.length, unsigned.length);
    return out;
  }

  /** The same change carrying {@code signature}. */
  public GroupChange signed(ByteString signature) {
    return new GroupChange(
        group, version, previous, actions, author, authorDevice, authorKey, signature);
  }

  /** The deterministic CBOR encoding: the signed fields, then the signature. */
  public byte[] encode() {
    CborWriter w = new CborWriter();
    w.writeArrayHeader(2);
    w.writeBytes(unsigned().toByteArray());
    w.writeBytes(signature);
    return w.toByteArray();
  }

  /**
   * SHA-256 over a label and {@link #encode()}; of two valid changes to one state, members keep the
   * one whose hash is smaller (docs/spec/groups.md, "Concurrent changes").
   */
  public ByteString hash() {
    return Labelled.sha256("parley group change hash v1", encode());
  }

  private CborWriter unsigned() {
    CborWriter w = new CborWriter();
    w.writeArrayHeader(7);
    w.writeBytes(group.value());
    w.writeUnsigned(version);
    if (previous == null) {
      w.writeNull();
    } else {
      w.writeBytes(previous);
    }
    w.writeArrayHeader(actions.size());
    for (GroupAction action : actions) {
      GroupCodec.writeAction(w, action);
    }
    w.writeText(author.value());
    w.writeUnsigned(authorDevice.value());
    w.writeBytes(authorKey);
    return w;
  }
}
