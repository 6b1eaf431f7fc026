package org.parley.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a server process holds at one moment: live heap after a full GC with its class histogram
 * ({@code jcmd PID GC.class_histogram}, which collects first), resident memory, threads and open
 * files from /proc.
 */
record ServerFootprint(
    long liveHeapBytes, long rssBytes, int threads, int openFiles, Map<String, Entry> histogram) {

  /** One class's row of the histogram. */
  record Entry(long instances, long bytes) {}

  /** One class's growth between two footprints. */
  record Growth(String className, long instances, long bytes) {}

  static ServerFootprint of(long pid) throws IOException, InterruptedException {
    return parse(
        jcmd(pid, "GC.class_histogram"),
        statusKb(pid, "VmRSS:") * 1024,
        (int) statusKb(pid, "Threads:"),
        openFiles(pid));
  }

  /**
   * A footprint from the lines of a class histogram ({@code " 1: instances bytes class (module)"},
   * then {@code "Total instances bytes"}); classes of one name from several loaders are added up.
   */
  static ServerFootprint parse(List<String> histogramLines, long rssBytes, int threads, int files)
      throws IOException {
    Map<String, Entry> histogram = new HashMap<>();
    long total = -1;
    for (String line : histogramLines) {
      String[] f = line.trim().split("\\s+", -1);
      if (f.length >= 4 && f[0].endsWith(":")) {
        histogram.merge(
            f[3],
            new Entry(Long.parseLong(f[1]), Long.parseLong(f[2])),
            (a, b) -> new Entry(a.instances() + b.instances(), a.bytes() + b.bytes()));
      } else if (f.length == 3 && f[0].equals("Total")) {
        total = Long.parseLong(f[2]);
      }
    }
    if (total < 0) {
      throw new IOException("no Total line in the class histogram");
    }
    return new ServerFootprint(total, rssBytes, threads, files, histogram);
  }

  static int openFiles(long pid) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return (int) fds.count();
    }
  }

  /**
   * What the process's open files are, counted by kind: jar, socket, pipe, anon_inode (epoll,
   * eventfd), the files of its data directory, and other.
   */
  static Map<String, Integer> openFileKinds(long pid) throws IOException {
    Map<String, Integer> kinds = new java.util.TreeMap<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException closedMeanwhile) {
          continue;
        }
        String kind;
        if (target.endsWith(".jar")) {
          kind = "jar";
        } else if (target.startsWith("socket:")) {
          kind = "socket";
        } else if (target.startsWith("pipe:")) {
          kind = "pipe";
        } else if (target.startsWith("anon_inode:")) {
          kind = target.substring("anon_inode:".length());
        } else if (target.contains("parley-bench-")) {
          kind = "data dir";
        } else if (target.startsWith("/dev/")) {
          kind = "device";
        } else {
          kind = "other";
        }
        kinds.merge(kind, 1, Integer::sum);
      }
    }
    return kinds;
  }

  /** The soft limit on open files of the process ("Max open files" in /proc/PID/limits). */
  static int openFilesLimit(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
      if (line.startsWith("Max open files")) {
        return Integer.parseInt(
            line.substring("Max open files".length()).trim().split("\\s+", -1)[0]);
      }
    }
    throw new IOException("no open-files limit in /proc/" + pid + "/limits");
  }

  /** The classes that grew most from {@code before} to this footprint, by bytes. */
  List<Growth> growthSince(ServerFootprint before, int top) {
    List<Growth> growth = new ArrayList<>();
    histogram.forEach(
        (name, after) -> {
          Entry was = before.histogram.getOrDefault(name, new Entry(0, 0));
          growth.add(
              new Growth(name, after.instances() - was.instances(), after.bytes() - was.bytes()));
        });
    growth.sort(Comparator.comparingLong(Growth::bytes).reversed());
    return growth.subList(0, Math.min(top, growth.size()));
  }

  private static long statusKb(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+", -1)[0]);
      }
    }
    throw new IOException("no " + field + " in /proc/" + pid + "/status");
  }

  /** Runs the jcmd of this JVM's own JDK, which matches the server's (started with it). */
  static List<String> jcmd(long pid, String command) throws IOException, InterruptedException {
    Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
    Path jcmd = java.resolveSibling("jcmd");
    Process process =
        new ProcessBuilder(
                Stream.concat(
                        Stream.of(jcmd.toString(), Long.toString(pid)),
                        Stream.of(command.split(" ")))
                    .toList())
            .redirectErrorStream(true)
            .start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("jcmd " + pid + " " + command + " failed");
    }
    return List.of(new String(output, StandardCharsets.UTF_8).split("\n"));
  }
}
