package dev.tmuxorc.testing;

import dev.tmuxorc.tmux.TmuxServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private tmux server for one test ({@code tmux -L tmuxorc-test-<random>}), never the user's default one.
 * Register it with {@code @RegisterExtension final TmuxServerFixture tmux = new TmuxServerFixture();} and it is
 * closed after each test, whatever the outcome.
 * {@link #close()} kills it with {@code kill-server} and then, if it still runs, by the PID it reported, and
 * removes its socket: nothing started here outlives the test, and nothing else is touched.
 */
public final class TmuxServerFixture implements AutoCloseable, AfterEachCallback {

  /** Panes run this instead of a shell: 100 interactive shells starting at once load the machine for seconds. */
  public static final String IDLE_COMMAND = "exec sleep 100000";

  private final String socket = "tmuxorc-test-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Long> serverPids = new ArrayList<>();
  private boolean started;

  public String socket() {
    return socket;
  }

  public TmuxServer server() {
    return TmuxServer.named(socket);
  }

  /** Creates a detached session of 200x50 whose first window runs {@code command}. */
  public TmuxServerFixture session(String name, String firstWindow, String command) {
    tmux("new-session", "-d", "-s", name, "-n", firstWindow, "-x", "200", "-y", "50", command);
    if (!started) {
      started = true;
      serverPids.addAll(serversOnOurSocket());
    }
    return this;
  }

  /** tmux servers whose command line names this fixture's unique socket: only ours can. */
  private List<Long> serversOnOurSocket() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().arguments().map(args -> {
          List<String> list = List.of(args);
          int at = list.indexOf("-L");
          return at >= 0 && at + 1 < list.size() && list.get(at + 1).equals(socket) && !list.contains("-C");
        }).orElse(false))
        .map(ProcessHandle::pid)
        .toList();
  }

  /** Adds a window to {@code session} running {@code command}; returns its pane id. */
  public String window(String session, String name, String command) {
    return tmux("new-window", "-d", "-P", "-F", "#{pane_id}", "-t", session + ":", "-n", name, command).trim();
  }

  /** The pane id of the first pane of {@code target}. */
  public String paneId(String target) {
    return tmux("display-message", "-p", "-t", target, "#{pane_id}").trim();
  }

  public String capture(String paneId) {
    return tmux("capture-pane", "-p", "-t", paneId);
  }

  /** Runs a tmux command against this server and returns stdout; fails the test on a non-zero exit. */
  public String tmux(String... args) {
    Result result = run(args);
    if (result.status != 0) {
      throw new IllegalStateException("tmux " + String.join(" ", args) + " failed: " + result.stderr);
    }
    return result.stdout;
  }

  /** Runs a tmux command and returns its result whatever the exit status. */
  public Result run(String... args) {
    List<String> argv = new ArrayList<>(List.of("tmux", "-L", socket));
    argv.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(argv).start();
      process.getOutputStream().close();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("tmux " + String.join(" ", args) + " hung");
      }
      return new Result(process.exitValue(), out, err);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The output of one tmux command. */
  public record Result(int status, String stdout, String stderr) { }

  /** Kills the server (as a fault); {@link #session} starts a new one on the same socket. */
  public void killServer() {
    run("kill-server");
    serverPids.forEach(TmuxServerFixture::awaitExit);
    started = false;
  }

  public boolean running() {
    return run("list-sessions").status() == 0;
  }

  public List<String> sessions() {
    Result result = run("list-sessions", "-F", "#{session_name}");
    return result.status() != 0 ? List.of() : result.stdout().lines().toList();
  }

  /**
   * Kills the server. tmux takes about 1.5 s to exit after {@code kill-server}; rather than make every test
   * wait, a reaper thread waits for it and ends it by PID only if it is still alive after 5 s.
   */
  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    run("kill-server");
    List<Long> pids = new ArrayList<>(serverPids);
    pids.addAll(serversOnOurSocket()); // also a server whose start was not recorded (a setup that failed)
    Thread reaper = new Thread(() -> pids.forEach(pid -> {
      awaitExit(pid);
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }), "tmux-reaper-" + socket);
    reaper.setDaemon(true);
    reaper.start();
    server().socketFile().ifPresent(path -> {
      try {
        Files.deleteIfExists(path);
      } catch (IOException ignored) {
        // the directory belongs to tmux; a leftover socket file is harmless
      }
    });
  }

  // ProcessHandle.onExit() of a process that is not our child polls with growing sleeps (~2 s); poll faster.
  private static void awaitExit(long pid) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Writes {@code text} to a temp file so that a pane can {@code cat} it: no typing, no shell. */
  public static Path textFile(Path dir, String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  /** A pane command that shows a file and then stays, without starting a shell's rc files. */
  public static String showFile(Path file) {
    return "cat '" + file + "'; exec sleep 100000";
  }
}
