package org.parley.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.parley.server.ServerConfig;

/**
 * Where the store's secrets may come from. Never the command line: every local user can read a
 * process's arguments ({@code ps}). The password comes from the environment ({@link
 * #PASSWORD_ENV}), from a file ({@code password-file}) or from an owner-only configuration file.
 */
final class StoreSecrets {
  /** The environment variable that carries the store's password. */
  static final String PASSWORD_ENV = "PARLEY_STORE_PASSWORD";

  /** A setting {@code NAME-file=PATH} gives the secret setting NAME as the content of PATH. */
  private static final String FILE_SUFFIX = "-file";

  private StoreSecrets() {}

  /** Whether the setting is given on the command line at a secret's peril. */
  static boolean secretOnArgv(String name, String value) {
    if (name.endsWith(FILE_SUFFIX)) {
      return false; // a path, not the secret
    }
    return ServerConfig.isSecret(name) || hasPasswordParameter(value);
  }

  /** Refuses the command line's secret store settings, saying how to give them instead. */
  static void refuseOnArgv(Map<String, String> argvSettings) {
    for (var setting : argvSettings.entrySet()) {
      String name = setting.getKey();
      if (!secretOnArgv(name, setting.getValue())) {
        continue;
      }
      String how =
          name.equals("password") || hasPasswordParameter(setting.getValue())
              ? "give the password in the environment variable "
                  + PASSWORD_ENV
                  + " or as --store-setting password-file=FILE"
              : "give it as --store-setting "
                  + name
                  + FILE_SUFFIX
                  + "=FILE or in an owner-only --config file";
      throw new IllegalArgumentException(
          "--store-setting "
              + name
              + " would show a secret to every"
              + " user of this machine (ps lists the command line); "
              + how);
    }
  }

  /**
   * The settings with every secret in place: {@code NAME-file} read, the password from the
   * environment. A secret given two ways is refused rather than one of them silently winning.
   */
  static Map<String, String> resolve(Map<String, String> settings, Map<String, String> env) {
    Map<String, String> resolved = new LinkedHashMap<>(settings);
    for (var setting : settings.entrySet()) {
      String name = setting.getKey();
      if (!name.endsWith(FILE_SUFFIX)) {
        continue;
      }
      String secret = name.substring(0, name.length() - FILE_SUFFIX.length());
      if (!ServerConfig.isSecret(secret)) {
        continue;
      }
      if (settings.containsKey(secret)) {
        throw twice(secret, List.of(name, secret));
      }
      resolved.remove(name);
      resolved.put(secret, readSecret(Path.of(setting.getValue())));
    }
    String fromEnv = env.get(PASSWORD_ENV);
    if (fromEnv != null && !fromEnv.isEmpty()) {
      List<String> ways = new ArrayList<>(List.of(PASSWORD_ENV));
      if (settings.containsKey("password")) {
        ways.add("password");
      }
      if (settings.containsKey("password" + FILE_SUFFIX)) {
        ways.add("password" + FILE_SUFFIX);
      }
      if (ways.size() > 1) {
        throw twice("password", ways);
      }
      resolved.put("password", fromEnv);
    }
    return resolved;
  }

  private static IllegalArgumentException twice(String secret, List<String> ways) {
    return new IllegalArgumentException(
        "the store's "
            + secret
            + " is given more than once ("
            + String.join(", ", ways)
            + "); give it one way");
  }

  /** The file's content, one trailing line break dropped; the file must be owner-only. */
  static String readSecret(Path file) {
    requireOwnerOnly(file, "the secret file");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no secret file " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the secret file " + file + ": " + e.getMessage());
    }
    if (text.endsWith("\r\n")) {
      text = text.substring(0, text.length() - 2);
    } else if (text.endsWith("\n")) {
      text = text.substring(0, text.length() - 1);
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException("the secret file " + file + " is empty");
    }
    return text;
  }

  /**
   * Refuses a file that holds a secret and that group or others may access: the rule PostgreSQL
   * applies to its own password file (~/.pgpass), which the operators of a PostgreSQL-backed server
   * already know. Skipped where the file system has no POSIX permissions.
   */
  static void requireOwnerOnly(Path file, String what) {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    Set<PosixFilePermission> mode;
    try {
      mode = Files.getPosixFilePermissions(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no " + what.replaceFirst("^the ", "") + " " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + what + " " + file + ": " + e.getMessage());
    }
    for (PosixFilePermission p : mode) {
      if (p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_")) {
        throw new IllegalArgumentException(
            what
                + " "
                + file
                + " holds a secret but other users may"
                + " access it ("
                + PosixFilePermissions.toString(mode)
                + "); make it owner-only: chmod 600 "
                + file);
      }
    }
  }

  /** A JDBC URL can carry the password as a parameter ({@code ...?password=...}). */
  private static boolean hasPasswordParameter(String value) {
    return value.toLowerCase(Locale.ROOT).matches("(?s).*[?&;]password=.*");
  }
}
