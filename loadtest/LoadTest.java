// tmux-orc load-test harness: one single-file Java 17 program (source-launch mode).
//
//   java -cp target/tmux-orc.jar loadtest/LoadTest.java SCENARIO [--out DIR] [--duration 30s] [--jar PATH]
//       [--launcher PATH/bin/tmux-orc]
//       [--agent PATH] [--set KEY=VALUE]...   (--set overrides a scenario key, e.g. monitor.strategy=event)
//
// SCENARIO is a name (loadtest/scenarios/NAME.conf) or a path to a .conf file. The program starts a private
// tmux server (tmux -L lt-...), starts `tmux-orc monitor` on it as a child process, launches a fleet of fake
// agents (loadtest/agents/fake-agent.sh), samples CPU and memory every second, stops everything and compares
// the fake agents' own transition log with the monitor's events. See loadtest/README.md.
//
// Typesafe Config and Jackson come from the tmux-orc jar on the class path. Exit status: 0 when the
// scenario's assertions hold, 1 when they do not, 2 on a usage or set-up error.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.tmuxorc.sim.ProcessSample;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

public class LoadTest {

  public static void main(String[] args) {
    int status;
    try {
      status = new Run().execute(args);
    } catch (UsageException e) {
      System.err.println("loadtest: " + e.getMessage());
      System.err.println("usage: java -cp target/tmux-orc.jar loadtest/LoadTest.java SCENARIO [--out DIR] "
          + "[--duration 30s] [--jar PATH] [--launcher PATH/bin/tmux-orc] [--agent PATH/fake-agent.sh] "
          + "[--set KEY=VALUE]...");
      status = 2;
    } catch (Exception e) {
      System.err.println();
      System.err.println("loadtest: failed: " + e);
      e.printStackTrace();
      status = 2;
    }
    System.exit(status);
  }
}

final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}

/** Small helpers shared by the classes below. */
final class U {
  private U() { }

