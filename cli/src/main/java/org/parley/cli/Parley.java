package org.parley.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.parley.client.ClientException;
import org.parley.client.ParleyClient;
import org.parley.client.Passphrase;
import org.parley.client.PassphraseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code parley} command: runs a server, or acts as one device of an account. Its commands are
 * not in the annotation: a run adds the ones it needs ({@link Commands}).
 */
@Command(
    name = "parley",
    mixinStandardHelpOptions = true,
    versionProvider = Parley.Version.class,
    description = {
      "Open, end-to-end encrypted messaging.",
      "",
      "Each profile directory (--profile) holds one device: its keys, its account and its"
          + " message history. Its files are kept owner-only; under a passphrase (parley passphrase"
          + " set) its secrets are also encrypted.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  parley server          (a server on http://127.0.0.1:8080)",
      "  parley register --server http://127.0.0.1:8080 alice",
      "  parley send bob@localhost Hello Bob",
      "  parley listen",
      "  parley --profile ~/.parley/laptop link --server http://127.0.0.1:8080",
      "  parley --passphrase-file ~/.config/parley/pass register --server http://127.0.0.1:8080 carol",
      "  PARLEY_PASSPHRASE=... parley receive   (in a script; a terminal is asked otherwise)",
      "",
      Failures.EXIT_CODES_0,
      Failures.EXIT_CODES_1
    })
public final class Parley implements Runnable {
  /** Where a profile lives when neither --profile nor PARLEY_PROFILE says. */
  static final String DEFAULT_PROFILE = ".parley/default";

