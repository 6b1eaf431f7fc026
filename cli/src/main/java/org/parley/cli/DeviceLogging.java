package org.parley.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The logging of the device commands, set up in code: logback's XML configuration costs a command
 * that lives a second a tenth of it (an XML parser and Joran's model, for two settings). Logback
 * finds this class through {@code META-INF/services} and asks it before any XML file; it acts only
 * when {@link Logging} chose a device mode, so the server's configuration stays in XML.
 */
public final class DeviceLogging extends ContextAwareBase implements Configurator {
  /** Warnings only, briefly, on stderr (stdout is for results). */
  static final String DEVICE = "device";

  /** {@code --verbose}: Parley's own debug lines, with time and logger. */
  static final String VERBOSE = "verbose";

  public DeviceLogging() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    String mode = System.getProperty(Logging.MODE_PROPERTY);
    boolean verbose = VERBOSE.equals(mode);
    if (!verbose && !DEVICE.equals(mode)) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(
        verbose ? "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n" : "parley: warning: %msg%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(stderr);
    if (verbose) {
      context.getLogger("org.parley").setLevel(Level.DEBUG);
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