  static double pct(List<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  static double mean(List<Double> values) {
    return values.isEmpty() ? Double.NaN : values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  static double max(List<Double> values) {
    return values.isEmpty() ? Double.NaN : Collections.max(values);
  }

  static String f(double v, int decimals) {
    if (Double.isNaN(v)) {
      return "–";
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** Milliseconds as "1234" or "–". */
  static String ms(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f", v);
  }

  static Object num(double v) {
    return Double.isNaN(v) ? null : Math.round(v * 1000.0) / 1000.0;
  }

  static String run(List<String> argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  static String readOr(Path file, String fallback) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return fallback;
    }
  }

  static void sleep(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String dur(long millis) {
    long s = millis / 1000;
    return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }

  /** Least-squares slope of y over x. */
  static double slope(List<double[]> xy) {
    int n = xy.size();
    if (n < 3) {
      return Double.NaN;
    }
    double sx = 0;
    double sy = 0;
    for (double[] p : xy) {
      sx += p[0];
      sy += p[1];
    }
    double mx = sx / n;
    double my = sy / n;
    double num = 0;
    double den = 0;
    for (double[] p : xy) {
      num += (p[0] - mx) * (p[1] - my);
      den += (p[0] - mx) * (p[0] - mx);
    }
    return den == 0 ? Double.NaN : num / den;
  }
}

/** The scenario file, read with the defaults (loadtest/scenarios/defaults.conf) as fallback. */
final class Scenario {
  final String name;
  final Path file;
  final Config c;
  final Duration duration;
  List<String> overrides = List.of();

  Scenario(String name, Path file, Config c, Duration duration) {
    this.name = name;
    this.file = file;
    this.c = c;
    this.duration = duration;
  }

  static Scenario load(String arg, Duration durationOverride, List<String> sets) throws UsageException {
    Path file = arg.endsWith(".conf") ? Paths.get(arg) : Paths.get("loadtest", "scenarios", arg + ".conf");
    if (!Files.isRegularFile(file)) {
      throw new UsageException("no scenario file " + file + " (run from the repository root, or give a path)");
    }
    Path defaults = file.toAbsolutePath().getParent().resolve("defaults.conf");
    Config config = ConfigFactory.parseFile(file.toFile());
    if (!Files.isRegularFile(defaults)) {
      defaults = Paths.get("loadtest", "scenarios", "defaults.conf").toAbsolutePath();
    }
    for (String set : sets) {
      try {
        config = ConfigFactory.parseString(set).atPath("scenario").withFallback(config);
      } catch (RuntimeException e) {
        throw new UsageException("bad --set " + set + ": " + e.getMessage());
      }
    }
    if (Files.isRegularFile(defaults) && !defaults.equals(file.toAbsolutePath())) {
      config = config.withFallback(ConfigFactory.parseFile(defaults.toFile()));
    }
    config = config.resolve().getConfig("scenario");
    String name = file.getFileName().toString().replaceFirst("\\.conf$", "");
    Duration duration = durationOverride != null ? durationOverride : config.getDuration("duration");
    Scenario scenario = new Scenario(name, file, config, duration);
    scenario.overrides = List.copyOf(sets);
    return scenario;
  }

  Duration debounce() {
    return c.getDuration("monitor.idle-debounce");
  }

  /** Transitions shorter than this are "too short to judge"; "auto" = idle-debounce + 1 s. */
  long graceMillis() {
    String g = c.getString("analysis.grace");
    return g.equals("auto") ? debounce().toMillis() + 1000 : c.getDuration("analysis.grace").toMillis();
  }
}

/** One fake agent: its window name, what drives it, and what happened to it during the run. */
final class AgentSpec {
  final String name;
  final String behaviour; // random | schedule | fault | idle | explicit
  final List<String> options;
  String session;
  String windowId;
  boolean hooks;     // posts hook events (fake-agent --hook-url)
  boolean ambiguous; // its screen tells nothing (--screen ambiguous): the hooks are its only truth
  long launchedAt;
  long removedAt; // 0 = never removed

  AgentSpec(String name, String behaviour, List<String> options) {
    this.name = name;
    this.behaviour = behaviour;
    this.options = options;
  }
}

/** Builds the fleet's agent specs from the scenario's explicit list or its behaviour mix. */
final class FleetPlan {
  private final Config c;
  private final Random random;
  private final Random styleRandom;
  private final Random hookRandom; // its own, so that scenarios without hooks draw exactly as before
  private final Map<String, Integer> roundRobin = new HashMap<>();
  private int next = 1;
  /** The monitor's hook intake (http://127.0.0.1:PORT/api/hooks/claude) and the hook log; null = no hooks. */
  String hookUrl;
  Path hookLog;

  FleetPlan(Config c) {
    this.c = c;
    long seed = c.getLong("seed");
    this.random = new Random(seed);
    this.styleRandom = new Random(seed * 31 + 7);
    this.hookRandom = new Random(seed * 17 + 3);
  }

  /** Hook options for one agent, drawn with the scenario's hooks.share and hooks.ambiguous-share. */
  private void hooks(AgentSpec spec, String kind) {
    if (hookUrl == null || hookRandom.nextDouble() >= c.getDouble("hooks.share")) {
      return;
    }
    spec.hooks = true;
    spec.options.addAll(List.of("--hook-url", hookUrl, "--hook-log", hookLog.toString()));
    if (c.getString("hooks.form").equals("curl")) {
      spec.options.add("--hook-curl");
    }
    // only walkers (which then avoid unsubmitted) and idle holders: a schedule may show what no hook tells
    if ((kind.equals("random") || kind.equals("idle"))
        && hookRandom.nextDouble() < c.getDouble("hooks.ambiguous-share")) {
      spec.ambiguous = true;
      spec.options.addAll(List.of("--screen", "ambiguous"));
    }
  }

  List<AgentSpec> initial() {
    List<AgentSpec> specs = new ArrayList<>();
    List<? extends Config> explicit = c.getConfigList("fleet.agents-list");
    if (!explicit.isEmpty()) {
      for (Config a : explicit) {
        List<String> options = new ArrayList<>();
        if (a.hasPath("schedule")) {
          options.addAll(List.of("--schedule", a.getString("schedule")));
        }
        if (a.hasPath("once") && a.getBoolean("once")) {
          options.add("--once");
        }
        if (a.hasPath("options")) {
          options.addAll(a.getStringList("options"));
        }
        options.addAll(c.getStringList("fleet.agent-options"));
        AgentSpec spec = new AgentSpec("claude-" + next++, "explicit", options);
        hooks(spec, "explicit");
        specs.add(spec);
      }
      return specs;
    }
    int n = c.getInt("fleet.agents");
    List<String> kinds = apportion(n);
    Collections.shuffle(kinds, random);
    for (String kind : kinds) {
      specs.add(make(kind));
    }
    return specs;
  }

  /** One more agent for churn, its behaviour drawn at random with the mix's weights. */
  AgentSpec another() {
    Map<String, Double> w = weights();
    double total = w.values().stream().mapToDouble(Double::doubleValue).sum();
    double r = random.nextDouble() * total;
    for (var e : w.entrySet()) {
      r -= e.getValue();
      if (r < 0) {
        return make(e.getKey());
      }
    }
    return make("random");
  }

  private Map<String, Double> weights() {
    Map<String, Double> w = new LinkedHashMap<>();
    for (String kind : List.of("random", "schedule", "fault", "idle")) {
      double weight = c.getDouble("mix." + kind + ".weight");
      if (weight > 0) {
        w.put(kind, weight);
      }
    }
    if (w.isEmpty()) {
      w.put("random", 1.0);
    }
    return w;
  }

  /** n kinds in proportion to the weights (largest remainder). */
  private List<String> apportion(int n) {
    Map<String, Double> w = weights();
    double total = w.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Integer> counts = new LinkedHashMap<>();
    Map<String, Double> rest = new LinkedHashMap<>();
    int given = 0;
    for (var e : w.entrySet()) {
      double exact = n * e.getValue() / total;
      counts.put(e.getKey(), (int) Math.floor(exact));
      rest.put(e.getKey(), exact - Math.floor(exact));
      given += (int) Math.floor(exact);
    }
    List<String> byRest = new ArrayList<>(rest.keySet());
    byRest.sort((a, b) -> Double.compare(rest.get(b), rest.get(a)));
    for (int i = 0; given < n; i++, given++) {
      String k = byRest.get(i % byRest.size());
      counts.merge(k, 1, Integer::sum);
    }
    List<String> kinds = new ArrayList<>();
    counts.forEach((k, v) -> kinds.addAll(Collections.nCopies(v, k)));
    return kinds;
  }

  private AgentSpec make(String kind) {
    int index = next++;
    List<String> options = new ArrayList<>();
    switch (kind) {
      case "random" -> options.addAll(List.of("--random", "--seed",
          String.valueOf(c.getLong("seed") * 1000 + index), "--min", String.valueOf(c.getInt("mix.random.min")),
          "--max", String.valueOf(c.getInt("mix.random.max"))));
      case "schedule", "fault" -> {
        List<String> list = c.getStringList("mix." + kind + ".schedules");
        int i = roundRobin.merge(kind, 1, Integer::sum) - 1;
        options.addAll(List.of("--schedule", list.get(i % list.size())));
        if (c.getBoolean("mix." + kind + ".once")) {
          options.add("--once");
        }
      }
      case "idle" -> options.addAll(List.of("--state", "idle"));
      default -> throw new IllegalArgumentException(kind);
    }
    if (styleRandom.nextDouble() < c.getDouble("fleet.rules-style-share")) {
      options.addAll(List.of("--style", "rules"));
    }
    if (styleRandom.nextDouble() < c.getDouble("fleet.top-layout-share")) {
      options.addAll(List.of("--layout", "top"));
    }
    options.addAll(c.getStringList("fleet.agent-options"));
    AgentSpec spec = new AgentSpec("claude-" + index, kind, options);
    hooks(spec, kind);
    return spec;
  }
}

/** The private tmux server and the fleet in it. Never touches any other tmux server. */
final class Tmux {
  final String socket;
  private final Path agentScript;
  private final Path agentLog;
  private final int width;
  private final int height;
  private final int perSession;
  long serverPid;
  private String socketPath = "";
  private int sessions;
  private final Map<String, Integer> liveInSession = new HashMap<>();

  Tmux(String socket, Path agentScript, Path agentLog, int width, int height, int perSession) {
    this.socket = socket;
    this.agentScript = agentScript;
    this.agentLog = agentLog;
    this.width = width;
    this.height = height;
    this.perSession = perSession;
  }

  String tmux(List<String> args) throws IOException {
    return dev.tmuxorc.sim.SimulatedFleet.runTmux("tmux", socket, args);
  }

  /** Starts the server with a base session that holds no agent (a plain `sleep`), so the monitor can attach. */
  void startServer(int historyLimit) throws IOException {
    tmux(List.of("-f", "/dev/null", "new-session", "-d", "-s", "lt-base", "-n", "base", "-x",
        String.valueOf(width), "-y", String.valueOf(height), "--", "sleep", "1000000"));
    String[] info = tmux(List.of("display-message", "-p", "#{pid} #{socket_path}")).trim().split(" ", 2);
    serverPid = Long.parseLong(info[0]);
    socketPath = info.length > 1 ? info[1] : "";
    // exited agents must stay visible as dead panes (pane_dead=1): that is what crash detection sees
    tmux(List.of("set-option", "-g", "remain-on-exit", "on"));
    tmux(List.of("set-option", "-g", "history-limit", String.valueOf(historyLimit)));
  }

  void launch(AgentSpec spec) throws IOException {
    List<String> command = new ArrayList<>(List.of(agentScript.toString(), "--argv0", "claude", "--name",
        spec.name, "--log", agentLog.toString()));
    command.addAll(spec.options);
    String current = "lt-" + sessions;
    List<String> args;
    if (sessions == 0 || liveInSession.getOrDefault(current, 0) == 0 || liveInSession.get(current) >= perSession) {
      sessions++;
      current = "lt-" + sessions;
      args = new ArrayList<>(List.of("new-session", "-d", "-P", "-F", "#{window_id}", "-s", current, "-n",
          spec.name, "-x", String.valueOf(width), "-y", String.valueOf(height)));
    } else {
      args = new ArrayList<>(List.of("new-window", "-d", "-P", "-F", "#{window_id}", "-t", current + ":", "-n",
          spec.name));
    }
    args.add("--");
    args.addAll(command);
    spec.launchedAt = System.currentTimeMillis();
    spec.windowId = tmux(args).trim();
    spec.session = current;
    liveInSession.merge(current, 1, Integer::sum);
  }

  void remove(AgentSpec spec) throws IOException {
    spec.removedAt = System.currentTimeMillis();
    tmux(List.of("kill-window", "-t", spec.windowId));
    liveInSession.merge(spec.session, -1, Integer::sum);
  }

  boolean hasSessionPrefix(String prefix) {
    try {
      return tmux(List.of("list-sessions", "-F", "#{session_name}")).lines().anyMatch(l -> l.startsWith(prefix));
    } catch (IOException e) {
      return false;
    }
  }

  void kill() {
    try {
      tmux(List.of("kill-server"));
    } catch (IOException e) {
      // already gone
    }
    if (serverPid != 0) {
      long deadline = System.currentTimeMillis() + 5000;
      while (System.currentTimeMillis() < deadline
          && ProcessHandle.of(serverPid).map(ProcessHandle::isAlive).orElse(false)) {
        U.sleep(20);
      }
      ProcessHandle.of(serverPid).ifPresent(ProcessHandle::destroyForcibly);
    }
    // tmux 3.3a leaves its socket file behind after kill-server: remove ours (only ours, by its exact path)
    if (socketPath.endsWith("/" + socket)) {
      try {
        Files.deleteIfExists(Path.of(socketPath));
      } catch (IOException e) {
        // harmless
      }
    }
  }
}

/** CPU (utime+stime deltas from /proc/PID/stat) and RSS (/proc/PID/status) of one process. */
final class ProcStat {
  static final double CLK_TCK = clkTck();

  private static double clkTck() {
    try {
      return Double.parseDouble(U.run(List.of("getconf", "CLK_TCK")));
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  /** utime+stime in ticks, or -1 when the process is gone. */
  static long ticks(long pid) {
    return ProcessSample.ticks(pid);
  }

  /** VmRSS in MB, or NaN when the process is gone. */
  static double rssMb(long pid) {
    return ProcessSample.rssMb(pid);
  }
}

/** One second's sample. */
record Sample(long t, double monCpu, double monRss, double clientCpu, double tmuxCpu, double tmuxRss,
    double load1, long events, long stateChanges, int agents) { }

/** Samples the monitor JVM, its tmux -C clients and the tmux server every second; prints the progress line. */
final class Sampler implements Runnable {
  private final long monPid;
  private final long tmuxPid;
  private final long t0;
  private final long durationMs;
  private final Path events;
  private final java.util.function.IntSupplier agents;
  final List<Sample> samples = new CopyOnWriteArrayList<>();
  private long lastWall;
  private long lastMon = -1;
  private long lastTmux = -1;
  private final Map<Long, Long> lastClient = new HashMap<>();
  private long eventPos;
  private long eventCount;
  private long stateCount;
  private String partial = "";
  private final boolean tty = System.console() != null;
  private long lastPrinted;

  Sampler(long monPid, long tmuxPid, long t0, long durationMs, Path events, java.util.function.IntSupplier agents) {
    this.monPid = monPid;
    this.tmuxPid = tmuxPid;
    this.t0 = t0;
    this.durationMs = durationMs;
    this.events = events;
    this.agents = agents;
  }

  @Override
  public void run() {
    try {
      sample();
    } catch (RuntimeException e) {
      System.err.println("\nloadtest: sampler: " + e);
    }
  }

  private void sample() {
    long now = System.currentTimeMillis();
    long mon = ProcStat.ticks(monPid);
    long tm = ProcStat.ticks(tmuxPid);
    long clientTicks = 0;
    Map<Long, Long> clients = new HashMap<>();
    for (ProcessHandle h : ProcessHandle.of(monPid).map(p -> p.descendants().collect(Collectors.toList()))
        .orElse(List.of())) {
      long t = ProcStat.ticks(h.pid());
      if (t >= 0) {
        clients.put(h.pid(), t);
        clientTicks += t - lastClient.getOrDefault(h.pid(), lastWall == 0 ? t : 0L);
      }
    }
    countEvents();
    if (lastWall != 0) {
      double secs = (now - lastWall) / 1000.0;
      double monCpu = mon >= 0 && lastMon >= 0 ? (mon - lastMon) / ProcStat.CLK_TCK / secs * 100 : Double.NaN;
      double tmuxCpu = tm >= 0 && lastTmux >= 0 ? (tm - lastTmux) / ProcStat.CLK_TCK / secs * 100 : Double.NaN;
      double clientCpu = clientTicks / ProcStat.CLK_TCK / secs * 100;
      double load = Double.NaN;
      try {
        load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
      } catch (IOException | RuntimeException e) {
        // no loadavg
      }
      samples.add(new Sample(now - t0, monCpu, ProcStat.rssMb(monPid), clientCpu, tmuxCpu,
          ProcStat.rssMb(tmuxPid), load, eventCount, stateCount, agents.getAsInt()));
      progress(now);
    }
    lastWall = now;
    lastMon = mon;
    lastTmux = tm;
    lastClient.clear();
    lastClient.putAll(clients);
  }

  private void countEvents() {
    try (RandomAccessFile f = new RandomAccessFile(events.toFile(), "r")) {
      long len = f.length();
      if (len <= eventPos) {
        return;
      }
      f.seek(eventPos);
      byte[] buf = new byte[(int) Math.min(len - eventPos, 64 << 20)];
      f.readFully(buf);
      eventPos += buf.length;
      String text = partial + new String(buf, StandardCharsets.UTF_8);
      int start = 0;
      int nl;
      while ((nl = text.indexOf('\n', start)) >= 0) {
        String line = text.substring(start, nl);
        if (!line.contains("\"CycleReport\"")) {
          eventCount++;
          if (line.contains("\"StateChanged\"")) {
            stateCount++;
          }
        }
        start = nl + 1;
      }
      partial = text.substring(start);
    } catch (IOException e) {
      // not created yet
    }
  }

  private void progress(long now) {
    if (samples.isEmpty()) {
      return;
    }
    Sample s = samples.get(samples.size() - 1);
    Sample back = samples.get(Math.max(0, samples.size() - 6));
    double rate = s.t() == back.t() ? 0 : (s.events() - back.events()) * 1000.0 / (s.t() - back.t());
    String line = String.format(Locale.ROOT,
        "[%6s/%s] agents %4d | events %6d (%5.1f/s) | state changes %6d | tmux-orc CPU %5.1f%% RSS %5.0f MB"
            + " | tmux CPU %5.1f%% | load %4.1f",
        U.dur(Math.max(0, s.t())), U.dur(durationMs), s.agents(), s.events(), rate, s.stateChanges(),
        s.monCpu(), s.monRss(), s.tmuxCpu(), s.load1());
    if (tty) {
      System.err.print("\r" + line);
      System.err.flush();
    } else if (now - lastPrinted >= 10_000) {
      System.err.println(line);
      lastPrinted = now;
    }
  }
}

/** One line of the fake agents' log. */
record Transition(long t, String agent, String state, String fault) { }

/** A stretch of time during which the fake agent's expected (detectable) state did not change. */
final class Segment {
  final String agent;
  final long start;
  long end;
  final String state;
  final String label; // state, or "state (fault)"
  final boolean held; // rate_limited held by design (see README)
  boolean judged;
  String outcome = ""; // detected | carried | missed | short-detected | short-undetected
  long latency = -1;

  Segment(String agent, long start, String state, String label, boolean held) {
    this.agent = agent;
    this.start = start;
    this.state = state;
    this.label = label;
    this.held = held;
  }
}

/** A monitor event (agent events only; cycle reports are kept as JSON). */
record Ev(String type, long at, String window, String from, String to, String evidence) { }

/** Compares the fake agents' transitions with the monitor's events. */
final class Analysis {
  final List<Segment> segments = new ArrayList<>();
  final List<Map<String, Object>> missed = new ArrayList<>();
  final List<Map<String, Object>> wrong = new ArrayList<>();
  final List<JsonNode> cycleReports = new ArrayList<>();
  final Map<String, Integer> eventCounts = new TreeMap<>();
  final Map<String, Integer> healthTo = new TreeMap<>();
  final List<Double> discovery = new ArrayList<>();
  final List<Double> gone = new ArrayList<>();
  int transitions;
  int heldTransitions;
  int agentEvents;
  int stateChanges;
  int undiscovered;
  int goneMissed;
  int unexpectedGone;
  int unknownWindows;
  int wrongCount;
  int changesAfterStop;
  final List<String> undiscoveredNames = new ArrayList<>();
  HookAnalysis hooks; // null without hooks

  void analyze(List<AgentSpec> fleet, Path agentLog, Path eventsFile, long stopAt, long grace, long slack,
      long goneTimeout) throws IOException {
    Map<String, AgentSpec> byName = new LinkedHashMap<>();
    fleet.forEach(a -> byName.put(a.name, a));

    Map<String, List<Transition>> trans = new HashMap<>();
    if (Files.exists(agentLog)) {
      for (String line : Files.readAllLines(agentLog, StandardCharsets.UTF_8)) {
        String[] f = line.trim().split(" ");
        if (f.length < 3 || !f[0].matches("[0-9]+")) {
          continue;
        }
        trans.computeIfAbsent(f[1], k -> new ArrayList<>())
            .add(new Transition(Long.parseLong(f[0]), f[1], f[2], f.length > 3 ? f[3] : ""));
      }
    }

    ObjectMapper mapper = new ObjectMapper();
    Map<String, List<Ev>> evs = new HashMap<>();
    Map<String, Long> discovered = new HashMap<>();
    Map<String, Long> goneAt = new HashMap<>();
    if (Files.exists(eventsFile)) {
      for (String line : Files.readAllLines(eventsFile, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n;
        try {
          n = mapper.readTree(line);
        } catch (IOException e) {
          continue; // a line cut by the shutdown
        }
        String type = n.path("type").asText();
        if (type.equals("CycleReport")) {
          cycleReports.add(n);
          continue;
        }
        agentEvents++;
        eventCounts.merge(type, 1, Integer::sum);
        String window = n.path("windowName").asText();
        long at = n.path("atMillis").asLong();
        if (!byName.containsKey(window)) {
          unknownWindows++;
          continue;
        }
        switch (type) {
          case "AgentDiscovered" -> discovered.putIfAbsent(window, at);
          case "AgentGone" -> goneAt.putIfAbsent(window, at);
          case "HealthChanged" -> healthTo.merge(n.path("to").asText(), 1, Integer::sum);
          case "StateChanged" -> {
            if (at >= stopAt) {
              changesAfterStop++; // the agents' log is cut at the stop: so are the monitor's reports
              continue;
            }
            stateChanges++;
            JsonNode e0 = n.path("evidence").path(0);
            String evidence = e0.isMissingNode() ? "" : e0.path("rule").asText() + ": " + e0.path("text").asText();
            evs.computeIfAbsent(window, k -> new ArrayList<>())
                .add(new Ev(type, at, window, n.path("from").asText(), n.path("to").asText(), evidence));
          }
          default -> { }
        }
      }
    }
    evs.values().forEach(l -> l.sort((a, b) -> Long.compare(a.at(), b.at())));

    for (AgentSpec a : fleet) {
      Long d = discovered.get(a.name);
      if (d != null) {
        discovery.add((double) (d - a.launchedAt));
      } else {
        undiscovered++;
        undiscoveredNames.add(a.name);
      }
      if (a.removedAt > 0) {
        Long g = goneAt.get(a.name);
        if (g != null && g - a.removedAt <= goneTimeout) {
          gone.add((double) (g - a.removedAt));
        } else {
          goneMissed++;
        }
      } else if (goneAt.containsKey(a.name)) {
        unexpectedGone++;
      }

      long end = a.removedAt > 0 ? a.removedAt : stopAt;
      List<Transition> ts = new ArrayList<>(trans.getOrDefault(a.name, List.of()));
      ts.removeIf(t -> t.t() >= end);
      ts.sort((x, y) -> Long.compare(x.t(), y.t()));
      transitions += ts.size();
      List<Segment> segs = new ArrayList<>();
      String effective = null;
      for (Transition t : ts) {
        String state = t.state();
        boolean held = false;
        // rate_limited is held until its reset time against every verdict but working and a dead pane
        // (AgentStateMachine): the product keeps reporting rate_limited, by design.
        if ("rate_limited".equals(effective) && !state.equals("working") && !state.equals("rate_limited")
            && !t.fault().equals("exit")) {
          state = "rate_limited";
          held = true;
          heldTransitions++;
        }
        if (state.equals(effective)) {
          continue; // the same expected state again (a redraw, a held state): no event expected
        }
        Segment s = new Segment(a.name, t.t(), state,
            held ? "rate_limited (held)" : t.fault().isEmpty() ? state : state + " (" + t.fault() + ")", held);
        if (!segs.isEmpty()) {
          segs.get(segs.size() - 1).end = t.t();
        }
        segs.add(s);
        effective = state;
      }
      if (!segs.isEmpty()) {
        segs.get(segs.size() - 1).end = end;
      }
      List<Ev> agentEvs = evs.getOrDefault(a.name, List.of());

      for (Segment s : segs) {
        s.judged = s.end - s.start >= grace;
        Ev match = null;
        for (Ev e : agentEvs) {
          if (e.at() >= s.start - slack && e.at() < s.end && e.to().equals(s.state)) {
            match = e;
            break;
          }
        }
        String before = null;
        for (Ev e : agentEvs) {
          if (e.at() < s.start - slack) {
            before = e.to();
          }
        }
        if (match != null) {
          s.latency = Math.max(0, match.at() - s.start);
          s.outcome = s.judged ? "detected" : "short-detected";
        } else if (s.state.equals(before)) {
          s.outcome = "carried"; // the monitor already reported this state before the segment began
        } else if (s.judged) {
          s.outcome = "missed";
          if (missed.size() < 200) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("agent", a.name);
            m.put("expected", s.label);
            m.put("at", s.start);
            m.put("lastedMs", s.end - s.start);
            m.put("monitorStateBefore", before);
            m.put("monitorEventsDuring", agentEvs.stream().filter(e -> e.at() >= s.start - slack && e.at() < s.end)
                .map(e -> (e.at() - s.start) + "ms " + e.from() + "->" + e.to() + " [" + e.evidence() + "]")
                .collect(Collectors.toList()));
            m.put("agentOptions", String.join(" ", a.options));
            missed.add(m);
          }
        } else {
          s.outcome = "short-undetected";
        }
      }
      segments.addAll(segs);

      // wrong: a StateChanged whose `to` is none of the states the agent showed in [at - grace, at]
      for (Ev e : agentEvs) {
        if (segs.isEmpty()) {
          wrongCount++;
          addWrong(a, e, "(no transition logged)", 0);
          continue;
        }
        if (e.at() < segs.get(0).start - slack) {
          wrongCount++;
          addWrong(a, e, "(before the agent's first screen)", 0);
          continue;
        }
        boolean ok = false;
        Segment current = segs.get(0);
        for (int i = 0; i < segs.size(); i++) {
          Segment s = segs.get(i);
          long segEnd = i == segs.size() - 1 ? Long.MAX_VALUE : s.end;
          if (s.start - slack <= e.at() && e.at() < segEnd) {
            current = s;
          }
          boolean overlaps = s.start - slack <= e.at() && segEnd > e.at() - grace;
          if (overlaps && s.state.equals(e.to())) {
            ok = true;
          }
        }
        if (!ok) {
          wrongCount++;
          addWrong(a, e, current.label, e.at() - current.start);
        }
      }
    }
  }

  private void addWrong(AgentSpec a, Ev e, String actual, long since) {
    if (wrong.size() >= 200) {
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("agent", a.name);
    m.put("at", e.at());
    m.put("reported", e.from() + "->" + e.to());
    m.put("agentState", actual);
    m.put("agentStateSinceMs", since);
    m.put("evidence", e.evidence());
    m.put("agentOptions", String.join(" ", a.options));
    wrong.add(m);
  }

  long count(String outcome) {
    return segments.stream().filter(s -> s.outcome.equals(outcome)).count();
  }

  List<Double> latencies(String label) {
    return segments.stream().filter(s -> s.outcome.equals("detected") && (label == null || s.label.equals(label)))
        .map(s -> (double) s.latency).collect(Collectors.toList());
  }
}

/**
 * The hook side of a run with hooks: what the fake agents posted (raw/hooks.log), what the monitor received
 * (HookReceived events) and which StateChanged each one caused: the StateChanged whose deciding evidence is
 * that hook (rule "hook", its text naming the hook's intake time). Latency = StateChanged.at - HookReceived.at,
 * both stamped by the monitor (HookReceived.at is the HTTP intake, HookRoutes; StateChanged.at its publication
 * by the agent actor), so it covers the monitor's routing, the agent's mailbox and the fusion.
 */
final class HookAnalysis {
  record Sent(long tMicros, String agent, String event, String code, long rttMicros) { }

  record Received(java.time.Instant at, String atText, String window, String hook, String meaning) { }

  int sent;
  int sentAfterStop;
  int accepted;
  final Map<String, Integer> codes = new TreeMap<>();
  final Map<String, Integer> sentByEvent = new TreeMap<>();
  final List<Double> roundTrip = new ArrayList<>();
  int received;
  int lost; // sent before the stop, never received
  int changed;
  int alreadyReported;
  int screenFirst;
  int notApplied;
  int heldForDiscovery;
  final List<Double> latency = new ArrayList<>();            // received -> StateChanged, agent already known
  final List<Double> latencyHeld = new ArrayList<>();        // received before the agent was discovered
  final List<Double> latencyAll = new ArrayList<>();         // both
  final List<Double> sendLatency = new ArrayList<>();        // the agent's send -> StateChanged (known agents)
  final Map<String, List<Double>> latencyByEvent = new TreeMap<>();
  final List<Map<String, Object>> notAppliedExamples = new ArrayList<>();
  final List<Map<String, Object>> slowest = new ArrayList<>();

  static String meaning(String hook, JsonNode details) {
    return switch (hook) {
      case "SessionStart" -> "starting";
      case "UserPromptSubmit", "PreToolUse", "PostToolUse", "PostToolUseFailure", "PreCompact" -> "working";
      case "Stop" -> "idle";
      case "PermissionRequest" -> "waiting";
      case "Notification" -> details.path("notification_type").asText().equals("permission_prompt") ? "waiting"
          : "ignore";
      case "StopFailure" -> details.path("error_type").asText().equals("rate_limit") ? "rate_limited" : "error";
      case "SessionEnd" -> "left";
      default -> "ignore";
    };
  }

  void analyze(List<AgentSpec> fleet, Path hookLog, Path eventsFile, long stopAt, long slackMs) throws IOException {
    Map<String, AgentSpec> byName = new HashMap<>();
    fleet.forEach(a -> byName.put(a.name, a));
    Map<String, List<Sent>> sentBy = new HashMap<>();
    if (Files.exists(hookLog)) {
      for (String line : Files.readAllLines(hookLog, StandardCharsets.UTF_8)) {
        String[] f = line.trim().split(" ");
        if (f.length < 5 || !f[0].matches("[0-9]+") || !f[4].matches("-?[0-9]+")) {
          continue;
        }
        Sent x = new Sent(Long.parseLong(f[0]), f[1], f[2], f[3], Long.parseLong(f[4]));
        if (x.tMicros() / 1000 >= stopAt) {
          sentAfterStop++; // the monitor was being stopped: not judged
          continue;
        }
        sent++;
        sentByEvent.merge(x.event(), 1, Integer::sum);
        codes.merge(x.code(), 1, Integer::sum);
        if (x.code().equals("202")) {
          accepted++;
          roundTrip.add(x.rttMicros() / 1000.0);
        }
        sentBy.computeIfAbsent(x.agent(), k -> new ArrayList<>()).add(x);
      }
    }
    ObjectMapper mapper = new ObjectMapper();
    Map<String, List<Received>> recBy = new HashMap<>();
    Map<String, List<JsonNode>> changesBy = new HashMap<>();
    Map<String, Long> discovered = new HashMap<>();
    if (Files.exists(eventsFile)) {
      for (String line : Files.readAllLines(eventsFile, StandardCharsets.UTF_8)) {
        if (!line.contains("\"HookReceived\"") && !line.contains("\"StateChanged\"")
            && !line.contains("\"AgentDiscovered\"")) {
          continue;
        }
        JsonNode n;
        try {
          n = mapper.readTree(line);
        } catch (IOException e) {
          continue;
        }
        String window = n.path("windowName").asText();
        if (!byName.containsKey(window)) {
          continue;
        }
        switch (n.path("type").asText()) {
          case "AgentDiscovered" -> discovered.putIfAbsent(window, n.path("atMillis").asLong());
          case "HookReceived" -> recBy.computeIfAbsent(window, k -> new ArrayList<>()).add(new Received(
              java.time.Instant.parse(n.path("at").asText()), n.path("at").asText(), window, n.path("hook").asText(),
              meaning(n.path("hook").asText(), n.path("details"))));
          case "StateChanged" -> changesBy.computeIfAbsent(window, k -> new ArrayList<>()).add(n);
          default -> { }
        }
      }
    }
    for (AgentSpec a : fleet) {
      List<Received> recs = new ArrayList<>(recBy.getOrDefault(a.name, List.of()));
      recs.sort((x, y) -> x.at().compareTo(y.at()));
      received += recs.size();
      List<JsonNode> changes = changesBy.getOrDefault(a.name, List.of());
      // the agent's sends in order, matched to its receipts in order (it waits for each answer)
      List<Sent> sends = sentBy.getOrDefault(a.name, List.of());
      Map<Received, Sent> sendOf = new HashMap<>();
      int r = 0;
      for (Sent x : sends) { // answered or not: an answer too late for the agent may still have come in
        int k = r;
        while (k < recs.size() && !(recs.get(k).hook().equals(x.event())
            && recs.get(k).at().toEpochMilli() >= x.tMicros() / 1000 - slackMs)) {
          k++;
        }
        if (k < recs.size()) {
          sendOf.put(recs.get(k), x);
          r = k + 1;
        } else {
          lost++;
        }
      }
      Long disc = discovered.get(a.name);
      for (Received rec : recs) {
        JsonNode cause = null;
        for (JsonNode ch : changes) {
          JsonNode e0 = ch.path("evidence").path(0);
          if (e0.path("rule").asText().equals("hook") && e0.path("text").asText().contains(" at " + rec.atText() + " ")
              && !java.time.Instant.parse(ch.path("at").asText()).isBefore(rec.at())) {
            cause = ch;
            break;
          }
        }
        boolean held = disc != null && rec.at().toEpochMilli() < disc;
        if (held) {
          heldForDiscovery++;
        }
        if (cause == null) {
          String before = null;
          for (JsonNode ch : changes) {
            if (java.time.Instant.parse(ch.path("at").asText()).isBefore(rec.at())) {
              before = ch.path("to").asText();
            }
          }
          String next = null;
          for (JsonNode ch : changes) {
            if (!java.time.Instant.parse(ch.path("at").asText()).isBefore(rec.at())) {
              next = ch.path("to").asText();
              break;
            }
          }
          if (rec.meaning().equals(before) || rec.meaning().equals("ignore") || rec.meaning().equals("left")) {
            alreadyReported++;
          } else if (rec.meaning().equals(next)) {
            screenFirst++; // the next report reached the hook's state by another rule (the screen was quicker)
          } else {
            notApplied++;
            if (notAppliedExamples.size() < 20) {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("agent", a.name);
              m.put("hook", rec.hook());
              m.put("means", rec.meaning());
              m.put("receivedAt", rec.atText());
              m.put("monitorStateBefore", before);
              m.put("monitorStateNext", next);
              m.put("agentOptions", String.join(" ", a.options));
              notAppliedExamples.add(m);
            }
          }
          continue;
        }
        changed++;
        double ms = java.time.Duration.between(rec.at(), java.time.Instant.parse(cause.path("at").asText()))
            .toNanos() / 1e6;
        latencyAll.add(ms);
        if (held) {
          latencyHeld.add(ms);
          continue;
        }
        latency.add(ms);
        latencyByEvent.computeIfAbsent(rec.hook() + " → " + rec.meaning(), k -> new ArrayList<>()).add(ms);
        Sent x = sendOf.get(rec);
        if (x != null) {
          java.time.Instant published = java.time.Instant.parse(cause.path("at").asText());
          long micros = published.getEpochSecond() * 1_000_000L + published.getNano() / 1000;
          sendLatency.add((micros - x.tMicros()) / 1000.0);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agent", a.name);
        m.put("hook", rec.hook());
        m.put("receivedAt", rec.atText());
        m.put("stateChangedAt", cause.path("at").asText());
        m.put("latencyMs", Math.round(ms * 10) / 10.0);
        m.put("change", cause.path("from").asText() + "->" + cause.path("to").asText());
        slowest.add(m);
      }
    }
    slowest.sort((x, y) -> Double.compare((Double) y.get("latencyMs"), (Double) x.get("latencyMs")));
    if (slowest.size() > 10) {
      slowest.subList(10, slowest.size()).clear();
    }
  }
}

/** The whole run: set-up, measurement, tear-down, report. */
final class Run {
  private Tmux tmux;
  private Process monitor;
  private volatile boolean cleaned;
  private String monitorCommand = "";

  int execute(String[] args) throws Exception {
    String scenarioArg = null;
    Path out = null;
    Duration durationOverride = null;
    Path jar = Paths.get("target/tmux-orc.jar");
    Path agentArg = null;
    Path launcher = null;
    List<String> sets = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--out" -> out = Paths.get(value(args, ++i, a));
        case "--duration" -> durationOverride = ConfigFactory.parseString("d = " + value(args, ++i, a))
            .getDuration("d");
        case "--jar" -> jar = Paths.get(value(args, ++i, a));
        case "--agent" -> agentArg = Paths.get(value(args, ++i, a));
        case "--launcher" -> launcher = Paths.get(value(args, ++i, a));
        case "--set" -> sets.add(value(args, ++i, a));
        case "-h", "--help" -> throw new UsageException("help");
        default -> {
          if (a.startsWith("-") || scenarioArg != null) {
            throw new UsageException("unexpected argument " + a);
          }
          scenarioArg = a;
        }
      }
    }
    if (scenarioArg == null) {
      throw new UsageException("no scenario given");
    }
    if (!Files.isRegularFile(jar)) {
      throw new UsageException("no tmux-orc jar at " + jar + " (use --jar PATH)");
    }
    if (launcher != null && !Files.isExecutable(launcher)) {
      throw new UsageException("no executable launcher at " + launcher + " (build it: mvn -B package)");
    }
    Scenario sc = Scenario.load(scenarioArg, durationOverride, sets);
    Config c = sc.c;
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    if (out == null) {
      out = Paths.get("loadtest", "results", sc.name + "-" + stamp);
    }
    Path raw = out.resolve("raw");
    Files.createDirectories(raw);
    Path agentLog = raw.resolve("agents.log").toAbsolutePath();
    Path eventsFile = raw.resolve("events.jsonl").toAbsolutePath();
    Path monitorConf = raw.resolve("monitor.conf").toAbsolutePath();
    Path monitorLog = raw.resolve("monitor.log").toAbsolutePath();
    Files.deleteIfExists(agentLog);
    Files.deleteIfExists(eventsFile);
    Path agentScript = agentScript(agentArg, jar, raw);

    String socket = "lt-" + sc.name + "-" + ProcessHandle.current().pid() + "-"
        + Long.toHexString(System.nanoTime() & 0xffff);
    tmux = new Tmux(socket, agentScript, agentLog, c.getInt("fleet.width"), c.getInt("fleet.height"),
        c.getInt("fleet.per-session"));
    Runtime.getRuntime().addShutdownHook(new Thread(this::cleanup));

    System.err.printf(Locale.ROOT, "loadtest: scenario %s (%s), %s, socket %s, results in %s%n", sc.name,
        c.getString("description"), U.dur(sc.duration.toMillis()), socket, out);
    Map<String, Object> machine = machine();
    tmux.startServer(c.getInt("fleet.history-limit"));

    // the monitor's configuration: the scenario's settings, plus monitor.extra at the root
    Config monConf = ConfigFactory.empty()
        .withValue("tmux-orc.monitoring.strategy", ConfigValueFactory.fromAnyRef(c.getString("monitor.strategy")))
        .withValue("tmux-orc.monitoring.poll-interval",
            ConfigValueFactory.fromAnyRef(c.getDuration("monitor.poll-interval").toMillis() + "ms"))
        .withValue("tmux-orc.monitoring.idle-debounce",
            ConfigValueFactory.fromAnyRef(c.getDuration("monitor.idle-debounce").toMillis() + "ms"))
        .withValue("tmux-orc.monitoring.report-interval",
            ConfigValueFactory.fromAnyRef(c.getDuration("monitor.report-interval").toMillis() + "ms"));
    monConf = c.getConfig("monitor.extra").withFallback(monConf);
    Files.writeString(monitorConf, monConf.root().render(ConfigRenderOptions.defaults().setOriginComments(false)
        .setJson(false)));

    // Either as users run it, through the launcher (its JVM flags; the scenario's jvm-options go in JAVA_OPTS,
    // which the launcher adds last) — the launcher execs java, so the pid is the JVM's — or java -jar.
    List<String> jvmOptions = c.getStringList("monitor.jvm-options");
    List<String> argv = new ArrayList<>();
    if (launcher != null) {
      argv.add(launcher.toAbsolutePath().toString());
    } else {
      argv.add(ProcessHandle.current().info().command().orElse("java"));
      argv.addAll(jvmOptions);
      argv.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    }
    // Its journal, PID file and API (on a free port) are the run's own, never the user's.
    argv.addAll(List.of("monitor", "--foreground", "-L", socket, "--http-port", "0",
        "--config", monitorConf.toString(), "--events", eventsFile.toString()));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(monitorLog.toFile()));
    if (launcher != null) {
      pb.environment().put("JAVA_OPTS", String.join(" ", jvmOptions));
    }
    monitorCommand = (launcher != null && !jvmOptions.isEmpty() ? "JAVA_OPTS='" + String.join(" ", jvmOptions)
        + "' " : "") + String.join(" ", argv);
    pb.environment().remove("TMUX");
    pb.environment().put("TMUX_ORCHESTRATOR_BASE_DIR", raw.resolve("base").toAbsolutePath().toString());
    pb.environment().put("LANG", "C.UTF-8");
    pb.environment().remove("TMUX_ORC_CONFIG");
    long monitorStart = System.currentTimeMillis();
    monitor = pb.start();
    long monPid = monitor.pid();
    System.err.println("loadtest: tmux server pid " + tmux.serverPid + ", tmux-orc monitor pid " + monPid);
    long readyTimeout = c.getDuration("monitor.ready-timeout").toMillis();
    waitReady(monitorLog, readyTimeout);
    // "monitoring" is logged before the monitor starts (the Guardian first waits for the event stream's
    // subscribers, the journal among them, which a busy disk can hold up for seconds): agents launched then
    // would show their first screens to nobody. Its API says when the first discovery is done.
    String apiUrl = null;
    if (!monConf.hasPath("tmux-orc.http.enabled") || monConf.getBoolean("tmux-orc.http.enabled")) {
      apiUrl = apiUrl(raw.resolve("base"), monitorLog, readyTimeout);
      waitDiscovered(apiUrl, monitorStart + readyTimeout);
    }
    long readyMs = System.currentTimeMillis() - monitorStart;
    U.sleep(1000); // let the first discovery run on the empty server

    FleetPlan plan = new FleetPlan(c);
    Path hookLog = raw.resolve("hooks.log").toAbsolutePath();
    Files.deleteIfExists(hookLog);
    if (c.getDouble("hooks.share") > 0) {
      if (apiUrl == null) {
        throw new UsageException("hooks need the monitor's HTTP API (tmux-orc.http.enabled is false)");
      }
      plan.hookUrl = apiUrl + "/api/hooks/claude";
      plan.hookLog = hookLog;
      System.err.println("loadtest: hooks go to " + plan.hookUrl + " (" + c.getString("hooks.form") + ")");
    }
    List<AgentSpec> fleet = new CopyOnWriteArrayList<>();
    int[] live = {0};
    long t0 = System.currentTimeMillis();
    long durationMs = sc.duration.toMillis();
    Sampler sampler = new Sampler(monPid, tmux.serverPid, t0, durationMs, eventsFile, () -> live[0]);
    ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sampler");
      t.setDaemon(true);
      return t;
    });
    exec.scheduleAtFixedRate(sampler, 0, 1, TimeUnit.SECONDS);

    List<AgentSpec> initial = plan.initial();
    long spread = c.getDuration("fleet.launch-spread").toMillis();
    for (int i = 0; i < initial.size(); i++) {
      AgentSpec a = initial.get(i);
      if (spread > 0) {
        U.sleep(t0 + spread * i / initial.size() - System.currentTimeMillis());
      }
      tmux.launch(a);
      fleet.add(a);
      live[0]++;
    }
    long launchMs = System.currentTimeMillis() - t0;

    // churn: every `every`, remove some live agents and add new ones
    boolean churn = c.getBoolean("churn.enabled");
    long every = c.getDuration("churn.every").toMillis();
    Random churnRandom = new Random(c.getLong("seed") + 99);
    long nextChurn = t0 + every;
    String stopReason = "duration reached";
    long deadline = t0 + durationMs;
    while (System.currentTimeMillis() < deadline) {
      if (!monitor.isAlive()) {
        stopReason = "the monitor exited early with status " + monitor.exitValue();
        break;
      }
      long now = System.currentTimeMillis();
      if (churn && now >= nextChurn) {
        nextChurn += every;
        List<AgentSpec> alive = fleet.stream().filter(x -> x.removedAt == 0).collect(Collectors.toList());
        Collections.shuffle(alive, churnRandom);
        int remove = Math.min(c.getInt("churn.remove"), Math.max(0, alive.size() - c.getInt("churn.min-agents")));
        for (int i = 0; i < remove; i++) {
          tmux.remove(alive.get(i));
          live[0]--;
        }
        int add = Math.min(c.getInt("churn.add"), Math.max(0, c.getInt("churn.max-agents") - live[0]));
        for (int i = 0; i < add; i++) {
          AgentSpec a = plan.another();
          tmux.launch(a);
          fleet.add(a);
          live[0]++;
        }
        continue;
      }
      U.sleep(Math.min(200, Math.min(deadline, churn ? nextChurn : deadline) - now));
    }
    exec.shutdown();
    exec.awaitTermination(5, TimeUnit.SECONDS);
    if (System.console() != null) {
      System.err.println();
    }

    // stop: SIGTERM the monitor, then kill the private tmux server
    long stopAt = System.currentTimeMillis();
    boolean aliveAtEnd = monitor.isAlive();
    monitor.destroy();
    boolean stopped = monitor.waitFor(c.getDuration("monitor.stop-timeout").toMillis(), TimeUnit.MILLISECONDS);
    long stopMs = System.currentTimeMillis() - stopAt;
    if (!stopped) {
      monitor.destroyForcibly();
      monitor.waitFor(5, TimeUnit.SECONDS);
    }
    int monitorExit = monitor.isAlive() ? -1 : monitor.exitValue();
    tmux.kill();
    cleaned = true;
    System.err.printf(Locale.ROOT, "loadtest: stopped (%s); monitor exit %d after %d ms%s; analysing%n",
        stopReason, monitorExit, stopMs, stopped ? "" : " (SIGKILL: it did not stop on SIGTERM)");

    long grace = sc.graceMillis();
    Analysis an = new Analysis();
    an.analyze(fleet, agentLog, eventsFile, stopAt, grace, c.getDuration("analysis.clock-slack").toMillis(),
        c.getDuration("analysis.gone-timeout").toMillis());
    if (plan.hookUrl != null) {
      an.hooks = new HookAnalysis();
      an.hooks.analyze(fleet, hookLog, eventsFile, stopAt, c.getDuration("analysis.clock-slack").toMillis());
    }

    Report report = new Report(sc, out, machine, fleet, sampler.samples, an, grace, stopAt - t0, launchMs,
        readyMs, stopReason, aliveAtEnd, monitorExit, stopped, stopMs, socket, monitorCommand);
    List<String> failures = report.assertions();
    report.write(failures);
    System.err.println(report.summary(failures));
    if (failures.isEmpty()) {
      System.err.println("loadtest: PASS (" + out.resolve("report.md") + ")");
      return 0;
    }
    System.err.println("loadtest: FAIL (" + out.resolve("report.md") + ")");
    failures.forEach(f -> System.err.println("  - " + f));
    return 1;
  }

  private static String value(String[] args, int i, String option) throws UsageException {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }

  /** loadtest/agents/fake-agent.sh from the working tree, else the copy bundled in the jar. */
  private static Path agentScript(Path given, Path jar, Path raw) throws IOException, UsageException {
    if (given != null) {
      if (!Files.isRegularFile(given)) {
        throw new UsageException("no fake agent at " + given);
      }
      return given.toAbsolutePath();
    }
    Path local = Paths.get("loadtest", "agents", "fake-agent.sh");
    if (Files.isRegularFile(local)) {
      return local.toAbsolutePath();
    }
    Path copy = raw.resolve("fake-agent.sh").toAbsolutePath();
    try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
      var entry = zip.getEntry("dev/tmuxorc/sim/fake-agent.sh");
      if (entry == null) {
        throw new UsageException("no loadtest/agents/fake-agent.sh here and none in " + jar);
      }
      try (InputStream in = zip.getInputStream(entry)) {
        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
    return copy;
  }

  /** The monitor's API URL: BASE/monitor.json (written once the API is bound), else its log line. */
  private String apiUrl(Path base, Path monitorLog, long timeoutMs) throws IOException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    java.util.regex.Pattern logged = java.util.regex.Pattern.compile("API on (http://[0-9.]+:[0-9]+)");
    while (System.currentTimeMillis() < deadline) {
      Path record = base.resolve("monitor.json");
      if (Files.isRegularFile(record)) {
        try {
          String url = new ObjectMapper().readTree(record.toFile()).path("url").asText("");
          if (!url.isEmpty()) {
            return url.replaceAll("/+$", "");
          }
        } catch (IOException e) {
          // being written
        }
      }
      var m = logged.matcher(U.readOr(monitorLog, ""));
      if (m.find()) {
        return m.group(1);
      }
      U.sleep(100);
    }
    throw new IOException("the monitor's API URL is neither in " + base.resolve("monitor.json") + " nor in its log");
  }

  /** Until GET /health/ready answers 200: tmux reachable and the first discovery done. */
  private void waitDiscovered(String url, long deadline) throws IOException {
    String last = "";
    while (System.currentTimeMillis() < deadline) {
      if (!monitor.isAlive()) {
        throw new IOException("the monitor exited at start-up with status " + monitor.exitValue());
      }
      try {
        var http = (java.net.HttpURLConnection) new java.net.URL(url + "/health/ready").openConnection();
        http.setConnectTimeout(1000);
        http.setReadTimeout(1000);
        int code = http.getResponseCode();
        http.disconnect();
        if (code == 200) {
          return;
        }
        last = "status " + code;
      } catch (IOException e) {
        last = e.toString();
      }
      U.sleep(50);
    }
    throw new IOException("the monitor was not ready (GET " + url + "/health/ready: " + last + ") in time");
  }

  private void waitReady(Path monitorLog, long timeoutMs) throws IOException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      if (!monitor.isAlive()) {
        throw new IOException("the monitor exited at start-up with status " + monitor.exitValue() + ":\n"
            + U.readOr(monitorLog, ""));
      }
      if (U.readOr(monitorLog, "").contains("tmux-orc monitoring") || tmux.hasSessionPrefix("_tmux-orc")) {
        return;
      }
      U.sleep(100);
    }
    throw new IOException("the monitor did not start within " + timeoutMs + " ms:\n" + U.readOr(monitorLog, ""));
  }

  private void cleanup() {
    if (cleaned) {
      return;
    }
    cleaned = true;
    if (monitor != null && monitor.isAlive()) {
      monitor.destroy();
      try {
        if (!monitor.waitFor(10, TimeUnit.SECONDS)) {
          monitor.destroyForcibly();
        }
      } catch (InterruptedException e) {
        monitor.destroyForcibly();
      }
    }
    if (tmux != null) {
      tmux.kill();
    }
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("date", ZonedDateTime.now().toString());
    m.put("nproc", Runtime.getRuntime().availableProcessors());
    String cpu = "?";
    for (String line : U.readOr(Path.of("/proc/cpuinfo"), "").split("\n")) {
      if (line.startsWith("model name")) {
        cpu = line.substring(line.indexOf(':') + 1).trim();
        break;
      }
    }
    m.put("cpuModel", cpu);
    String mem = "?";
    for (String line : U.readOr(Path.of("/proc/meminfo"), "").split("\n")) {
      if (line.startsWith("MemTotal:")) {
        mem = Math.round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0 * 10) / 10.0 + " GB";
        break;
      }
    }
    m.put("memory", mem);
    m.put("kernel", U.run(List.of("uname", "-r")));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("tmux", U.run(List.of("tmux", "-V")));
    m.put("bash", U.run(List.of("bash", "-c", "echo $BASH_VERSION")));
    m.put("loadAtStart", U.readOr(Path.of("/proc/loadavg"), "?").trim());
    return m;
  }
}

