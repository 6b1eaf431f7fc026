package org.parley.cli.json;

/**
 * A failure with {@code --json}, the one line on stderr: {@code code} (usage, alarm,
 * server_unreachable, the server's error code, ...), the process's exit code and the sentence a
 * person would read.
 */
public record ErrorLine(Body error) implements JsonLine {
  public ErrorLine(String code, int exit, String message) {
    this(new Body(code, exit, message));
  }

  /** The error itself. */
  public record Body(String code, int exit, String message) {}
}
