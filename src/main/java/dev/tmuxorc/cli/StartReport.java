package dev.tmuxorc.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;

/**
 * What {@code monitor start} tells its user when the launcher ran it in place ({@link StartInPlace}): the text the
 * command prints on stdout and stderr, and its exit status, sent as files in a directory that the launcher waits
 * on: {@code out}, {@code err}, then {@code status}, written last and whole, so that its appearance means the others
 * are complete. Text written after the report was sent goes to this process's own stdout and stderr (the monitor's
 * output file) instead.
 */
final class StartReport {

  private final Path dir;
  private final HandOver out = new HandOver(System.out);
  private final HandOver err = new HandOver(System.err);
  private final PrintWriter outWriter = new PrintWriter(out, true);
  private final PrintWriter errWriter = new PrintWriter(err, true);
  private Integer status;

  StartReport(Path dir) {
    this.dir = dir;
  }

  /** The command's standard output, until the report is sent. */
  PrintWriter out() {
    return outWriter;
  }

  /** The command's standard error, until the report is sent. */
  PrintWriter err() {
    return errWriter;
  }

  /** Whether the report was sent. */
  synchronized boolean sent() {
    return status != null;
  }

  /**
   * Sends the text written so far and {@code exitStatus}, once: false when the report had been sent already (the
   * first one counts). Throws when it cannot be written: no directory of this user's there (the launcher gave up
   * waiting and removed it), or no space. It writes only new files (never through a link someone put there) in a
   * directory of this user's that only they can write to.
   */
  synchronized boolean send(int exitStatus) throws IOException {
    if (status != null) {
      return false;
    }
    status = exitStatus;
    outWriter.flush();
    errWriter.flush();
    String outText = out.handOver();
    String errText = err.handOver();
    PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    // by user id: a user without a name (no passwd entry: a container's --user) has one too
    Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isDirectory() || !owner.equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))
        || attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)
        || attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException(dir + " is not a directory of this user's alone");
    }
    create(dir.resolve("out"), outText);
    create(dir.resolve("err"), errText);
    Path partial = dir.resolve("status.partial");
    create(partial, exitStatus + "\n");
    Files.move(partial, dir.resolve("status"), StandardCopyOption.ATOMIC_MOVE);
    return true;
  }

  private static void create(Path file, String text) throws IOException {
    Files.write(file, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS);
  }

  /** Text kept until {@link #handOver}, then passed on to {@code target}. */
  private static final class HandOver extends Writer {
    private final PrintStream target;
    private StringBuilder kept = new StringBuilder();

    HandOver(PrintStream target) {
      this.target = target;
    }

    /** The text kept so far; from now on text goes to the target. */
    synchronized String handOver() {
      String text = kept.toString();
      kept = null;
      return text;
    }

    @Override
    public synchronized void write(char[] chars, int offset, int length) {
      if (kept != null) {
        kept.append(chars, offset, length);
      } else {
        target.print(new String(chars, offset, length));
      }
    }

    @Override
    public synchronized void flush() {
      if (kept == null) {
        target.flush();
      }
    }

    @Override
    public void close() {
      flush();
    }
  }
}
