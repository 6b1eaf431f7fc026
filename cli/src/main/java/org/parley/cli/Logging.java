package org.parley.cli;

/**
 * Chooses the logging configuration before anything logs: the server logs its activity to stdout;
 * the device commands log only warnings, briefly, to stderr (their stdout is for results).
 */
final class Logging {
  private Logging() {}

  /** The system property that tells {@link DeviceLogging} which device mode to set up. */
  static final String MODE_PROPERTY = "parley.logging";

  static void configure(String[] args) {
    if (System.getProperty("logback.configurationFile") != null) {
      return; // the person's own configuration
    }
    if ("server".equals(firstCommand(args))) {
      System.setProperty("logback.configurationFile", "org/parley/cli/logback-server.xml");
    } else {
      boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
      System.setProperty(MODE_PROPERTY, verbose ? DeviceLogging.VERBOSE : DeviceLogging.DEVICE);
    }
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
