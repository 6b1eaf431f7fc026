package org.parley.content;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Parley names senders and rooms in MIMI content (docs/spec/content.md): the draft's {@code
 * mimi://<domain>/u/<name>} and {@code mimi://<domain>/r/<room>} forms. A 1:1 room is named by a
 * hash of its two handles, so both sides derive the same URI without talking.
 */
public final class ParleyUris {
  /** A Parley handle (docs/spec/api.md): {@code name@domain}, lowercase. */
  private static final Pattern HANDLE =
      Pattern.compile(
          "([a-z0-9][a-z0-9._-]{0,31})@([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]{1,5})?)");

  private static final Pattern ROOM_ID = Pattern.compile("[A-Za-z0-9._~-]{1,128}");
  private static final byte[] DIRECT_ROOM_LABEL =
      "parley direct room v1".getBytes(StandardCharsets.US_ASCII);

  private ParleyUris() {}

  /** {@code name@domain} becomes {@code mimi://<domain>/u/<name>}. */
  public static MimiUri user(String handle) {
    Matcher m = handle(handle);
    return new MimiUri("mimi://" + m.group(2) + "/u/" + m.group(1));
  }

  /** {@code mimi://<domain>/r/<roomId>} for a group conversation with a server-assigned id. */
  public static MimiUri room(String domain, String roomId) {
    Matcher m = handle("room@" + domain);
    if (roomId == null || !ROOM_ID.matcher(roomId).matches()) {
      throw new IllegalArgumentException("room id must be 1..128 of A-Z a-z 0-9 . _ ~ -");
    }
    return new MimiUri("mimi://" + m.group(2) + "/r/" + roomId);
  }

  /**
   * {@code mimi://<domain>/r/direct-<hex>}: hex is SHA-256 over a label and the two length-prefixed
   * handles in ascending order, domain is that of the first of them. The result does not depend on
   * argument order. A conversation with oneself is {@code directRoom(a, a)}.
   */
  public static MimiUri directRoom(String handleA, String handleB) {
    handle(handleA);
    handle(handleB);
    String first = handleA.compareTo(handleB) <= 0 ? handleA : handleB;
    String second = first.equals(handleA) ? handleB : handleA;
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    input.writeBytes(DIRECT_ROOM_LABEL);
    lengthPrefixed(input, first);
    lengthPrefixed(input, second);
    return new MimiUri(
        "mimi://"
            + handle(first).group(2)
            + "/r/direct-"
            + HexFormat.of().formatHex(sha256(input)));
  }

  private static Matcher handle(String handle) {
    Matcher m = HANDLE.matcher(handle == null ? "" : handle);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a Parley handle (name@domain, lowercase): " + handle);
    }
    return m;
  }

  /** Handles are ASCII and at most 32 + 1 + 253 characters, so one length octet pair suffices. */
  private static void lengthPrefixed(ByteArrayOutputStream out, String handle) {
    byte[] octets = handle.getBytes(StandardCharsets.US_ASCII);
    out.write(octets.length >>> 8);
    out.write(octets.length & 0xff);
    out.writeBytes(octets);
  }

  private static byte[] sha256(ByteArrayOutputStream input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input.toByteArray());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
