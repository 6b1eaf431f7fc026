package org.parley.cli;

import java.io.PrintWriter;
import org.parley.cli.json.JsonLine;
import org.parley.protocol.Json;

/**
 * Where a command's results go: plain lines for people, or one JSON object per line for programs.
 * Notes (progress, prompts' context) go to stdout in plain mode and stderr in JSON mode, so that
 * stdout stays parseable.
 */
sealed interface Output {
  /** One result: {@code plain} for people, {@code json} (a documented shape) for programs. */
  void result(String plain, JsonLine json);

  /** Information for people that is not a result. */
  void note(String text);

  boolean isJson();

  /** Plain text on stdout. */
  record PlainOutput(PrintWriter out) implements Output {
    @Override
    public void result(String plain, JsonLine json) {
      note(plain);
    }

    @Override
    public void note(String text) {
      out.println(text);
      out.flush();
    }

    @Override
    public boolean isJson() {
      return false;
    }
  }

  /** JSON lines on stdout, notes on stderr. */
  record JsonOutput(PrintWriter out, PrintWriter err) implements Output {
    @Override
    public void result(String plain, JsonLine json) {
      line(json);
    }

    private void line(Object json) {
      out.println(Json.writeString(json));
      out.flush();
    }

    @Override
    public void note(String text) {
      err.println(text);
      err.flush();
    }

    @Override
    public boolean isJson() {
      return true;
    }
  }
}
