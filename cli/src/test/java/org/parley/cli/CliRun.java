package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the parley command in this JVM: its exit code and what it wrote to stdout and stderr.
 */
record CliRun(int exit, String out, String err) {

  /** Runs the command line to its end, as {@code parley args...} with environment {@code env}. */
  /** Runs with {@code input} as standard input. */
  static CliRun runWithInput(String input, Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Parley.execute(
            args,
            env,
            new java.io.ByteArrayInputStream(
                input.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    return new CliRun(exit, out.toString(), err.toString());
  }

  static CliRun run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Parley.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** Starts the command line on its own thread, for commands that wait (link, listen). */
  static Background start(Map<String, String> env, String... args) {
    return new Background(env, System.in, args);
  }

  /** {@link #start} with {@code input} as standard input. */
  static Background startWithInput(String input, Map<String, String> env, String... args) {
    return new Background(
        env,
        new java.io.ByteArrayInputStream(input.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        args);
  }

  /** The lines written to stderr. */
  String[] errLines() {
    return err.isEmpty() ? new String[0] : err.split("\\R");
  }

  /** The lines written to stdout. */
  String[] outLines() {
    return out.isEmpty() ? new String[0] : out.split("\\R");
  }

  /** Asserts the failure contract: one {@code parley: } line on stderr and no stack trace. */
  void assertOneErrorLine() {
    assertThat(errLines()).as("stderr of a failed run: %s", err).hasSize(1);
    assertThat(err).startsWith("parley: ");
    assertThat(err).doesNotContain("Exception", "\tat ");
  }

  /**
   * A command running on a thread of its own. Its output can be read while it runs: a {@link
   * StringWriter} appends to a synchronized buffer, and each line is flushed as it is printed.
   */
  static final class Background {
    private static final Duration POLL = Duration.ofMillis(50);

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Thread thread;
    private volatile int exit = -1;

    private Background(Map<String, String> env, java.io.InputStream in, String[] args) {
      thread =
          new Thread(
              () ->
                  exit =
                      Parley.execute(
                          args, env, in, new PrintWriter(out, true), new PrintWriter(err, true)),
              "parley " + String.join(" ", args));
      thread.setDaemon(true);
      thread.start();
    }

    String out() {
      return out.toString();
    }

    String err() {
      return err.toString();
    }

    /**
     * Waits until stdout matches {@code pattern}, polling; fails after {@code timeout} or if the
     * command ends first without printing it.
     */
    Matcher awaitOut(Pattern pattern, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        boolean ended = !thread.isAlive();
        Matcher m = pattern.matcher(out.toString());
        if (m.find()) {
          return m;
        }
        if (ended || System.nanoTime() > deadline) {
          return fail(
              "no output matching /%s/ %s; stdout: %s; stderr: %s",
              pattern,
              ended ? "before the command ended (exit " + exit + ")" : "within " + timeout,
              out,
              err);
        }
        Thread.sleep(POLL);
      }
    }

    /** Asks the command to stop, as an embedding program would: by interrupting its thread. */
    void interrupt() {
      thread.interrupt();
    }

    /** Waits for the command to end, at most {@code timeout}, and returns its run. */
    CliRun await(Duration timeout) throws InterruptedException {
      if (!thread.join(timeout)) {
        thread.interrupt();
        fail(
            "still running after %s: %s; stdout: %s; stderr: %s",
            timeout, thread.getName(), out, err);
      }
      return new CliRun(exit, out.toString(), err.toString());
    }

    /** Stops the command if it still runs (for cleanup after a failed assertion). */
    void stop() throws InterruptedException {
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(Duration.ofSeconds(15));
      }
    }
  }
}
