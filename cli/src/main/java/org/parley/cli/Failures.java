package org.parley.cli;

import java.io.PrintWriter;
import org.parley.client.ClientException;
import org.parley.client.PassphraseException;
import org.parley.client.ServerException;
import org.parley.client.ServerUnreachableException;
import org.parley.client.UntrustedIdentityException;
import picocli.CommandLine;

/**
 * Turns every failure into ONE line on stderr, {@code parley: <what went wrong>. <what to do next>}
 * (with {@code --json}, one JSON object {@code {"error": {"code", "exit", "message"}}} instead),
 * and an exit code per class of failure (see {@link #EXIT_CODES_0}). Stack traces only with {@code
 * --verbose}.
 */
final class Failures {
  static final int FAILED = 1;
  static final int USAGE = 2;

  /** Exit code when a key-transparency alarm was raised. */
  static final int ALARM = 3;

  /** No answer from the server, or it failed (5xx); for send, the text waits in the outbox. */
  static final int UNREACHABLE = 4;

  /** The server refused the request (4xx): its error code says why. */
  static final int REFUSED = 5;

  /** The profile cannot act for an account: none yet, this device removed, or passphrase. */
  static final int NO_ACCOUNT = 6;

  /** Another parley listen holds the profile. */
  static final int BUSY = 7;

  /** The exit codes as the top-level help lists them (two lines; annotations need constants). */
  static final String EXIT_CODES_0 =
      "Exit codes: 0 done; 1 failed (a local problem or a bug); 2 usage error; 3 key-transparency"
          + " alarm; 4 server unreachable or failing (send keeps the text in the outbox); 5 the"
          + " server refused (its error code says why; 429 says when to try again); 6 the profile"
          + " has no working account (not registered, device removed, passphrase); 7 the profile is"
          + " busy (parley listen runs for it).";

  static final String EXIT_CODES_1 =
      "With --json, an error is one JSON line on stderr: {\"error\": {\"code\", \"exit\","
          + " \"message\"}} (code: usage, alarm, server_unreachable, the server's error code,"
          + " queued, not_registered, passphrase, profile_busy or failed).";

  private Failures() {}

  /** One failure as it is reported. */
  record Failure(int exit, String code, String line) {}

