package org.parley.content;

/**
 * How the sender intends a part to be handled (draft registry "MIMI Content Disposition"). Any
 * value 0..255 is carried; receivers treat values they don't know as {@link #RENDER}.
 */
public record Disposition(int value) {
  public static final Disposition UNSPECIFIED = new Disposition(0);
  public static final Disposition RENDER = new Disposition(1);
  public static final Disposition REACTION = new Disposition(2);
  public static final Disposition PROFILE = new Disposition(3);
  public static final Disposition INLINE = new Disposition(4);
  public static final Disposition ICON = new Disposition(5);
  public static final Disposition ATTACHMENT = new Disposition(6);
  public static final Disposition SESSION = new Disposition(7);
  public static final Disposition PREVIEW = new Disposition(8);

  private static final String[] NAMES = {
    "unspecified",
    "render",
    "reaction",
    "profile",
    "inline",
    "icon",
    "attachment",
    "session",
    "preview"
  };

  public Disposition {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException("disposition must be 0..255, got " + value);
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
