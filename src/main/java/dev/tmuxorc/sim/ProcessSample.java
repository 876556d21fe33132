package dev.tmuxorc.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, from Linux's /proc: what the load harnesses sample. */
public final class ProcessSample {

  private ProcessSample() {
  }

  /** utime + stime in clock ticks, or -1 when the process is gone. */
  public static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": f[0] = state (field 3), so utime (field 14) = f[11], stime (15) = f[12]
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** VmRSS in MB, or NaN when the process is gone. */
  public static double rssMb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return Double.NaN;
  }
}
