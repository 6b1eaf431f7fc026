package org.parley.bench.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Child JVMs on this JVM's settings, and the CPU time they used. */
final class ChildJvm {
  /** USER_HZ, the unit of /proc's CPU times; 100 on every Linux we run. */
  private static final long TICKS_PER_SECOND = 100;

  /** The native-library settings bin/parley gives its JVM (java.args), passed on to children. */
  private static final List<String> FORWARDED = List.of("java.library.path", "org.sqlite.lib.path");

  private ChildJvm() {}

  /**
   * {@code java --enable-native-access=ALL-UNNAMED [-D...] -cp CLASSPATH}, with this JVM's
   * native-library settings if {@code nativeSettings}.
   */
  static List<String> prefix(String classPath, boolean nativeSettings) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    for (String property : FORWARDED) {
      String value = System.getProperty(property);
      if (nativeSettings && value != null) {
        command.add("-D" + property + "=" + value);
      }
    }
    command.add("-cp");
    command.add(classPath);
    return command;
  }

  /**
   * The CPU time (user and system) of this JVM's children that it has waited for, from {@code
   * /proc/self/stat} (cutime, cstime); empty off Linux.
   */
  static OptionalLong reapedChildrenCpuNanos() {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc/self/stat"));
    } catch (IOException e) {
      return OptionalLong.empty();
    }
    // the command name (field 2) may hold spaces; the fields after its closing ')' never do
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long ticks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]); // fields 16 and 17
    return OptionalLong.of(ticks * (1_000_000_000L / TICKS_PER_SECOND));
  }
}
