package org.parley.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parley command run in this JVM on one profile, as a person would type it, for testkit tests
 * that check what is printed and the exit code. (In the cli's package: {@code Parley.execute} is
 * not public API.)
 *
 * @param exit the exit code
 * @param out what it wrote to standard output
 * @param err what it wrote to standard error
 */
public record ParleyRun(int exit, String out, String err) {
  /** Runs {@code parley --profile PROFILE ARGS...} to its end. */
  public static ParleyRun run(Path profile, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Parley.execute(
            withProfile(profile, args),
            Map.of(),
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    return new ParleyRun(exit, out.toString(), err.toString());
  }

  /** Starts {@code parley --profile PROFILE ARGS...} on a thread of its own (listen). */
  public static Background start(Path profile, String... args) {
    return new Background(withProfile(profile, args));
  }

  private static String[] withProfile(Path profile, String[] args) {
    List<String> all = new ArrayList<>(List.of("--profile", profile.toString()));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  /** A command running on its own thread; its output can be read while it runs. */
  public static final class Background {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Thread thread;
    private volatile int exit = -1;

    private Background(String[] args) {
      thread =
          new Thread(
              () ->
                  exit =
                      Parley.execute(
                          args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true)),
              "parley " + String.join(" ", args));
      thread.setDaemon(true);
      thread.start();
    }

    public String out() {
      return out.toString();
    }

    /** Waits until standard output matches {@code pattern}; false if the time ran out first. */
    public boolean awaitOut(Pattern pattern, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (pattern.matcher(out.toString()).find()) {
          return true;
        }
        if (!thread.isAlive()) {
          return pattern.matcher(out.toString()).find();
        }
        Thread.sleep(50);
      }
      return false;
    }

    /** Waits at most {@code timeout} for the command to end by itself; empty if it did not. */
    public java.util.Optional<ParleyRun> await(Duration timeout) throws InterruptedException {
      if (!thread.join(timeout)) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(new ParleyRun(exit, out.toString(), err.toString()));
    }

    /** Stops the command as an embedding program would (an interrupt) and returns its run. */
    public ParleyRun stop() throws InterruptedException {
      thread.interrupt();
      if (!thread.join(Duration.ofSeconds(30))) {
        throw new IllegalStateException("still running 30 s after an interrupt: " + out);
      }
      return new ParleyRun(exit, out.toString(), err.toString());
    }
  }
}
