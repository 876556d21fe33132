package dev.tmuxorc.daemon;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.config.Version;
import dev.tmuxorc.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a running monitor records about itself under the base directory: {@code monitor.pid} (the PID alone,
 * for scripts) and {@code monitor.json} (this record), so that the CLI can find, query and stop it.
 *
 * @param pid the monitor's process id
 * @param url the base URL of its HTTP API, e.g. {@code http://127.0.0.1:8585}; null when it serves none
 * @param log its log file, when it writes one (started by {@code monitor start}); else null
 * @param startedAt when it started (ISO-8601)
 * @param version tmux-orc's version
 * @param socket the tmux server it watches, as {@code TmuxServer.describe()} says it
 * @param args its tmux-orc arguments, e.g. {@code [monitor, --foreground, -L, work]}: what restart runs again
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DaemonRecord(long pid, String url, String log, String startedAt, String version, String socket,
    List<String> args) {

  private static final Pattern PID_FIELD = Pattern.compile("\"pid\"\\s*:\\s*(\\d+)");
  private static final Pattern URL_FIELD = Pattern.compile("\"url\"\\s*:\\s*\"([^\"\\\\]+)\"");

  public DaemonRecord {
    args = args == null ? List.of() : List.copyOf(args);
  }

  /** When the recorded process started, when the record says so legibly. */
  public Optional<Instant> recordedAt() {
    try {
      return startedAt == null ? Optional.empty() : Optional.of(Instant.parse(startedAt));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The record of this process; {@code args} are its tmux-orc arguments. */
  public static DaemonRecord ofThisProcess(String url, String socket, List<String> args) {
    ProcessHandle self = ProcessHandle.current();
    String logs = System.getProperty(DaemonCommandLine.LOGS_PROPERTY);
    return new DaemonRecord(self.pid(), url,
        logs == null ? null : Path.of(logs).resolve("monitor.log").toString(),
        self.info().startInstant().orElseGet(Instant::now).toString(),
        Version.current(), socket, args);
  }

  /**
   * Writes both files, each atomically (a temporary file moved into place), so that a reader never sees half
   * a record. The JSON goes first: whoever sees the new PID file finds the matching JSON.
   */
  public void write(BaseDir base) {
    try {
      Files.createDirectories(base.path());
      replace(base.daemonFile(), Json.PRETTY.writeValueAsString(this) + "\n");
      replace(base.pidFile(), pid + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + base.daemonFile() + ": " + e.getMessage(), e);
    }
  }

  /** Removes both files if they still name this record's PID (a newer monitor may have replaced them). */
  public void removeIfOurs(BaseDir base) {
    try {
      if (readPid(base.pidFile()).map(p -> p == pid).orElse(false)) {
        Files.deleteIfExists(base.pidFile());
      }
      if (readJson(base.daemonFile()).map(r -> r.pid() == pid).orElse(false)) {
        Files.deleteIfExists(base.daemonFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }


  /**
   * The recorded monitor, if any: the PID file is the authority on the PID; the JSON adds the details when it
   * names the same PID. A JSON without a PID file (a write interrupted between the two) counts too.
   */
  public static Optional<DaemonRecord> read(BaseDir base) {
    Optional<Long> pid = readPid(base.pidFile());
    Optional<DaemonRecord> json = readJson(base.daemonFile());
    if (pid.isEmpty()) {
      return json;
    }
    if (json.isPresent() && json.get().pid() == pid.get()) {
      return json;
    }
    return Optional.of(new DaemonRecord(pid.get(), null, null, null, null, null, List.of()));
  }

  /**
   * The recorded monitor's PID and URL only (the other fields null), when the PID file and the JSON name the same
   * process, read without Jackson: the hook command runs once per agent event, and loading Jackson's classes
   * was 40 % of its time. The JSON is the one {@link #write} wrote.
   */
  public static Optional<DaemonRecord> readPidAndUrl(BaseDir base) {
    Optional<Long> pid = readPid(base.pidFile());
    if (pid.isEmpty()) {
      return Optional.empty();
    }
    try {
      String json = Files.readString(base.daemonFile(), StandardCharsets.UTF_8);
      Matcher pidField = PID_FIELD.matcher(json);
      Matcher urlField = URL_FIELD.matcher(json);
      if (pidField.find() && Long.parseLong(pidField.group(1)) == pid.get() && urlField.find()) {
        return Optional.of(new DaemonRecord(pid.get(), urlField.group(1), null, null, null, null, List.of()));
      }
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<Long> readPid(Path file) {
    try {
      return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty(); // unreadable or garbage: as good as absent
    }
  }

  private static Optional<DaemonRecord> readJson(Path file) {
    try {
      return Optional.of(Json.MAPPER.readValue(file.toFile(), DaemonRecord.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void replace(Path target, String content) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
