package org.parley.cli;

import java.io.PrintWriter;
import org.parley.client.ClientException;
import org.parley.client.PassphraseException;
import org.parley.client.ServerException;
import org.parley.client.ServerUnreachableException;
import org.parley.client.UntrustedIdentityException;
import picocli.CommandLine;

/**
 * Turns every failure into ONE line on stderr, {@code parley: <what went wrong>. <what to do
 * next>}, and an exit code: 2 for usage errors, 1 for everything else. Stack traces only with
 * {@code --verbose}.
 */
final class Failures {
  static final int FAILED = 1;
  static final int USAGE = 2;

  private Failures() {}

  /** A command line picocli could not parse. */
  static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    String what = sentence(e.getMessage());
    err.println("parley: " + what + " Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return USAGE;
  }

  /** A command that ran and failed. */
  static int report(Exception e, CommandLine cmd, boolean verbose, PrintWriter err) {
    if (e instanceof AlarmException || e instanceof org.parley.client.kt.KtAlarmException) {
      err.println("parley: ALARM: " + sentence(e.getMessage())
          + " Keep this device's data for evidence (parley verify shows the alarms).");
      err.flush();
      return ALARM;
    }
    if (e instanceof UsageException usage) {
      err.println(
          "parley: " + sentence(usage.getMessage()) + " Run '" + cmd.getCommandSpec().qualifiedName()
              + " --help' for usage.");
      err.flush();
      return USAGE;
    }
    err.println("parley: " + describe(e));
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return FAILED;
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
      default ->
          sentence("unexpected error: " + e)
              + " Run again with --verbose and report it.";
    };
  }

  private static String next(ServerException s) {
    return switch (s.code()) {
      case UNAUTHORIZED ->
          "The server does not accept this device's credential: was it removed? Register or link"
              + " this profile again (use a new --profile).";
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

  /** Exit code when a key-transparency alarm was raised. */
  static final int ALARM = 3;

  /** The command ran, and the key-transparency checks raised alarms (already printed). */
  static final class AlarmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AlarmException(String message) {
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
