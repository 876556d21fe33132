package dev.tmuxorc.sim;

import dev.tmuxorc.tmux.TmuxServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A private tmux server ({@code tmux -L tmux-orc-sim-...}) full of fake agents (loadtest/agents/fake-agent.sh,
 * bundled in the jar), for {@code demo} and {@code benchmark}. It never touches any other server, and
 * {@link #close()} kills exactly the server it started.
 */
public final class SimulatedFleet implements AutoCloseable {

  /** One simulated agent: its window name and the fake-agent options that drive it. */
  public record Member(String windowName, List<String> options) { }

  private final String socket;
  private final Path workDir;
  private final Path script;
  private final Path log;
  private final String tmux;
  private long serverPid;

  private SimulatedFleet(String tmux, String socket, Path workDir) throws IOException {
    this.tmux = tmux;
    this.socket = socket;
    this.workDir = workDir;
    this.script = workDir.resolve("fake-agent.sh");
    this.log = workDir.resolve("transitions.log");
    try (InputStream in = SimulatedFleet.class.getResourceAsStream("fake-agent.sh")) {
      if (in == null) {
        throw new IOException("fake-agent.sh is not bundled in this build");
      }
      Files.copy(in, script);
    }
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** Creates an empty fleet on a fresh private socket; {@code prefix} names it ("tmux-orc-demo"). */
  public static SimulatedFleet create(String tmuxBinary, String prefix) throws IOException {
    String socket = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    return new SimulatedFleet(tmuxBinary, socket, Files.createTempDirectory(socket));
  }

  public String socket() {
    return socket;
  }

  public TmuxServer server() {
    return new TmuxServer(tmux, Optional.of(socket), Optional.empty());
  }

  /** The file the fake agents append "epoch-millis name state" lines to. */
  public Path transitionLog() {
    return log;
  }

  /**
   * Starts the members in sessions of {@code perSession} windows each ("sim-1", "sim-2", ...). The panes run
   * the script directly (no interactive shell) and report {@code claude} as their command.
   */
  public void start(List<Member> members, int perSession, int width, int height) throws IOException {
    int session = 0;
    for (int i = 0; i < members.size(); i++) {
      Member member = members.get(i);
      List<String> command = agentCommand(member);
      if (i % perSession == 0) {
        session++;
        List<String> args = new ArrayList<>(List.of("new-session", "-d", "-s", "sim-" + session, "-n",
            member.windowName(), "-x", String.valueOf(width), "-y", String.valueOf(height)));
        args.add("--");
        args.addAll(command);
        tmux(args);
        if (serverPid == 0) {
          serverPid = Long.parseLong(tmux(List.of("display-message", "-p", "#{pid}")).trim());
          // exited agents stay visible as dead panes, which is what crash detection must see
          tmux(List.of("set-option", "-g", "remain-on-exit", "on"));
          tmux(List.of("set-option", "-g", "history-limit", "5000"));
        }
      } else {
        List<String> args = new ArrayList<>(List.of("new-window", "-d", "-t", "sim-" + session + ":", "-n",
            member.windowName()));
        args.add("--");
        args.addAll(command);
        tmux(args);
      }
    }
  }

  private List<String> agentCommand(Member member) {
    List<String> command = new ArrayList<>(List.of(script.toString(), "--argv0", "claude", "--name",
        member.windowName(), "--log", log.toString()));
    command.addAll(member.options());
    return command;
  }

  /** A demo fleet: a PM and {@code agents} agents walking through every state, a few with faults. */
  public static List<Member> demoMembers(int agents) {
    List<Member> members = new ArrayList<>();
    members.add(new Member("pm", List.of("--schedule", "working:6,idle:8,waiting:4,working:5,idle:10")));
    for (int i = 1; i <= agents; i++) {
      List<String> options = switch (i % 6) {
        case 0 -> List.of("--schedule", "working:8,idle:5,crash:12,starting:4,working:6,idle:5");
        case 3 -> List.of("--schedule", "working:7,rate_limited:15,working:6,error:6,idle:5");
        case 5 -> List.of("--style", "rules", "--random", "--seed", String.valueOf(i), "--min", "3", "--max", "10");
        default -> List.of("--random", "--seed", String.valueOf(i), "--min", "3", "--max", "12");
      };
      members.add(new Member("claude-" + i, options));
    }
    return members;
  }

  /**
   * The benchmark's default mix of held states, one agent in each in turn: a fifth working (their spinners
   * redraw every second), the rest on screens that stay still until someone acts.
   */
  public static final List<String> BENCHMARK_STATES = List.of("working", "idle", "idle", "waiting", "unsubmitted",
      "idle", "working", "rate_limited", "idle", "error");

  /** The states an agent can hold in a benchmark fleet. */
  public static final List<String> HOLDABLE_STATES = List.of("working", "idle", "waiting", "unsubmitted",
      "rate_limited", "error", "starting");

  /** A benchmark fleet: agents holding steady screens of every kind, so that each cycle sees the same work. */
  public static List<Member> benchmarkMembers(int agents) {
    return benchmarkMembers(agents, BENCHMARK_STATES);
  }

  /** A benchmark fleet holding {@code states}, one agent in each in turn. */
  public static List<Member> benchmarkMembers(int agents, List<String> states) {
    List<Member> members = new ArrayList<>(agents);
    for (int i = 0; i < agents; i++) {
      members.add(new Member("claude-" + i, List.of("--state", states.get(i % states.size()))));
    }
    return members;
  }

  private String tmux(List<String> args) throws IOException {
    return runTmux(tmux, socket, args);
  }

  /**
   * Runs one {@code tmux -L socket ARGS} process (outside any tmux client's environment, in a UTF-8 locale) and
   * returns its output; fails when it exits non-zero or takes over 30 s. Also used by loadtest/LoadTest.java.
   */
  public static String runTmux(String binary, String socket, List<String> args) throws IOException {
    List<String> argv = new ArrayList<>(List.of(binary, "-L", socket));
    argv.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    builder.environment().remove("TMUX");
    builder.environment().put("LANG", "C.UTF-8");
    Process process = builder.start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("tmux " + String.join(" ", args) + " failed: " + out.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return out;
  }

  /** Kills the private server (and so every fake agent) and removes the work directory. */
  @Override
  public void close() {
    try {
      tmux(List.of("kill-server"));
    } catch (IOException e) {
      // already gone
    }
    if (serverPid != 0) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < deadline && ProcessHandle.of(serverPid).map(ProcessHandle::isAlive).orElse(false)) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      ProcessHandle.of(serverPid).ifPresent(ProcessHandle::destroyForcibly);
    }
    // tmux leaves its socket file behind after kill-server; it is ours to remove.
    server().socketFile().ifPresent(file -> file.toFile().delete());
    try (var files = Files.walk(workDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
  }
}
