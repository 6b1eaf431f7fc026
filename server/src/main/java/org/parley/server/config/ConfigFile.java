package org.parley.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A server configuration file: one {@code key = value} a line, the keys being the long options'
 * names without their dashes ({@code port = 8443}), {@code store-setting.KEY} for each store
 * setting and {@code limit.NAME} for each rate limit; {@code #} starts a comment line. A subset of
 * Java properties with none of its escapes or continuation lines, so that a line means what it
 * shows and every error can name its line. Each value goes through the option's own parsing.
 */
final class ConfigFile {
  private static final String STORE_SETTING = "store-setting";
  private static final String LIMIT = "limit";

  private ConfigFile() {}

  /**
   * The options the file sets.
   *
   * @throws IllegalArgumentException naming the file and line of the first problem
   */
  static ServerOptions read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no configuration file " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the configuration file " + file + ": " + e.getMessage());
    }
    ServerOptions options = new ServerOptions();
    Map<String, Integer> seen = new HashMap<>();
    boolean holdsSecret = false;
    for (int i = 0; i < lines.size(); i++) {
      int number = i + 1;
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file + " line " + number + ": ";
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(where + "expected key = value: " + line);
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      Integer before = seen.putIfAbsent(key, number);
      if (before != null) {
        throw new IllegalArgumentException(where + key + " is already set on line " + before);
      }
      String[] args = arguments(key, value, where);
      if (key.startsWith(STORE_SETTING + ".")) {
        holdsSecret |= StoreSecrets.secretOnArgv(key.substring(STORE_SETTING.length() + 1), value);
      }
      ServerOptions one = new ServerOptions();
      try {
        new CommandLine(one).parseArgs(args);
      } catch (CommandLine.ParameterException e) {
        throw new IllegalArgumentException(where + e.getMessage());
      }
      options = options.overriddenBy(one);
    }
    if (holdsSecret) {
      StoreSecrets.requireOwnerOnly(file, "the configuration file");
    }
    return options;
  }

  /** The command-line arguments a line stands for. */
  private static String[] arguments(String key, String value, String where) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException(where + key + " has no value");
    }
    for (String mapped : List.of(STORE_SETTING, LIMIT)) {
      if (key.startsWith(mapped + ".") && key.length() > mapped.length() + 1) {
        return new String[] {"--" + mapped, key.substring(mapped.length() + 1) + "=" + value};
      }
      if (key.equals(mapped)) {
        throw new IllegalArgumentException(
            where
                + "write "
                + mapped
                + "."
                + (mapped.equals(LIMIT) ? "NAME" : "KEY")
                + " = VALUE, one a line");
      }
    }
    if (!keys().contains(key)) {
      throw new IllegalArgumentException(
          where
              + "unknown setting '"
              + key
              + "'; the settings are "
              + String.join(", ", keys())
              + ", "
              + STORE_SETTING
              + ".KEY and "
              + LIMIT
              + ".NAME");
    }
    return new String[] {"--" + key, value};
  }

  /** The plain keys: every visible option but --config itself (files do not include files). */
  static SortedSet<String> keys() {
    TreeSet<String> keys = new TreeSet<>();
    for (OptionSpec option : CommandSpec.forAnnotatedObject(new ServerOptions()).options()) {
      String name = option.longestName().substring(2);
      if (!option.hidden()
          && !name.equals("config")
          && !name.equals(STORE_SETTING)
          && !name.equals(LIMIT)) {
        keys.add(name);
      }
    }
    return keys;
  }
}