/** report.json, report.md, chart.svg and the assertions. */
final class Report {
  private final Scenario sc;
  private final Config c;
  private final Path out;
  private final Map<String, Object> machine;
  private final List<AgentSpec> fleet;
  private final List<Sample> samples;
  private final Analysis an;
  private final long grace;
  private final long runMs;
  private final long launchMs;
  private final long readyMs;
  private final String stopReason;
  private final boolean aliveAtEnd;
  private final int monitorExit;
  private final boolean stoppedOnTerm;
  private final long stopMs;
  private final String socket;
  private final String monitorCommand;

  Report(Scenario sc, Path out, Map<String, Object> machine, List<AgentSpec> fleet, List<Sample> samples,
      Analysis an, long grace, long runMs, long launchMs, long readyMs, String stopReason, boolean aliveAtEnd,
      int monitorExit, boolean stoppedOnTerm, long stopMs, String socket, String monitorCommand) {
    this.sc = sc;
    this.c = sc.c;
    this.out = out;
    this.machine = machine;
    this.fleet = fleet;
    this.samples = samples;
    this.an = an;
    this.grace = grace;
    this.runMs = runMs;
    this.launchMs = launchMs;
    this.readyMs = readyMs;
    this.stopReason = stopReason;
    this.aliveAtEnd = aliveAtEnd;
    this.monitorExit = monitorExit;
    this.stoppedOnTerm = stoppedOnTerm;
    this.stopMs = stopMs;
    this.socket = socket;
    this.monitorCommand = monitorCommand;
  }

