package dev.tmuxorc.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.config.ConfigFiles;
import dev.tmuxorc.daemon.DaemonClient;
import dev.tmuxorc.daemon.DaemonRecord;
import dev.tmuxorc.daemon.ProcessCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tmux-orc hook claude|codex|gemini}: hands one hook event (JSON on stdin) to the running monitor, adding
 * the pane and the ancestor pids; always exits 0 and prints nothing, since the agent shows a hook's output.
 */
@Command(name = "hook",
    description = {
        "For an agent's hook configuration (see `hooks install`): reads one hook event (JSON) on stdin (or as the "
            + "argument after KIND, as Codex's notify passes it) and posts "
            + "it to the running monitor (POST /api/hooks/KIND) with the pane ($TMUX_PANE) and its ancestor "
            + "pids, giving up after 500 ms.",
        "Always exits 0 and prints nothing, whatever happens (no monitor, a stuck monitor, bad input), so that "
            + "the agent is never slowed, blocked or shown an error. Bodies over 1 MB are dropped."})
final class HookCommand implements Callable<Integer> {

  /** The agent kinds the monitor takes hook events from. */
  static final Set<String> KINDS = Set.of("claude", "codex", "gemini");

  static final int MAX_BODY = 1024 * 1024;
  static final Duration POST_LIMIT = Duration.ofMillis(500);
  static final int MAX_PIDS = 8;
  // Only a stdin that is never closed (someone typing at it) could exceed this: the agent closes it at once.
  private static final Duration STDIN_LIMIT = Duration.ofSeconds(3);
  // Lets the post's own timeout end the worker: a thread still blocked in a socket read when the JVM exits
  // holds the exit up by 300 ms (HotSpot waits that long for threads in native code).
  private static final Duration GRACE = Duration.ofMillis(100);

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "KIND", arity = "0..1", completionCandidates = Kinds.class,
      description = "The agent that fires the hook: ${COMPLETION-CANDIDATES}.")
  String kind;

  // Codex runs its notify program with the event's JSON as the last argument, not on stdin.
  @Parameters(index = "1", paramLabel = "JSON", arity = "0..1",
      description = "The event's JSON as an argument instead of stdin (what Codex's `notify` passes).")
  String argument;

  @Option(names = "--pane", paramLabel = "%N", description = "The agent's pane (default: $TMUX_PANE).")
  String pane;

  // System.nanoTime() when the post began (0 before): the worker is given up on POST_LIMIT after it
  private volatile long postingSince;

  @Override
  public Integer call() {
    try {
      Thread worker = new Thread(this::deliver, "tmux-orc-hook");
      worker.setDaemon(true);
      long start = System.nanoTime();
      worker.start();
      while (worker.isAlive()) {
        long posting = postingSince;
        long deadline = posting != 0 ? posting + POST_LIMIT.toNanos() + GRACE.toNanos()
            : start + STDIN_LIMIT.toNanos();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        worker.join(Math.max(1, Math.min(20, left / 1_000_000)));
      }
    } catch (Throwable e) {
      // nothing may reach the agent
    }
    return 0;
  }

  /**
   * The launcher's entry for {@code hook}: silences stdout, stderr and logging before anything can write (picocli's
   * usage errors, a logger), and parses the arguments without the rest of the command tree, whose classes take
   * most of a second to load; returns 0 always.
   */
  static int runSilently(String... args) {
    try {
      PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
      System.setOut(silent);
      System.setErr(silent);
      System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
      new CommandLine(new Line()).execute(args);
    } catch (Throwable e) {
      // nothing may reach the agent
    }
    return 0;
  }

  /** The command line of the fast path: the global options and {@code hook}, nothing else. */
  @Command(name = "tmux-orc", subcommands = HookCommand.class)
  static final class Line {
    @Mixin
    GlobalOptions global;
  }

  /** Whether {@code args} run {@code hook}: its name is the first word that is no global option nor its value. */
  static boolean isHookCall(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (Set.of("-L", "--socket", "-S", "--socket-path", "-c", "--config").contains(arg)) {
        i++;
      } else if (!arg.startsWith("-")) {
        return arg.equals("hook");
      }
    }
    return false;
  }

  private void deliver() {
    try {
      if (kind == null || !KINDS.contains(kind)) {
        return;
      }
      Optional<byte[]> body = argument != null
          ? Optional.of(argument.getBytes(java.nio.charset.StandardCharsets.UTF_8)).filter(b -> b.length <= MAX_BODY)
          : readBounded(System.in);
      if (body.isEmpty()) {
        return;
      }
      Optional<DaemonRecord> monitor = DaemonRecord.readPidAndUrl(BaseDir.current())
          .filter(r -> ProcessCheck.isTmuxOrc(r.pid()));
      if (monitor.isEmpty()) {
        return;
      }
      // the root is Main, or Line on the launcher's fast path: both hold the global options as "global"
      GlobalOptions global = (GlobalOptions) spec.root().mixins().get("global").userObject();
      DaemonClient client = new DaemonClient(URI.create(monitor.get().url()), token(global));
      postingSince = System.nanoTime();
      client.postJson("/api/hooks/" + kind, body.get(), headers(), POST_LIMIT);
    } catch (Throwable e) {
      // no monitor, a stuck one, a refusal: the hook has nothing to tell anyone
    }
  }

  private Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    String thePane = pane != null ? pane : System.getenv("TMUX_PANE");
    if (thePane != null && !thePane.isBlank()) {
      headers.put("X-Tmux-Pane", thePane.strip());
    }
    List<Long> pids = ancestorPids();
    if (!pids.isEmpty()) {
      headers.put("X-Hook-Pids", pids.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
    return headers;
  }

  /** This process's parent, its parent, ... (nearest first, at most {@link #MAX_PIDS}). */
  static List<Long> ancestorPids() {
    List<Long> pids = new ArrayList<>();
    Optional<ProcessHandle> parent = ProcessHandle.current().parent();
    while (parent.isPresent() && pids.size() < MAX_PIDS) {
      pids.add(parent.get().pid());
      parent = parent.get().parent();
    }
    return pids;
  }

  /** All of {@code in}, or nothing when it holds more than {@link #MAX_BODY} bytes. */
  static Optional<byte[]> readBounded(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BODY + 1);
    return bytes.length > MAX_BODY ? Optional.empty() : Optional.of(bytes);
  }

  /**
   * The token as {@code MonitorCommand.token} finds it, without loading the whole configuration (hundreds of
   * milliseconds per hook event): a {@code -Dtmux-orc.http.token}, else the user's file, else
   * {@code $TMUX_ORC_HTTP_TOKEN}. A file that cannot be read alone (substitutions of defaults) gets the full load.
   */
  static Optional<String> token(GlobalOptions global) {
    String key = "tmux-orc.http.token";
    String fromProperty = System.getProperty(key);
    if (fromProperty != null) {
      return Optional.of(fromProperty).filter(t -> !t.isBlank());
    }
    Optional<Path> file = ConfigFiles.locate(global.configFile(), System.getenv(), BaseDir.current());
    if (file.isPresent()) {
      try {
        Config user = ConfigFactory.parseFile(file.get().toFile(), ConfigParseOptions.defaults()
            .setAllowMissing(false)).resolve();
        if (user.hasPath(key)) {
          return MonitorCommand.token(user);
        }
      } catch (RuntimeException e) {
        return MonitorCommand.token(Launcher.config(global, Map.of()));
      }
    }
    return Optional.ofNullable(System.getenv("TMUX_ORC_HTTP_TOKEN")).filter(t -> !t.isBlank());
  }

  static final class Kinds extends ArrayList<String> {
    Kinds() {
      super(List.of("claude", "codex", "gemini"));
    }
  }
}
