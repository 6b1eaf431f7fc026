package org.parley.content.status;

/**
 * A message's state at the reporting member (draft-mahy-mimi-message-status); values 7..255 are
 * carried as unknown so newer peers' reports still decode.
 */
public record MessageStatus(int value) {
  public static final MessageStatus UNREAD = new MessageStatus(0);
  public static final MessageStatus DELIVERED = new MessageStatus(1);
  public static final MessageStatus READ = new MessageStatus(2);
  public static final MessageStatus EXPIRED = new MessageStatus(3);
  public static final MessageStatus DELETED = new MessageStatus(4);
  public static final MessageStatus HIDDEN = new MessageStatus(5);
  public static final MessageStatus ERROR = new MessageStatus(6);

  private static final String[] NAMES = {
    "unread", "delivered", "read", "expired", "deleted", "hidden", "error"
  };

  public MessageStatus {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException("status must be 0..255, got " + value);
    }
  }

  public boolean isKnown() {
    return value < NAMES.length;
  }

  @Override
  public String toString() {
    return isKnown() ? NAMES[value] : "unknown(" + value + ")";
  }
}
