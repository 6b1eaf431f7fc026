package org.parley.cli;

/**
 * Chooses the logging configuration before anything logs: the server logs its activity to stdout;
 * the device commands log only warnings, briefly, to stderr (their stdout is for results).
 */
final class Logging {
  private Logging() {}

  static void configure(String[] args) {
    if (System.getProperty("logback.configurationFile") != null) {
      return;
    }
    String command = firstCommand(args);
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    String file =
        "server".equals(command)
            ? "org/parley/cli/logback-server.xml"
            : verbose ? "org/parley/cli/logback-verbose.xml" : "org/parley/cli/logback-device.xml";
    System.setProperty("logback.configurationFile", file);
  }

  /** The subcommand's name: the first argument that is not an option or an option's value. */
  static String firstCommand(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--profile") || arg.equals("--passphrase-file")) {
        i++;
      } else if (!arg.startsWith("-")) {
        return arg;
      }
    }
    return "";
  }
}
