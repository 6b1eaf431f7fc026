package org.parley.cli;

import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The commands under {@code parley}, by name, so that a run builds the picocli model of only the
 * command it names. Building a command's model reads every annotation of its class and its options,
 * and class-data sharing cannot archive the annotation objects: for all sixteen commands that was
 * most of the CPU of a short command such as {@code parley send} (docs/benchmarks.md, "Client").
 * The names are plain strings so that a typo's suggestion needs no model at all.
 */
final class Commands {
  /** One command: the name it is typed as, and its class (instantiated by picocli). */
  record Entry(String name, Class<?> type) {}

  /** Every command, in the order the top-level help lists them. */
  static final List<Entry> ALL =
      List.of(
          new Entry("server", ServerCommand.class),
          new Entry("register", RegisterCommand.class),
          new Entry("link", LinkCommand.class),
          new Entry("devices", DevicesCommand.class),
          new Entry("send", SendCommand.class),
          new Entry("reply", ReplyCommand.class),
          new Entry("react", ReactCommand.class),
          new Entry("edit", EditCommand.class),
          new Entry("unsend", UnsendCommand.class),
          new Entry("timer", TimerCommand.class),
          new Entry("receipts", ReceiptsCommand.class),
          new Entry("typing", TypingCommand.class),
          new Entry("group", GroupCommand.class),
          new Entry("receive", ReceiveCommand.class),
          new Entry("listen", ListenCommand.class),
          new Entry("history", HistoryCommand.class),
          new Entry("outbox", OutboxCommand.class),
          new Entry("reset", ResetCommand.class),
          new Entry("whoami", WhoamiCommand.class),
          new Entry("safety-number", SafetyNumberCommand.class),
          new Entry("verify", VerifyCommand.class),
          new Entry("sealed", SealedCommand.class),
          new Entry("audit", AuditCommand.class),
          new Entry("passphrase", PassphraseCommand.class),
          new Entry("help", CommandLine.HelpCommand.class));

  private Commands() {}

  /** The names, in the help's order. */
  static List<String> names() {
    return ALL.stream().map(Entry::name).toList();
  }

  static Optional<Entry> named(String name) {
    return ALL.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /**
   * The commands a run of {@code args} needs: only the one it names when the global options before
   * it are plain ones; all of them where the top-level help may be printed (--help, the help
   * command, no command) or the line holds what this reading does not follow (an unknown or
   * clustered option, {@code --}); none for a bare {@code --version}.
   */
  static List<Entry> needed(CommandSpec top, String[] args) {
    Start start = Start.of(top, args);
    if (!start.plain()) {
      return ALL;
    }
    if (start.command() < 0) {
      return start.version() ? List.of() : ALL;
    }
    return named(args[start.command()])
        .filter(e -> e.type() != CommandLine.HelpCommand.class) // help prints the others
        .map(List::of)
        .orElse(ALL);
  }

  /**
   * How a command line starts, read the way picocli parses it: the index of the command word, the
   * first argument that is neither a global option nor its value (-1 if none, or after {@code --});
   * whether every option before it is a known global option other than --help; whether one of them
   * asks for the version.
   */
  record Start(int command, boolean plain, boolean version) {
    static Start of(CommandSpec top, String[] args) {
      boolean plain = true;
      boolean version = false;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("--")) {
          return new Start(-1, false, version);
        }
        if (!arg.startsWith("-")) {
          return new Start(i, plain, version);
        }
        int equals = arg.indexOf('=');
        OptionSpec option = top.findOption(equals < 0 ? arg : arg.substring(0, equals));
        if (option == null || option.usageHelp()) {
          plain = false;
        } else {
          version |= option.versionHelp();
        }
        String value = null;
        if (equals >= 0) {
          value = arg.substring(equals + 1);
        } else if (option != null && option.arity().max() > 0 && ++i < args.length) {
          value = args[i]; // skipped
        }
        // picocli refuses a command's name as an option's value: only with all of them here
        plain &= value == null || named(value).isEmpty();
      }
      return new Start(-1, plain, version);
    }
  }
}
