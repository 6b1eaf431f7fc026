package org.parley.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The parley command (org.parley.cli.Parley on this test's classpath) as an operating-system
 * process of its own, as a person runs it in another terminal; its stdout and stderr go to files
 * that can be read while it runs.
 */
final class CliProcess implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private final Process process;
  private final Path out;
  private final Path err;

  private CliProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /** Starts {@code parley --profile PROFILE ARGS...}; output files go in {@code dir}. */
  static CliProcess start(Path dir, Path profile, String... args) {
    try {
      Files.createDirectories(dir);
      Path out = Files.createTempFile(dir, "parley", ".out");
      Path err = Files.createTempFile(dir, "parley", ".err");
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.add("--enable-native-access=ALL-UNNAMED");
      command.add("-Xmx256m");
      // a CLI run lives seconds: C1 alone and the serial collector cost less CPU than tiered
      // compilation and G1 (the suite shares 2 cores)
      command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add("org.parley.cli.Parley");
      command.add("--profile");
      command.add(profile.toString());
      command.addAll(List.of(args));
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      return new CliProcess(p, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code parley --profile PROFILE ARGS...} to its end (at most a minute and a half). */
  static CliProcess run(Path dir, Path profile, String... args) throws InterruptedException {
    CliProcess p = start(dir, profile, args);
    if (!p.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
      p.close();
      throw new AssertionError("parley " + String.join(" ", args) + " still runs after " + WAIT);
    }
    return p;
  }

  List<String> outLines() {
    return read(out);
  }

  String err() {
    return String.join("\n", read(err));
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int exitCode() {
    return process.exitValue();
  }

  /** Waits until some line of stdout matches. */
  void awaitLine(Predicate<String> what, String description) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (outLines().stream().noneMatch(what)) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new AssertionError(
            "no output line "
                + description
                + (process.isAlive()
                    ? " within " + WAIT
                    : " before the command ended (exit " + process.exitValue() + ")")
                + "; stdout: "
                + outLines()
                + "; stderr: "
                + err());
      }
      Thread.sleep(100);
    }
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills it with SIGKILL (no shutdown hook, nothing flushed), and waits. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** Stops it as Ctrl-C would (SIGTERM runs the shutdown hook), and waits. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