  private List<Double> series(ToDoubleFunction<Sample> f) {
    return samples.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).boxed().collect(Collectors.toList());
  }

  /** RSS slope in MB per hour over the samples after the warm-up. */
  double rssSlope(ToDoubleFunction<Sample> f) {
    String w = c.getString("analysis.rss-warmup");
    long warm = w.equals("auto") ? runMs / 3 : c.getDuration("analysis.rss-warmup").toMillis();
    List<double[]> xy = samples.stream().filter(s -> s.t() >= warm && !Double.isNaN(f.applyAsDouble(s)))
        .map(s -> new double[] {s.t() / 3_600_000.0, f.applyAsDouble(s)}).collect(Collectors.toList());
    if (xy.size() < 2 || (xy.get(xy.size() - 1)[0] - xy.get(0)[0]) * 3600 < 120) {
      return Double.NaN; // under 2 minutes of samples after the warm-up: a slope would mean nothing
    }
    return U.slope(xy);
  }

  private double rssAt(ToDoubleFunction<Sample> f, boolean first) {
    List<Double> s = series(f);
    return s.isEmpty() ? Double.NaN : first ? s.get(0) : s.get(s.size() - 1);
  }

  private double cycleAgg(String field, String how) {
    List<Double> v = an.cycleReports.stream().filter(n -> n.path("cycles").asLong() > 0 && n.hasNonNull(field))
        .map(n -> n.path(field).asDouble()).collect(Collectors.toList());
    return switch (how) {
      case "median" -> U.pct(v, 50);
      case "max" -> U.max(v);
      default -> v.stream().mapToDouble(Double::doubleValue).sum();
    };
  }

  long judged() {
    return an.count("detected") + an.count("carried") + an.count("missed");
  }

  List<String> assertions() {
    List<String> f = new ArrayList<>();
    Config a = c.getConfig("assertions");
    long missed = an.count("missed");
    long wrong = an.wrongCount;
    if (a.getInt("max-missed") >= 0 && missed > a.getInt("max-missed")) {
      f.add("missed detections: " + missed + " > " + a.getInt("max-missed"));
    }
    if (a.getInt("max-wrong") >= 0 && wrong > a.getInt("max-wrong")) {
      f.add("wrong detections: " + wrong + " > " + a.getInt("max-wrong"));
    }
    double judged = Math.max(1, judged());
    if (a.getDouble("max-missed-ratio") >= 0 && missed / judged > a.getDouble("max-missed-ratio")) {
      f.add(String.format(Locale.ROOT, "missed ratio %.4f > %s", missed / judged, a.getDouble("max-missed-ratio")));
    }
    if (a.getDouble("max-wrong-ratio") >= 0 && wrong / judged > a.getDouble("max-wrong-ratio")) {
      f.add(String.format(Locale.ROOT, "wrong ratio %.4f > %s", wrong / judged, a.getDouble("max-wrong-ratio")));
    }
    double p95 = U.pct(an.latencies(null), 95);
    if (a.getLong("max-latency-p95-ms") >= 0 && p95 > a.getLong("max-latency-p95-ms")) {
      f.add("detection latency p95 " + U.ms(p95) + " ms > " + a.getLong("max-latency-p95-ms") + " ms");
    }
    if (a.getInt("min-detections") > 0 && an.count("detected") < a.getInt("min-detections")) {
      f.add("only " + an.count("detected") + " detections < " + a.getInt("min-detections"));
    }
    double failures = cycleAgg("captureFailures", "sum");
    if (a.getLong("max-capture-failures") >= 0 && failures > a.getLong("max-capture-failures")) {
      f.add("capture failures " + U.f(failures, 0) + " > " + a.getLong("max-capture-failures"));
    }
    double slope = rssSlope(Sample::monRss);
    if (a.getDouble("max-rss-slope-mb-per-hour") >= 0 && slope > a.getDouble("max-rss-slope-mb-per-hour")) {
      f.add("tmux-orc RSS grows " + U.f(slope, 1) + " MB/h > " + a.getDouble("max-rss-slope-mb-per-hour"));
    }
    double cpu = U.mean(series(Sample::monCpu));
    if (a.getDouble("max-monitor-cpu-mean-percent") >= 0 && cpu > a.getDouble("max-monitor-cpu-mean-percent")) {
      f.add("tmux-orc CPU mean " + U.f(cpu, 1) + "% > " + a.getDouble("max-monitor-cpu-mean-percent") + "%");
    }
    if (a.getBoolean("require-monitor-alive") && !aliveAtEnd) {
      f.add("the monitor was not running at the end: " + stopReason);
    }
    if (a.getBoolean("require-clean-stop") && !stoppedOnTerm) {
      f.add("the monitor did not stop within " + c.getDuration("monitor.stop-timeout").toMillis()
          + " ms of SIGTERM");
    }
    if (an.undiscovered > 0 && a.getBoolean("require-all-discovered")) {
      f.add(an.undiscovered + " agents never discovered: "
          + an.undiscoveredNames.stream().limit(10).collect(Collectors.joining(", ")));
    }
    if (an.segments.isEmpty()) {
      f.add("no fake-agent transitions were logged (did the agents start?)");
    }
    HookAnalysis h = an.hooks;
    if (h != null) {
      if (h.sent == 0) {
        f.add("hooks were on but no hook event was sent");
      }
      if (a.getInt("max-hooks-not-accepted") >= 0 && h.sent - h.accepted > a.getInt("max-hooks-not-accepted")) {
        f.add("hook events not accepted (no 202): " + (h.sent - h.accepted) + " of " + h.sent + " " + h.codes);
      }
      if (a.getInt("max-hooks-lost") >= 0 && h.lost > a.getInt("max-hooks-lost")) {
        f.add("hook events sent but never received (no HookReceived): " + h.lost);
      }
      double hp95 = U.pct(h.latency, 95);
      if (a.getLong("max-hook-latency-p95-ms") >= 0 && hp95 > a.getLong("max-hook-latency-p95-ms")) {
        f.add("hook → StateChanged latency p95 " + U.f(hp95, 1) + " ms > " + a.getLong("max-hook-latency-p95-ms")
            + " ms");
      }
    }
    return f;
  }

  private Map<String, Object> latencyJson(List<Double> v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n", v.size());
    m.put("p50", U.num(U.pct(v, 50)));
    m.put("p95", U.num(U.pct(v, 95)));
    m.put("p99", U.num(U.pct(v, 99)));
    m.put("max", U.num(U.max(v)));
    return m;
  }

  private Map<String, Object> hooksJson() {
    HookAnalysis h = an.hooks;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("form", c.getString("hooks.form"));
    m.put("agentsWithHooks", fleet.stream().filter(x -> x.hooks).count());
    m.put("agentsWithAmbiguousScreens", fleet.stream().filter(x -> x.ambiguous).count());
    m.put("sent", h.sent);
    m.put("sentAfterStop", h.sentAfterStop);
    m.put("sentByEvent", h.sentByEvent);
    m.put("accepted202", h.accepted);
    m.put("httpStatus", h.codes);
    m.put("roundTripMs", latencyJson(h.roundTrip));
    m.put("received", h.received);
    m.put("lost", h.lost);
    m.put("causedStateChange", h.changed);
    m.put("stateAlreadyReported", h.alreadyReported);
    m.put("screenFirst", h.screenFirst);
    m.put("notApplied", h.notApplied);
    m.put("heldForDiscovery", h.heldForDiscovery);
    m.put("receivedToStateChangedMs", latencyJson(h.latency));
    m.put("receivedToStateChangedHeldForDiscoveryMs", latencyJson(h.latencyHeld));
    m.put("receivedToStateChangedAllMs", latencyJson(h.latencyAll));
    m.put("sentToStateChangedMs", latencyJson(h.sendLatency));
    Map<String, Object> per = new LinkedHashMap<>();
    h.latencyByEvent.forEach((k, v) -> per.put(k, latencyJson(v)));
    m.put("receivedToStateChangedByEventMs", per);
    m.put("detectionLatencyHookAgentsMs", latencyJson(latencies(x -> x.hooks && !x.ambiguous)));
    m.put("detectionLatencyAmbiguousScreensMs", latencyJson(latencies(x -> x.ambiguous)));
    m.put("detectionLatencyScreenOnlyAgentsMs", latencyJson(latencies(x -> !x.hooks)));
    m.put("missedAmbiguousScreens", segmentsOf(x -> x.ambiguous).filter(s -> s.outcome.equals("missed")).count());
    m.put("slowest", h.slowest);
    m.put("notAppliedExamples", h.notAppliedExamples);
    return m;
  }

  private java.util.stream.Stream<Segment> segmentsOf(java.util.function.Predicate<AgentSpec> which) {
    java.util.Set<String> names = fleet.stream().filter(which).map(x -> x.name).collect(Collectors.toSet());
    return an.segments.stream().filter(s -> names.contains(s.agent));
  }

  /** Detection latencies (screen change -> StateChanged, judged segments) of some of the agents. */
  private List<Double> latencies(java.util.function.Predicate<AgentSpec> which) {
    return segmentsOf(which).filter(s -> s.outcome.equals("detected")).map(s -> (double) s.latency)
        .collect(Collectors.toList());
  }

  private String latRow1(String name, List<Double> v) {
    return "| " + name + " | " + v.size() + " | " + U.f(U.pct(v, 50), 1) + " | " + U.f(U.pct(v, 95), 1) + " | "
        + U.f(U.pct(v, 99), 1) + " | " + U.f(U.max(v), 1) + " |\n";
  }

  private void hooksMarkdown(StringBuilder b) {
    HookAnalysis h = an.hooks;
    b.append("## Hooks\n\n");
    b.append(fleet.stream().filter(x -> x.hooks).count()).append(" of ").append(fleet.size())
        .append(" agents post Claude Code hook events (form `").append(c.getString("hooks.form"))
        .append("`: ").append(c.getString("hooks.form").equals("curl") ? "curl per event, as `hooks install --form "
            + "curl` writes it" : "bash /dev/tcp, one HTTP/1.1 POST per event, no fork, like an http-form hook")
        .append("); ").append(fleet.stream().filter(x -> x.ambiguous).count())
        .append(" of them draw an ambiguous screen (the hooks are their only truth).\n\n");
    b.append("| sent | answered 202 | other answer (000 = none within 1 s) | received (HookReceived) | **lost** | "
        + "caused a StateChanged | state already reported | screen got there first | not applied | "
        + "held for discovery | sent after the stop (not judged) |\n"
        + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    Map<String, Integer> other = new TreeMap<>(h.codes);
    other.remove("202");
    b.append("| ").append(h.sent).append(" | ").append(h.accepted).append(" | ")
        .append(other.isEmpty() ? "–" : other.toString()).append(" | ").append(h.received).append(" | **")
        .append(h.lost).append("** | ").append(h.changed).append(" | ").append(h.alreadyReported).append(" | ")
        .append(h.screenFirst).append(" | ").append(h.notApplied).append(" | ").append(h.heldForDiscovery)
        .append(" | ").append(h.sentAfterStop)
        .append(" |\n\n");
    b.append("Sent by event: ").append(h.sentByEvent).append(".\n\n");
    b.append("**Hook to state latency** (ms): from `HookReceived.at` (the monitor's HTTP intake stamps the hook "
        + "event) to the `StateChanged.at` the hook caused (the StateChanged whose deciding evidence is that hook; "
        + "stamped when the agent actor publishes it), for agents already discovered. Both times are the "
        + "monitor's. \"sent\" rows start at the fake agent's clock reading before it connects.\n\n");
    b.append("| latency (ms) | n | p50 | p95 | p99 | max |\n| --- | --- | --- | --- | --- | --- |\n");
    b.append(latRow1("**hook received → StateChanged**", h.latency));
    for (var e : h.latencyByEvent.entrySet()) {
      b.append(latRow1("&nbsp;&nbsp;" + e.getKey(), e.getValue()));
    }
    b.append(latRow1("hook sent → StateChanged", h.sendLatency));
    b.append(latRow1("HTTP round trip (sent → 202 read)", h.roundTrip));
    b.append(latRow1("received before discovery → StateChanged", h.latencyHeld));
    b.append(latRow1("hook received → StateChanged, all (with those held for discovery)", h.latencyAll));
    b.append('\n');
    b.append("| detection latency (ms, screen change → StateChanged, judged segments) | n | p50 | p95 | p99 | max |\n"
        + "| --- | --- | --- | --- | --- | --- |\n");
    b.append(latRow1("agents with hooks, normal screens", latencies(x -> x.hooks && !x.ambiguous)));
    b.append(latRow1("agents with hooks, ambiguous screens", latencies(x -> x.ambiguous)));
    b.append(latRow1("agents without hooks", latencies(x -> !x.hooks)));
    b.append('\n');
    long ambMissed = segmentsOf(x -> x.ambiguous).filter(s -> s.outcome.equals("missed")).count();
    long ambJudged = segmentsOf(x -> x.ambiguous).filter(s -> s.judged).count();
    b.append("Ambiguous screens: ").append(ambJudged).append(" judged segments, ").append(ambMissed)
        .append(" missed (the Detection table above counts them with the rest).\n\n");
    if (!h.slowest.isEmpty()) {
      b.append("Slowest hook → StateChanged: ").append(h.slowest.stream().limit(5)
          .map(m -> m.get("agent") + " " + m.get("hook") + " " + m.get("latencyMs") + " ms (" + m.get("change") + ")")
          .collect(Collectors.joining("; "))).append(".\n\n");
    }
    if (!h.notAppliedExamples.isEmpty()) {
      b.append("Not applied (first ").append(Math.min(5, h.notAppliedExamples.size())).append("): ")
          .append(h.notAppliedExamples.stream().limit(5).map(m -> m.get("agent") + " " + m.get("hook") + " → "
              + m.get("means") + " at " + m.get("receivedAt") + " (monitor said " + m.get("monitorStateBefore")
              + ", then " + m.get("monitorStateNext") + ")")
              .collect(Collectors.joining("; "))).append(".\n\n");
    }
  }

  private Map<String, Object> resJson(ToDoubleFunction<Sample> cpu, ToDoubleFunction<Sample> rss) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Double> cv = series(cpu);
    m.put("cpuMeanPercent", U.num(U.mean(cv)));
    m.put("cpuP95Percent", U.num(U.pct(cv, 95)));
    m.put("cpuMaxPercent", U.num(U.max(cv)));
    if (rss != null) {
      m.put("rssStartMb", U.num(rssAt(rss, true)));
      m.put("rssMaxMb", U.num(U.max(series(rss))));
      m.put("rssEndMb", U.num(rssAt(rss, false)));
      m.put("rssSlopeMbPerHour", U.num(rssSlope(rss)));
    }
    return m;
  }

  private List<String> labels() {
    return an.segments.stream().map(s -> s.label).distinct().sorted().collect(Collectors.toList());
  }

  void write(List<String> failures) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("scenario", sc.name);
    j.put("description", c.getString("description"));
    j.put("passed", failures.isEmpty());
    j.put("failures", failures);
    j.put("machine", machine);
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("overrides", sc.overrides);
    run.put("socket", socket);
    run.put("monitorCommand", monitorCommand);
    run.put("durationMs", runMs);
    run.put("stopReason", stopReason);
    run.put("monitorReadyMs", readyMs);
    run.put("fleetLaunchMs", launchMs);
    run.put("monitorExitStatus", monitorExit);
    run.put("monitorStopMs", stopMs);
    run.put("monitorStoppedOnSigterm", stoppedOnTerm);
    run.put("strategy", c.getString("monitor.strategy"));
    run.put("pollIntervalMs", c.getDuration("monitor.poll-interval").toMillis());
    run.put("idleDebounceMs", c.getDuration("monitor.idle-debounce").toMillis());
    run.put("graceMs", grace);
    j.put("run", run);
    Map<String, Object> fl = new LinkedHashMap<>();
    fl.put("agentsLaunched", fleet.size());
    fl.put("agentsRemoved", fleet.stream().filter(a -> a.removedAt > 0).count());
    fl.put("byBehaviour", fleet.stream().collect(Collectors.groupingBy(a -> a.behaviour, TreeMap::new,
        Collectors.counting())));
    j.put("fleet", fl);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("transitionsLogged", an.transitions);
    d.put("segments", an.segments.size());
    d.put("judged", judged());
    d.put("detected", an.count("detected"));
    d.put("carried", an.count("carried"));
    d.put("missed", an.count("missed"));
    d.put("tooShortDetected", an.count("short-detected"));
    d.put("tooShortUndetected", an.count("short-undetected"));
    d.put("heldByRateLimitTransitions", an.heldTransitions);
    d.put("stateChanges", an.stateChanges);
    d.put("stateChangesAfterStopIgnored", an.changesAfterStop);
    d.put("wrong", an.wrongCount);
    d.put("latencyMs", latencyJson(an.latencies(null)));
    Map<String, Object> per = new LinkedHashMap<>();
    for (String l : labels()) {
      Map<String, Object> m = latencyJson(an.latencies(l));
      m.put("segments", an.segments.stream().filter(s -> s.label.equals(l)).count());
      m.put("missed", an.segments.stream().filter(s -> s.label.equals(l) && s.outcome.equals("missed")).count());
      per.put(l, m);
    }
    d.put("perState", per);
    d.put("discoveryLatencyMs", latencyJson(an.discovery));
    d.put("undiscovered", an.undiscoveredNames);
    d.put("goneLatencyMs", latencyJson(an.gone));
    d.put("goneMissed", an.goneMissed);
    d.put("unexpectedGone", an.unexpectedGone);
    d.put("missedExamples", an.missed);
    d.put("wrongExamples", an.wrong);
    j.put("detection", d);
    if (an.hooks != null) {
      j.put("hooks", hooksJson());
    }
    Map<String, Object> cy = new LinkedHashMap<>();
    cy.put("reports", an.cycleReports.size());
    cy.put("cycles", U.num(cycleAgg("cycles", "sum")));
    cy.put("p50MsMedian", U.num(cycleAgg("p50Ms", "median")));
    cy.put("p95MsMedian", U.num(cycleAgg("p95Ms", "median")));
    cy.put("p99MsMax", U.num(cycleAgg("p99Ms", "max")));
    cy.put("maxMs", U.num(cycleAgg("maxMs", "max")));
    cy.put("discoveryP50MsMedian", U.num(cycleAgg("discoveryP50Ms", "median")));
    cy.put("sweepP50MsMedian", U.num(cycleAgg("sweepP50Ms", "median")));
    cy.put("captures", U.num(cycleAgg("captures", "sum")));
    cy.put("captureFailures", U.num(cycleAgg("captureFailures", "sum")));
    cy.put("intervals", an.cycleReports);
    j.put("cycles", cy);
    Map<String, Object> res = new LinkedHashMap<>();
    res.put("tmuxOrcJvm", resJson(Sample::monCpu, Sample::monRss));
    res.put("tmuxOrcControlClients", resJson(Sample::clientCpu, null));
    res.put("tmuxServer", resJson(Sample::tmuxCpu, Sample::tmuxRss));
    res.put("loadAverageMean", U.num(U.mean(series(Sample::load1))));
    res.put("clockTicksPerSecond", ProcStat.CLK_TCK);
    j.put("resources", res);
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("agentEvents", an.agentEvents);
    ev.put("perSecond", U.num(an.agentEvents * 1000.0 / Math.max(1, runMs)));
    ev.put("byType", an.eventCounts);
    ev.put("healthChangesTo", an.healthTo);
    ev.put("eventsForUnknownWindows", an.unknownWindows);
    j.put("events", ev);
    j.put("samples", samples);
    mapper.writeValue(out.resolve("report.json").toFile(), j);
    Files.writeString(out.resolve("report.md"), markdown(failures));
    Files.writeString(out.resolve("chart.svg"), new Chart(samples, an).svg());
  }

  String summary(List<String> failures) {
    List<Double> lat = an.latencies(null);
    String hooks = an.hooks == null ? "" : String.format(Locale.ROOT,
        "%nloadtest: hooks sent %d, accepted %d, lost %d, caused a state change %d; hook received → StateChanged "
            + "p50 %s p95 %s p99 %s max %s ms", an.hooks.sent, an.hooks.accepted, an.hooks.lost, an.hooks.changed,
        U.f(U.pct(an.hooks.latency, 50), 1), U.f(U.pct(an.hooks.latency, 95), 1),
        U.f(U.pct(an.hooks.latency, 99), 1), U.f(U.max(an.hooks.latency), 1));
    return hooks.isEmpty() ? summary0(lat) : summary0(lat) + hooks;
  }

  private String summary0(List<Double> lat) {
    return String.format(Locale.ROOT,
        "loadtest: %d agents, %d transitions; judged %d: detected %d, carried %d, missed %d; too short %d; "
            + "wrong %d; latency p50 %s p95 %s max %s ms; tmux-orc CPU mean %s%%, RSS max %s MB",
        fleet.size(), an.transitions, judged(), an.count("detected"), an.count("carried"), an.count("missed"),
        an.count("short-detected") + an.count("short-undetected"), an.wrongCount, U.ms(U.pct(lat, 50)),
        U.ms(U.pct(lat, 95)), U.ms(U.max(lat)), U.f(U.mean(series(Sample::monCpu)), 1),
        U.f(U.max(series(Sample::monRss)), 0));
  }

  private String latRow(String name, List<Double> v, String extra) {
    return "| " + name + " | " + v.size() + " | " + U.ms(U.pct(v, 50)) + " | " + U.ms(U.pct(v, 95)) + " | "
        + U.ms(U.pct(v, 99)) + " | " + U.ms(U.max(v)) + " |" + extra + "\n";
  }

  private String markdown(List<String> failures) {
    StringBuilder b = new StringBuilder();
    b.append("# Load test `").append(sc.name).append("`: ").append(failures.isEmpty() ? "PASS" : "FAIL")
        .append("\n\n").append(c.getString("description")).append("\n\n");
    if (!failures.isEmpty()) {
      b.append("Failed assertions:\n\n");
      failures.forEach(f -> b.append("- ").append(f).append('\n'));
      b.append('\n');
    }
    b.append("| | |\n| --- | --- |\n");
    b.append("| date | ").append(machine.get("date")).append(" |\n");
    b.append("| machine | ").append(machine.get("nproc")).append(" CPUs (").append(machine.get("cpuModel"))
        .append("), ").append(machine.get("memory")).append(", Linux ").append(machine.get("kernel")).append(" |\n");
    b.append("| software | ").append(machine.get("java")).append("; ").append(machine.get("tmux"))
        .append("; bash ").append(machine.get("bash")).append(" |\n");
    b.append("| load average at start | ").append(machine.get("loadAtStart")).append(" |\n");
    b.append("| run | ").append(U.dur(runMs)).append(" (").append(stopReason).append("); fleet launched in ")
        .append(launchMs).append(" ms; monitor ready after ").append(readyMs).append(" ms |\n");
    b.append("| monitor | strategy `").append(c.getString("monitor.strategy")).append("`, poll-interval ")
        .append(c.getDuration("monitor.poll-interval").toMillis()).append(" ms, idle-debounce ")
        .append(c.getDuration("monitor.idle-debounce").toMillis()).append(" ms; stopped ")
        .append(stoppedOnTerm ? "on SIGTERM" : "by SIGKILL").append(" in ").append(stopMs).append(" ms, exit status ")
        .append(monitorExit).append(" |\n");
    b.append("| monitor command | `").append(monitorCommand.replace("|", "\\|")).append("` |\n");
    Map<String, Long> byB = fleet.stream().collect(Collectors.groupingBy(a -> a.behaviour, TreeMap::new,
        Collectors.counting()));
    b.append("| fleet | ").append(fleet.size()).append(" agents (").append(byB.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "))).append("), ")
        .append(fleet.stream().filter(a -> a.removedAt > 0).count()).append(" removed by churn; panes ")
        .append(c.getInt("fleet.width")).append("x").append(c.getInt("fleet.height")).append(", ")
        .append(c.getInt("fleet.per-session")).append(" per session |\n");
    if (!sc.overrides.isEmpty()) {
      b.append("| overrides (--set) | `").append(String.join("`, `", sc.overrides)).append("` |\n");
    }
    b.append("| grace (too short to judge) | ").append(grace).append(" ms |\n\n");

    b.append("## Detection\n\n");
    b.append("| fake-agent transitions | expected-state segments | judged | detected | carried | **missed** | "
        + "too short (detected / not) | held by rate limit | state changes reported | **wrong** |\n");
    b.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    b.append("| ").append(an.transitions).append(" | ").append(an.segments.size()).append(" | ").append(judged())
        .append(" | ").append(an.count("detected")).append(" | ").append(an.count("carried")).append(" | **")
        .append(an.count("missed")).append("** | ").append(an.count("short-detected")).append(" / ")
        .append(an.count("short-undetected")).append(" | ").append(an.heldTransitions).append(" | ")
        .append(an.stateChanges).append(" | **").append(an.wrongCount).append("** |\n\n");
    if (an.changesAfterStop > 0) {
      b.append("State changes published after the stop (SIGTERM), not judged: ").append(an.changesAfterStop)
          .append(" (the agents' log is cut at the stop too).\n\n");
    }
    b.append("Detection latency (ms, from the fake agent's screen change to the StateChanged event; judged "
        + "segments only):\n\n");
    b.append("| state | n | p50 | p95 | p99 | max | segments | missed |\n| --- | --- | --- | --- | --- | --- | --- "
        + "| --- |\n");
    List<Double> all = an.latencies(null);
    b.append(latRow("**all**", all, " " + an.segments.size() + " | " + an.count("missed") + " |"));
    for (String l : labels()) {
      long segs = an.segments.stream().filter(s -> s.label.equals(l)).count();
      long miss = an.segments.stream().filter(s -> s.label.equals(l) && s.outcome.equals("missed")).count();
      b.append(latRow(l, an.latencies(l), " " + segs + " | " + miss + " |"));
    }
    b.append('\n');
    b.append("| other latencies (ms) | n | p50 | p95 | p99 | max |\n| --- | --- | --- | --- | --- | --- |\n");
    b.append(latRow("discovery (window created → AgentDiscovered)", an.discovery, ""));
    if (!an.gone.isEmpty() || an.goneMissed > 0) {
      b.append(latRow("gone (window killed → AgentGone)", an.gone, ""));
    }
    b.append('\n');
    if (an.undiscovered > 0) {
      b.append("Never discovered: ").append(an.undiscovered).append(" (")
          .append(an.undiscoveredNames.stream().limit(10).collect(Collectors.joining(", "))).append(")\n\n");
    }
    if (an.goneMissed > 0 || an.unexpectedGone > 0) {
      b.append("AgentGone missing for removed agents: ").append(an.goneMissed)
          .append("; AgentGone for agents that were not removed: ").append(an.unexpectedGone).append("\n\n");
    }
    if (!an.missed.isEmpty()) {
      b.append("### Missed (first ").append(Math.min(10, an.missed.size())).append(" of ")
          .append(an.count("missed")).append(")\n\n");
      b.append("| agent | expected | at (ms into run) | lasted ms | monitor state before | monitor events during |\n"
          + "| --- | --- | --- | --- | --- | --- |\n");
      for (Map<String, Object> m : an.missed.subList(0, Math.min(10, an.missed.size()))) {
        b.append("| ").append(m.get("agent")).append(" | ").append(m.get("expected")).append(" | ")
            .append(((Long) m.get("at")) - t0()).append(" | ").append(m.get("lastedMs")).append(" | ")
            .append(m.get("monitorStateBefore")).append(" | ")
            .append(String.join("; ", castList(m.get("monitorEventsDuring"))).replace("|", "\\|")).append(" |\n");
      }
      b.append('\n');
    }
    if (!an.wrong.isEmpty()) {
      b.append("### Wrong (first ").append(Math.min(10, an.wrong.size())).append(" of ").append(an.wrongCount)
          .append(")\n\n");
      b.append("| agent | at (ms into run) | reported | agent showed | for ms | evidence |\n"
          + "| --- | --- | --- | --- | --- | --- |\n");
      for (Map<String, Object> m : an.wrong.subList(0, Math.min(10, an.wrong.size()))) {
        b.append("| ").append(m.get("agent")).append(" | ").append(((Long) m.get("at")) - t0()).append(" | ")
            .append(m.get("reported")).append(" | ").append(m.get("agentState")).append(" | ")
            .append(m.get("agentStateSinceMs")).append(" | `")
            .append(String.valueOf(m.get("evidence")).replace("|", "\\|").replace("`", "'")).append("` |\n");
      }
      b.append('\n');
    }

    if (an.hooks != null) {
      hooksMarkdown(b);
    }
    b.append("## Monitor cycles (from CycleReport events)\n\n");
    if (an.cycleReports.isEmpty()) {
      b.append("No CycleReport events in the events file (a build without cycle reports).\n\n");
    } else {
      b.append("| reports | cycles | p50 ms (median of intervals) | p95 ms (median) | p99 ms (max) | max ms | "
          + "discovery p50 ms | sweep p50 ms | captures | capture failures |\n"
          + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
      b.append("| ").append(an.cycleReports.size()).append(" | ").append(U.f(cycleAgg("cycles", "sum"), 0))
          .append(" | ").append(U.f(cycleAgg("p50Ms", "median"), 1)).append(" | ")
          .append(U.f(cycleAgg("p95Ms", "median"), 1)).append(" | ").append(U.f(cycleAgg("p99Ms", "max"), 1))
          .append(" | ").append(U.f(cycleAgg("maxMs", "max"), 1)).append(" | ")
          .append(U.f(cycleAgg("discoveryP50Ms", "median"), 1)).append(" | ")
          .append(U.f(cycleAgg("sweepP50Ms", "median"), 1)).append(" | ")
          .append(U.f(cycleAgg("captures", "sum"), 0)).append(" | ")
          .append(U.f(cycleAgg("captureFailures", "sum"), 0)).append(" |\n\n");
    }

    b.append("## Resources (sampled every second)\n\n");
    b.append("| process | CPU mean % | CPU p95 % | CPU max % | RSS start MB | RSS max MB | RSS end MB | "
        + "RSS slope MB/h |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    resRow(b, "tmux-orc JVM", Sample::monCpu, Sample::monRss);
    resRow(b, "tmux-orc's tmux -C clients", Sample::clientCpu, null);
    resRow(b, "tmux server", Sample::tmuxCpu, Sample::tmuxRss);
    b.append("\nCPU % is of one core. Load average (1 min) mean: ").append(U.f(U.mean(series(Sample::load1)), 2))
        .append(". RSS slope: least squares over the samples after the warm-up (")
        .append(c.getString("analysis.rss-warmup").equals("auto") ? "the first third of the run"
            : c.getString("analysis.rss-warmup"))
        .append("; shown only with at least 2 minutes of samples after it).\n\n");

    b.append("## Events\n\n");
    b.append("| agent events | per second | ").append(String.join(" | ", an.eventCounts.keySet()))
        .append(" | health changes to |\n|");
    b.append(" --- |".repeat(3 + an.eventCounts.size())).append('\n');
    b.append("| ").append(an.agentEvents).append(" | ").append(U.f(an.agentEvents * 1000.0 / Math.max(1, runMs), 2))
        .append(" | ").append(an.eventCounts.values().stream().map(String::valueOf).collect(Collectors.joining(" | ")))
        .append(" | ").append(an.healthTo.isEmpty() ? "–" : an.healthTo.toString()).append(" |\n\n");
    b.append("Files: `report.json` (everything, with per-second samples), `chart.svg`, `raw/` (agents.log, "
        + "events.jsonl, monitor.log, monitor.conf).\n\n![chart](chart.svg)\n");
    return b.toString();
  }

  private long t0() {
    return fleet.isEmpty() ? 0 : fleet.get(0).launchedAt;
  }

  @SuppressWarnings("unchecked")
  private static List<String> castList(Object o) {
    return (List<String>) o;
  }

  private void resRow(StringBuilder b, String name, ToDoubleFunction<Sample> cpu, ToDoubleFunction<Sample> rss) {
    List<Double> cv = series(cpu);
    b.append("| ").append(name).append(" | ").append(U.f(U.mean(cv), 1)).append(" | ").append(U.f(U.pct(cv, 95), 1))
        .append(" | ").append(U.f(U.max(cv), 1)).append(" | ");
    if (rss == null) {
      b.append("– | – | – | – |\n");
    } else {
      b.append(U.f(rssAt(rss, true), 0)).append(" | ").append(U.f(U.max(series(rss)), 0)).append(" | ")
          .append(U.f(rssAt(rss, false), 0)).append(" | ").append(U.f(rssSlope(rss), 1)).append(" |\n");
    }
  }
}

/** A hand-written SVG: RSS and CPU over time, cycle time over time, and a latency histogram. */
final class Chart {
  private static final int W = 900;
  private static final int PH = 200;
  private static final int ML = 60;
  private static final int MR = 150;
  private final List<Sample> samples;
  private final Analysis an;
  private final StringBuilder b = new StringBuilder();

  Chart(List<Sample> samples, Analysis an) {
    this.samples = samples;
    this.an = an;
  }

  String svg() {
    int panels = 4;
    int h = panels * (PH + 60) + 20;
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(h)
        .append("\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" "
            + "fill=\"white\"/>\n");
    int y = 20;
    double tmax = samples.isEmpty() ? 1 : Math.max(1, samples.get(samples.size() - 1).t() / 1000.0);
    lines(y, "Memory (RSS, MB) over time (s)", tmax, List.of(
        new Line("tmux-orc JVM", "#1f77b4", samples.stream().map(s -> new double[] {s.t() / 1000.0, s.monRss()})
            .collect(Collectors.toList())),
        new Line("tmux server", "#ff7f0e", samples.stream().map(s -> new double[] {s.t() / 1000.0, s.tmuxRss()})
            .collect(Collectors.toList()))));
    y += PH + 60;
    lines(y, "CPU (% of one core) over time (s)", tmax, List.of(
        new Line("tmux-orc JVM", "#1f77b4", samples.stream().map(s -> new double[] {s.t() / 1000.0, s.monCpu()})
            .collect(Collectors.toList())),
        new Line("tmux -C clients", "#2ca02c", samples.stream()
            .map(s -> new double[] {s.t() / 1000.0, s.clientCpu()}).collect(Collectors.toList())),
        new Line("tmux server", "#ff7f0e", samples.stream().map(s -> new double[] {s.t() / 1000.0, s.tmuxCpu()})
            .collect(Collectors.toList()))));
    y += PH + 60;
    double first = an.cycleReports.isEmpty() ? 0 : an.cycleReports.get(0).path("atMillis").asDouble();
    List<double[]> p50 = new ArrayList<>();
    List<double[]> p95 = new ArrayList<>();
    List<double[]> mx = new ArrayList<>();
    for (JsonNode n : an.cycleReports) {
      double x = (n.path("atMillis").asDouble() - first) / 1000.0;
      if (n.path("cycles").asLong() > 0) {
        p50.add(new double[] {x, n.path("p50Ms").asDouble()});
        p95.add(new double[] {x, n.path("p95Ms").asDouble()});
        mx.add(new double[] {x, n.path("maxMs").asDouble()});
      }
    }
    double cmax = mx.stream().mapToDouble(p -> p[0]).max().orElse(1);
    lines(y, "Cycle time (ms) per report interval, s since first report", Math.max(1, cmax), List.of(
        new Line("p50", "#1f77b4", p50), new Line("p95", "#ff7f0e", p95), new Line("max", "#d62728", mx)));
    y += PH + 60;
    histogram(y);
    b.append("</svg>\n");
    return b.toString();
  }

  record Line(String name, String color, List<double[]> points) { }

  private static double niceMax(double v) {
    if (!(v > 0)) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  private void frame(int y, String title, double xmax, double ymax, String xfmt) {
    int pw = W - ML - MR;
    b.append("<text x=\"").append(ML).append("\" y=\"").append(y + 12).append("\" font-size=\"13\" "
        + "font-weight=\"bold\">").append(esc(title)).append("</text>\n");
    int top = y + 20;
    b.append("<rect x=\"").append(ML).append("\" y=\"").append(top).append("\" width=\"").append(pw)
        .append("\" height=\"").append(PH).append("\" fill=\"none\" stroke=\"#999\"/>\n");
    for (int i = 0; i <= 4; i++) {
      double v = ymax * i / 4;
      double yy = top + PH - PH * i / 4.0;
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", ML, yy, ML + pw, yy, ML - 4, yy + 4,
          U.f(v, v < 10 ? 1 : 0)));
    }
    for (int i = 0; i <= 5; i++) {
      double v = xmax * i / 5;
      double xx = ML + pw * i / 5.0;
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", xx,
          top + PH + 14, String.format(Locale.ROOT, xfmt, v)));
    }
  }

  private void lines(int y, String title, double xmax, List<Line> lines) {
    double ymax = niceMax(lines.stream().flatMap(l -> l.points().stream()).mapToDouble(p -> p[1])
        .filter(v -> !Double.isNaN(v)).max().orElse(1));
    frame(y, title, xmax, ymax, "%.0f");
    int pw = W - ML - MR;
    int top = y + 20;
    int ly = top + 10;
    for (Line l : lines) {
      StringBuilder pts = new StringBuilder();
      for (double[] p : l.points()) {
        if (Double.isNaN(p[1])) {
          continue;
        }
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", ML + pw * p[0] / xmax, top + PH - PH * p[1] / ymax));
      }
      b.append("<polyline fill=\"none\" stroke=\"").append(l.color()).append("\" stroke-width=\"1.5\" points=\"")
          .append(pts.toString().trim()).append("\"/>\n");
      b.append("<rect x=\"").append(ML + pw + 10).append("\" y=\"").append(ly - 8).append("\" width=\"10\" "
          + "height=\"10\" fill=\"").append(l.color()).append("\"/><text x=\"").append(ML + pw + 24)
          .append("\" y=\"").append(ly + 1).append("\">").append(esc(l.name())).append("</text>\n");
      ly += 16;
    }
  }

  private void histogram(int y) {
    List<Double> lat = an.latencies(null);
    double max = lat.isEmpty() ? 1000 : Collections.max(lat);
    double width = niceMax(Math.max(1, max) / 20);
    int bins = (int) Math.max(1, Math.ceil((max + 1) / width));
    int[] counts = new int[bins];
    for (double v : lat) {
      counts[Math.min(bins - 1, (int) (v / width))]++;
    }
    int cmax = 1;
    for (int v : counts) {
      cmax = Math.max(cmax, v);
    }
    double ymax = niceMax(cmax);
    frame(y, "Detection latency histogram (count per " + U.f(width, 0) + " ms bin; n = " + lat.size() + ")",
        bins * width, ymax, "%.0f");
    int pw = W - ML - MR;
    int top = y + 20;
    double bw = (double) pw / bins;
    for (int i = 0; i < bins; i++) {
      double hh = PH * counts[i] / ymax;
      b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
          + "fill=\"#1f77b4\"><title>%s–%s ms: %d</title></rect>%n", ML + i * bw + 1, top + PH - hh,
          Math.max(1, bw - 2), hh, U.f(i * width, 0), U.f((i + 1) * width, 0), counts[i]));
    }
    b.append("<text x=\"").append(ML + pw + 10).append("\" y=\"").append(top + 12).append("\">p50 ")
        .append(U.ms(U.pct(lat, 50))).append(" ms</text><text x=\"").append(ML + pw + 10).append("\" y=\"")
        .append(top + 28).append("\">p95 ").append(U.ms(U.pct(lat, 95))).append(" ms</text><text x=\"")
        .append(ML + pw + 10).append("\" y=\"").append(top + 44).append("\">max ").append(U.ms(U.max(lat)))
        .append(" ms</text>\n");
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
