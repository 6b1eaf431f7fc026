package org.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Reads a process's CPU time (utime + stime) from /proc on Linux. */
final class ProcessCpu {
  /** USER_HZ: the unit of utime and stime in /proc/PID/stat; 100 on every Linux we run. */
  private static final long TICKS_PER_SECOND = 100;

  private ProcessCpu() {}

  static OptionalLong nanos(long pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    } catch (IOException e) {
      return OptionalLong.empty();
    }
    // the command name (field 2) may hold spaces; the fields after its closing ')' never do
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15
    return OptionalLong.of(ticks * (1_000_000_000L / TICKS_PER_SECOND));
  }
}