  @Option(
      names = "--profile",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description =
          "The device's local state directory (default: $PARLEY_PROFILE, else ~/"
              + DEFAULT_PROFILE
              + ").")
  Path profile;

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = {
        "Read the profile's passphrase from FILE (one trailing line break is dropped); default:"
            + " $PARLEY_PASSPHRASE, else the terminal asks when the profile is encrypted.",
        "A new profile opened with a passphrase is encrypted from the start. There is no option"
            + " taking the passphrase itself: ps would show it."
      })
  Path passphraseFile;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print JSON, one object per line.")
  boolean json;

  @Option(
      names = "--insecure-http",
      scope = ScopeType.INHERIT,
      description =
          "Allow plain http:// to a server that is not on this machine (register, link,"
              + " audit); without it only https:// or a loopback address is used.")
  boolean insecureHttp;

  @Option(
      names = "--ca-cert",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description =
          "Trust the CA certificates in FILE (PEM) for https instead of the system's:"
              + " a server with a certificate of a private CA (default: $PARLEY_CA_CERT).")
  Path caCert;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Show details (and stack traces) of errors.")
  boolean verbose;

  @Spec CommandSpec spec;

  private final Map<String, String> env;
  private final PrintWriter out;
  private final PrintWriter err;
  private final java.io.InputStream in;

  Parley(Map<String, String> env, PrintWriter out, PrintWriter err) {
    this(env, System.in, out, err);
  }

  Parley(Map<String, String> env, java.io.InputStream in, PrintWriter out, PrintWriter err) {
    this.env = env;
    this.in = in;
    this.out = out;
    this.err = err;
  }

  /** The environment this run was given (the server's password, among others). */
  Map<String, String> env() {
    return env;
  }

  /** Standard input, for commands that read a message from it. */
  java.io.InputStream stdin() {
    return in;
  }

  public static void main(String[] args) {
    Logging.configure(args);
    PrintWriter out = new PrintWriter(System.out, true, System.out.charset()); // the terminal's
    PrintWriter err = new PrintWriter(System.err, true, System.err.charset());
    int code = execute(args, System.getenv(), out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs the command line; returns the exit code (Failures.EXIT_CODES). */
  static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    return execute(args, env, System.in, out, err);
  }

  /** {@link #execute(String[], Map, PrintWriter, PrintWriter)} with this standard input. */
  static int execute(
      String[] args,
      Map<String, String> env,
      java.io.InputStream in,
      PrintWriter out,
      PrintWriter err) {
    return execute(args, env, in, out, err, Commands::needed);
  }

  /** Runs the command line with the commands {@code commands} picks for it (tests: all). */
  static int execute(
      String[] args,
      Map<String, String> env,
      java.io.InputStream in,
      PrintWriter out,
      PrintWriter err,
      BiFunction<CommandSpec, String[], List<Commands.Entry>> commands) {
    Parley parley = new Parley(env, in, out, err);
    CommandLine top = new CommandLine(parley);
    Optional<String> unknown = unknownCommand(top.getCommandSpec(), args);
    CommandLine cli =
        withHandlers(
            parley,
            unknown.isPresent()
                ? top
                : withCommands(top, commands.apply(top.getCommandSpec(), args)));
    if (unknown.isPresent()) {
      // checked first: picocli would otherwise answer "unknown --help" with the top-level help
      return Failures.usageError(new CommandLine.ParameterException(cli, unknown.get()), args);
    }
    return cli.execute(args);
  }

  /** The model of the whole command line, every command in it (for tests and tools). */
  static CommandLine withEveryCommand(Parley parley) {
    return withCommands(new CommandLine(parley), Commands.ALL);
  }

  private static CommandLine withCommands(CommandLine top, List<Commands.Entry> commands) {
    for (Commands.Entry command : commands) {
      top.addSubcommand(command.name(), command.type());
    }
    return top;
  }

  /**
   * Output and failure handling. Set after the commands are added: picocli gives these settings to
   * the commands a command line has when they are set, not to those added later.
   */
  private static CommandLine withHandlers(Parley parley, CommandLine cli) {
    cli.setOut(parley.out);
    cli.setErr(parley.err);
    cli.setParameterExceptionHandler(Failures::usageError);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) ->
            Failures.report(e, commandLine, parley.verbose, parley.json, parley.err));
    return cli;
  }

  /**
   * The word where a command should stand, if it is not one, with the nearest command to try.
   * Global options and their values are skipped.
   */
  static Optional<String> unknownCommand(CommandSpec top, String[] args) {
    int at = Commands.Start.of(top, args).command();
    if (at < 0) {
      return Optional.empty();
    }
    String arg = args[at];
    if (Commands.named(arg).isPresent()) {
      return Optional.empty();
    }
    String nearest =
        Commands.names().stream()
            .min(java.util.Comparator.comparingInt(name -> distance(name, arg)))
            .orElse("");
    return Optional.of(
        "'"
            + arg
            + "' is not a parley command"
            + (distance(nearest, arg) <= 2 ? "; did you mean '" + nearest + "'?" : "."));
  }

  /** Levenshtein distance, for suggestions. */
  private static int distance(String a, String b) {
    int[] row = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      row[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int diagonal = row[0];
      row[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int above = row[j];
        row[j] =
            Math.min(
                Math.min(row[j] + 1, row[j - 1] + 1),
                diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length()];
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /** The CA certificates to trust instead of the system's, if --ca-cert or PARLEY_CA_CERT says. */
  Optional<Path> caCertificates() {
    if (caCert != null) {
      return Optional.of(caCert);
    }
    String fromEnv = env.get("PARLEY_CA_CERT");
    return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : Optional.of(Path.of(fromEnv));
  }

  /** The server URL if it may be used: https, loopback, or --insecure-http (else a usage error). */
  java.net.URI allowed(java.net.URI server) {
    try {
      return org.parley.client.ServerAddress.requireTls(server, insecureHttp);
    } catch (ClientException e) {
      throw new Failures.UsageException(e.getMessage());
    }
  }

  /** The profile directory this run uses. */
  Path profileDir() {
    if (profile != null) {
      return profile;
    }
    String fromEnv = env.get("PARLEY_PROFILE");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    return Path.of(System.getProperty("user.home")).resolve(DEFAULT_PROFILE);
  }

  /**
   * Opens this run's device: with the passphrase given by file or environment, else, if the profile
   * turns out to be encrypted, with one typed on the terminal.
   */
  ParleyClient openClient() {
    Path dir = profileDir();
    Optional<Passphrase> given = passphrases().given(passphraseFile);
    try {
      return ParleyClient.open(dir, given, caCertificates());
    } catch (PassphraseException e) {
      if (e.problem() != PassphraseException.Problem.REQUIRED) {
        throw e;
      }
      try (Passphrase typed =
          passphrases()
              .typed("Passphrase of " + dir.toAbsolutePath() + ": ")
              .orElseThrow(
                  () ->
                      new ClientException(
                          "this profile is encrypted. Give its passphrase with --passphrase-file"
                              + " FILE or the environment variable "
                              + Passphrases.ENV))) {
        return ParleyClient.open(dir, Optional.of(typed), caCertificates());
      }
    } finally {
      given.ifPresent(Passphrase::close); // the key is unwrapped; the characters are not needed
    }
  }

  Passphrases passphrases() {
    return new Passphrases(env, terminal());
  }

  /**
   * The terminal to ask on, or null. From JDK 22 on, System.console() also answers without a
   * terminal, and only Console.isTerminal (absent from JDK 21, which this compiles for) tells.
   */
  private static java.io.Console terminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return null;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console)
          ? console
          : null;
    } catch (NoSuchMethodException e) {
      return console; // JDK 21: a console exists only with a terminal
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  Output output() {
    return json ? new Output.JsonOutput(out, err) : new Output.PlainOutput(out);
  }

  PrintWriter err() {
    return err;
  }

  /** The version line of {@code parley --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Parley.class.getPackage().getImplementationVersion();
      return new String[] {"parley " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
  }
}
