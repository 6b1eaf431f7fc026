package org.parley.content.group;

import java.util.Objects;
import org.parley.protocol.cbor.ByteString;
import org.parley.protocol.cbor.CborException;
import org.parley.protocol.cbor.CborReader;
import org.parley.protocol.cbor.CborWriter;

/**
 * What one member device tells another about a group over their one-to-one session
 * (docs/spec/groups.md, "Transport"): a signed change, with the state it follows for a member it
 * adds, or this device's sender-key distribution for the group. Carried as the single part of a
 * MIMI content message of type {@link #CONTENT_TYPE}, in the group's room.
 */
public sealed interface GroupControl {
  /** The part's content type. */
  String CONTENT_TYPE = "application/vnd.parley.group-control";

  int CHANGE = 0;
  int DISTRIBUTION = 1;

  /** The deterministic CBOR encoding. */
  byte[] encode();

  /**
   * A change, and for the members it adds the state it follows (on the author's word: an added
   * member cannot check the history before it), else null.
   */
  record Change(GroupChange change, GroupState before) implements GroupControl {
    public Change {
      Objects.requireNonNull(change, "change");
      if (before != null && !before.id().equals(change.group())) {
        throw new IllegalArgumentException("the state sent with a change is of another group");
      }
    }

    @Override
    public byte[] encode() {
      CborWriter w = new CborWriter();
      w.writeArrayHeader(3).writeUnsigned(CHANGE);
      w.writeBytes(change.encode());
      if (before == null) {
        w.writeNull();
      } else {
        w.writeBytes(before.encode());
      }
      return w.toByteArray();
    }
  }

  /** A libsignal SenderKeyDistributionMessage of the sending device's chain for the group. */
  record Distribution(ByteString message) implements GroupControl {
    public Distribution {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public byte[] encode() {
      CborWriter w = new CborWriter();
      w.writeArrayHeader(2).writeUnsigned(DISTRIBUTION).writeBytes(message);
      return w.toByteArray();
    }
  }

  /** Decodes what {@link #encode()} made; anything else is refused. */
  static GroupControl decode(byte[] encoded) throws CborException {
    CborReader r = new CborReader(encoded);
    int size = r.readArrayHeader("control");
    long kind = r.readUnsigned("control.kind", 255);
    GroupControl control;
    if (kind == CHANGE && size == 3) {
      GroupChange change = GroupCodec.decode(r.readByteArray("control.change"));
      GroupState before =
          r.tryReadNull("control.before")
              ? null
              : GroupCodec.decodeState(r.readByteArray("control.before"));
      try {
        control = new Change(change, before);
      } catch (IllegalArgumentException e) {
        throw new CborException("control: " + e.getMessage());
      }
    } else if (kind == DISTRIBUTION && size == 2) {
      control = new Distribution(r.readBytes("control.distribution"));
    } else {
      throw new CborException("control: unknown kind " + kind + " of " + size + " elements");
    }
    r.requireEnd("control");
    if (!java.util.Arrays.equals(control.encode(), encoded)) {
      throw new CborException("control: not in its deterministic encoding");
    }
    return control;
  }
}
