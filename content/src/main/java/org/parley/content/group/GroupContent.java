package org.parley.content.group;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.parley.content.ContentFormatException;
import org.parley.content.Disposition;
import org.parley.content.Extensions;
import org.parley.content.MimiContent;
import org.parley.content.MimiUri;
import org.parley.content.NestedPart;
import org.parley.content.ParleyUris;
import org.parley.content.SinglePart;
import org.parley.protocol.cbor.ByteString;
import org.parley.protocol.cbor.CborException;
import org.parley.protocol.cbor.CborValue;

/**
 * A group's messages as MIMI content (docs/spec/groups.md, "Transport"): the group's room URI, the
 * control messages sent over one-to-one sessions, and the {@value #STATE_EXTENSION} extension by
 * which every group message names the state its sender holds.
 */
public final class GroupContent {
  /**
   * A Parley group lives on its members' devices and no server hosts it, so its room names no real
   * domain (RFC 6761's {@code .invalid}); every member derives it from the group id alone.
   */
  static final String ROOM_DOMAIN = "parley.invalid";

  /** The extension key of a group message's {@code [version, stateHash]}. */
  public static final String STATE_EXTENSION = "parley-group";

  private static final CborValue STATE_KEY = CborValue.text(STATE_EXTENSION);

  private GroupContent() {}

  /** {@code mimi://parley.invalid/r/group-<64 lowercase hex of the id>}. */
  public static MimiUri room(GroupId group) {
    return ParleyUris.room(
        ROOM_DOMAIN, "group-" + HexFormat.of().formatHex(group.value().toByteArray()));
  }

  /** The group whose room {@code roomUri} is, or empty if it is no group's room. */
  public static Optional<GroupId> groupOf(String roomUri) {
    String prefix = "mimi://" + ROOM_DOMAIN + "/r/group-";
    if (roomUri == null
        || !roomUri.startsWith(prefix)
        || !roomUri.substring(prefix.length()).matches("[0-9a-f]{64}")) {
      return Optional.empty();
    }
    return Optional.of(
        new GroupId(ByteString.of(HexFormat.of().parseHex(roomUri.substring(prefix.length())))));
  }

  /** A control message from {@code sender} about {@code group}. */
  public static MimiContent control(MimiUri sender, GroupId group, GroupControl control) {
    return MimiContent.of(
        sender,
        room(group),
        new NestedPart(
            Disposition.UNSPECIFIED,
            "",
            new SinglePart(GroupControl.CONTENT_TYPE, ByteString.of(control.encode()))));
  }

  /**
   * The control message {@code content} carries, or empty if it carries none (a text, a receipt).
   *
   * @throws ContentFormatException if it is a control part that does not decode
   */
  public static Optional<GroupControl> control(MimiContent content) throws ContentFormatException {
    if (!(content.nestedPart().part() instanceof SinglePart single)
        || !single.contentType().equalsIgnoreCase(GroupControl.CONTENT_TYPE)) {
      return Optional.empty();
    }
    try {
      return Optional.of(GroupControl.decode(single.content().toByteArray()));
    } catch (CborException e) {
      throw new ContentFormatException("a group control message: " + e.getMessage());
    }
  }

  /** {@code content} naming the sender's state of the group: version and state hash. */
  public static MimiContent withState(MimiContent content, GroupState state) {
    List<CborValue.Entry> entries = new ArrayList<>(content.extensions().entries());
    entries.removeIf(e -> e.key().equals(STATE_KEY));
    entries.add(
        new CborValue.Entry(
            STATE_KEY,
            new CborValue.Array(
                List.of(
                    new CborValue.UnsignedInt(state.version()),
                    new CborValue.Bytes(state.hash())))));
    return content.withExtensions(new Extensions(entries));
  }

  /**
   * The Parley counter of a group message, or of the next message on a chain its distribution hands
   * over (docs/spec/groups.md section 6): 1, 2, ... per sending device and chain.
   */
  public static final String COUNTER_EXTENSION = "parley-counter";

  private static final CborValue COUNTER_KEY = CborValue.text(COUNTER_EXTENSION);

  /** {@code content} with its Parley counter. */
  public static MimiContent withCounter(MimiContent content, long counter) {
    if (counter < 1) {
      throw new IllegalArgumentException("a counter starts at 1");
    }
    List<CborValue.Entry> entries = new ArrayList<>(content.extensions().entries());
    entries.removeIf(e -> e.key().equals(COUNTER_KEY));
    entries.add(new CborValue.Entry(COUNTER_KEY, new CborValue.UnsignedInt(counter)));
    return content.withExtensions(new Extensions(entries));
  }

  /** The Parley counter {@code content} carries, if any (a positive integer). */
  public static java.util.OptionalLong counter(MimiContent content) {
    return content
        .extensions()
        .get(COUNTER_KEY)
        .filter(v -> v instanceof CborValue.UnsignedInt u && u.raw() >= 1)
        .map(v -> java.util.OptionalLong.of(((CborValue.UnsignedInt) v).raw()))
        .orElse(java.util.OptionalLong.empty());
  }

  /** The sender's state a group message names: version and hash, or empty if it names none. */
  public static Optional<StateRef> state(MimiContent content) {
    return content
        .extensions()
        .get(STATE_KEY)
        .filter(CborValue.Array.class::isInstance)
        .map(v -> ((CborValue.Array) v).items())
        .filter(
            items ->
                items.size() == 2
                    && items.get(0) instanceof CborValue.UnsignedInt
                    && items.get(1) instanceof CborValue.Bytes b
                    && b.value().size() == 32)
        .map(
            items ->
                new StateRef(
                    ((CborValue.UnsignedInt) items.get(0)).raw(),
                    ((CborValue.Bytes) items.get(1)).value()));
  }

  /** A state as a group message names it. */
  public record StateRef(long version, ByteString hash) {
    public boolean names(GroupState state) {
      return version == state.version() && hash.equals(state.hash());
    }
  }
}