  /** A command line picocli could not parse. */
  static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    String what = sentence(e.getMessage());
    return print(
        new Failure(
            USAGE,
            "usage",
            what + " Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage."),
        java.util.Arrays.asList(args).contains("--json"),
        cmd.getErr());
  }

  /** A command that ran and failed. */
  static int report(Exception e, CommandLine cmd, boolean verbose, PrintWriter err) {
    return report(e, cmd, verbose, false, err);
  }

  /** A command that ran and failed; with {@code json}, reported as a JSON line. */
  static int report(Exception e, CommandLine cmd, boolean verbose, boolean json, PrintWriter err) {
    int exit = print(classify(e, cmd), json, err);
    if (verbose) {
      e.printStackTrace(err);
      err.flush();
    }
    return exit;
  }

  private static int print(Failure f, boolean json, PrintWriter err) {
    if (json) {
      err.println(
          org.parley.protocol.Json.writeString(
              new org.parley.cli.json.ErrorLine(f.code(), f.exit(), f.line())));
    } else {
      err.println("parley: " + f.line());
    }
    err.flush();
    return f.exit();
  }

  /** The exit code, the code and the line for a failure. */
  static Failure classify(Throwable e, CommandLine cmd) {
    if (e instanceof AlarmException || e instanceof org.parley.client.KtAlarmException) {
      return new Failure(
          ALARM,
          "alarm",
          "ALARM: "
              + sentence(e.getMessage())
              + " Keep this device's data for evidence (parley verify shows the alarms).");
    }
    if (e instanceof UsageException usage) {
      return new Failure(
          USAGE,
          "usage",
          sentence(usage.getMessage())
              + " Run '"
              + cmd.getCommandSpec().qualifiedName()
              + " --help' for usage.");
    }
    if (e instanceof QueuedException q) {
      return new Failure(UNREACHABLE, "queued", sentence(q.getMessage()));
    }
    String line = describe(e);
    return switch (e) {
      case ServerUnreachableException u -> new Failure(UNREACHABLE, "server_unreachable", line);
      case ServerException s when s.code() == org.parley.protocol.ErrorCode.UNAUTHORIZED ->
          new Failure(NO_ACCOUNT, s.code().wireName(), line);
      case ServerException s when s.status() >= 500 ->
          new Failure(UNREACHABLE, s.code().wireName(), line);
      case ServerException s -> new Failure(REFUSED, s.code().wireName(), line);
      case org.parley.client.NotRegisteredException n ->
          new Failure(NO_ACCOUNT, "not_registered", line);
      case PassphraseException p -> new Failure(NO_ACCOUNT, "passphrase", line);
      case org.parley.client.ProfileBusyException b -> new Failure(BUSY, "profile_busy", line);
      default -> new Failure(FAILED, "failed", line);
    };
  }

  /** "what went wrong. what to do next." */
  static String describe(Throwable e) {
    return switch (e) {
      case ServerUnreachableException u ->
          sentence(u.getMessage())
              + " Check the URL, and that the server is running (parley server).";
      case ServerException s -> sentence(s.getMessage()) + " " + next(s);
      case UntrustedIdentityException u ->
          sentence(u.getMessage())
              + " Nothing was sent or accepted; compare the devices' fingerprints in person.";
      case PassphraseException p when p.problem() == PassphraseException.Problem.WRONG ->
          sentence(p.getMessage())
              + " Check the passphrase given (--passphrase-file, PARLEY_PASSPHRASE or typed); a"
              + " forgotten one cannot be recovered.";
      case ClientException c ->
          hasAdvice(c.getMessage())
              ? sentence(c.getMessage())
              : sentence(c.getMessage()) + " Run with --verbose for details.";
      case IllegalArgumentException i ->
          sentence(i.getMessage()) + " Check the command's arguments (--help).";
      default -> sentence("unexpected error: " + e) + " Run again with --verbose and report it.";
    };
  }

  private static String next(ServerException s) {
    return switch (s.code()) {
      case UNAUTHORIZED ->
          "The server does not accept this device's credential: was it removed? Then parley reset"
              + " clears this profile, to register or link it again.";
      case HANDLE_TAKEN -> "Pick another handle.";
      case INVALID_HANDLE -> "A handle is name@domain, with the server's domain.";
      case UNKNOWN_HANDLE -> "Check the handle's spelling.";
      case UNKNOWN_LINK, LINK_CLOSED -> "Start the link again on the new device (parley link).";
      case LAST_DEVICE -> "An account keeps at least one device.";
      case TOO_MANY_DEVICES -> "Remove a device first (parley devices remove ID).";
      case RATE_LIMITED ->
          s.retryAfter()
              .map(d -> "Try again in " + d.toSeconds() + " seconds.")
              .orElse("Try again later.");
      case UNKNOWN_DEVICE -> "List the devices with parley devices list.";
      case INTERNAL_ERROR -> "Try again; if it persists, look at the server's log.";
      case STORAGE_FULL -> "The server's storage is full; nothing was stored. Try again later.";
      default -> "Run with --verbose for details.";
    };
  }

  private static boolean hasAdvice(String message) {
    return message != null && message.contains(". ");
  }

  /** The text as a sentence: a message, ending with one full stop. */
  static String sentence(String message) {
    String text = message == null || message.isBlank() ? "failed" : message.strip();
    text = text.replaceAll("\\s*\\R\\s*", " ");
    if (text.endsWith(".") || text.endsWith("!") || text.endsWith("?")) {
      return text;
    }
    return text + ".";
  }

  /** The command ran, and the key-transparency checks raised alarms (already printed). */
  static final class AlarmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AlarmException(String message) {
      super(message);
    }
  }

  /** A text was stored but the server did not take it yet: it waits in the outbox. */
  static final class QueuedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    QueuedException(String message) {
      super(message);
    }
  }

  /** A usage problem found only when the command ran (say, two options that exclude each other). */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
