package dev.tmuxorc.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.app.Guardian;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.json.Json;
import dev.tmuxorc.monitor.CycleReport;
import dev.tmuxorc.monitor.CycleStats;
import dev.tmuxorc.monitor.Monitor;
import dev.tmuxorc.sim.SimulatedFleet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc benchmark}: full monitoring cycles on a private fleet, pooled and (optionally) baseline. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
    description = {
        "Start a private tmux server with N simulated agents and time full monitoring cycles: discover, capture "
            + "every screen, classify, and deliver to the agent actors (a cycle ends when every agent has "
            + "processed its capture).",
        "The pooled strategy pipelines captures through persistent tmux -C clients. It is timed twice: "
            + "capturing every screen (\"pooled\", the like-for-like comparison), and as the monitor runs by "
            + "default, reusing the screens of panes whose window had no activity since their last capture "
            + "(\"pooled, screen reuse\"; tmux-orc.monitoring.screen-reuse).",
        "With --compare the baseline (one tmux process per pane, sequential, as the Python predecessor did) "
            + "runs in the same process, cycles alternating, and the speed-up over \"pooled\" is printed. "
            + "Never touches other tmux servers."})
final class BenchmarkCommand implements Callable<Integer> {

  @ParentCommand
  Main main;

  @Spec
  CommandSpec spec;

  @Option(names = "--agents", paramLabel = "N", defaultValue = "100", description = "Simulated agents (default 100).")
  int agents;

  @Option(names = "--compare", description = "Also time the process-per-pane sequential baseline.")
  boolean compare;

  @Option(names = "--cycles", paramLabel = "K", defaultValue = "20", description = "Measured cycles per strategy "
      + "(default 20).")
  int cycles;

  @Option(names = "--warmup", paramLabel = "W", defaultValue = "5", description = "Unmeasured cycles first (default 5).")
  int warmup;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(names = "--states", paramLabel = "STATE[,STATE...]", split = ",",
      description = "The screens the simulated agents hold, one agent in each in turn (default: a fifth working, "
          + "the rest idle, waiting, unsubmitted, rate_limited, error). --states working is the worst case for "
          + "screen reuse: every spinner redraws every second.")
  List<String> states = SimulatedFleet.BENCHMARK_STATES;

  /** p50/p95 of one strategy, in milliseconds. */
  record Percentiles(double p50Ms, double p95Ms, double minMs, double maxMs) {
    static Percentiles of(List<Duration> samples) {
      List<Long> nanos = samples.stream().map(Duration::toNanos).sorted().toList();
      return new Percentiles(CycleReport.ms(CycleReport.percentile(nanos, 0.50)),
          CycleReport.ms(CycleReport.percentile(nanos, 0.95)), CycleReport.ms(nanos.get(0)),
          CycleReport.ms(nanos.get(nanos.size() - 1)));
    }
  }

  @Override
  public Integer call() throws Exception {
    if (agents < 1 || cycles < 1 || warmup < 0) {
      throw new ParameterException(spec.commandLine(),
          "--agents and --cycles must be at least 1, --warmup at least 0");
    }
    for (String state : states) {
      if (!SimulatedFleet.HOLDABLE_STATES.contains(state)) {
        throw new ParameterException(spec.commandLine(), "--states: unknown state '" + state + "' (one of "
            + String.join(", ", SimulatedFleet.HOLDABLE_STATES) + ")");
      }
    }
    Launcher.logLevel(main.global, true);
    PrintWriter err = spec.commandLine().getErr();
    Config base = Launcher.config(main.global, Map.of());
    String tmuxBinary = Settings.from(base).tmux().server().binary();
    try (SimulatedFleet fleet = SimulatedFleet.create(tmuxBinary, "tmux-orc-bench")) {
      err.printf("starting %d simulated agents on private tmux server '%s'...%n", agents, fleet.socket());
      err.flush();
      fleet.start(SimulatedFleet.benchmarkMembers(agents, states), 10, 200, 50);
      awaitFirstFrames(fleet, agents, Duration.ofSeconds(60 + agents / 10));

      Config pooledConfig = override(base, fleet.socket(), "control", "concurrent", false);
      Config reuseConfig = override(base, fleet.socket(), "control", "concurrent", true);
      Config baselineConfig = override(base, fleet.socket(), "process", "polling", false);
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "tmux-orc-benchmark", pooledConfig);
      try {
        ActorRef<Monitor.Command> pooled = monitor(system, pooledConfig, "pooled");
        ActorRef<Monitor.Command> reuse = monitor(system, reuseConfig, "pooled-screen-reuse");
        ActorRef<Monitor.Command> baseline = compare ? monitor(system, baselineConfig, "baseline") : null;
        Samples pooledSamples = new Samples();
        Samples reuseSamples = new Samples();
        List<Duration> baselineSamples = new ArrayList<>();
        for (int i = 0; i < warmup + cycles; i++) {
          boolean measured = i >= warmup;
          pooledSamples.add(measured, measure(system, pooled), stats(system, pooled));
          reuseSamples.add(measured, measure(system, reuse), stats(system, reuse));
          Duration b = compare ? measure(system, baseline) : null;
          if (measured && compare) {
            baselineSamples.add(b);
          }
          err.printf("\rcycle %d/%d", i + 1, warmup + cycles);
          err.flush();
        }
        err.println();
        report(pooledSamples.result(), reuseSamples.result(), compare ? Percentiles.of(baselineSamples) : null);
      } finally {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
      }
    }
    return 0;
  }

  private void report(Result pooled, Result reuse, Percentiles baseline) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Double speedup = baseline == null ? null : Math.round(baseline.p50Ms() / pooled.cycle().p50Ms() * 10) / 10.0;
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("agents", agents);
      result.put("cycles", cycles);
      result.put("states", states);
      result.put("baseline", baseline);
      result.put("pooled", pooled.cycle());
      result.put("speedup", speedup);
      result.put("pooledPhases", pooled.phases());
      Map<String, Object> withReuse = new LinkedHashMap<>();
      withReuse.put("cycle", reuse.cycle());
      withReuse.put("phases", reuse.phases());
      withReuse.put("reusedPerCycle", reuse.reusedPerCycle());
      result.put("pooledScreenReuse", withReuse);
      result.put("machine", machine());
      out.println(Json.PRETTY.writeValueAsString(result));
    } else {
      out.printf("%d agents (holding %s), %d measured cycles each (discover + capture + classify + deliver)%n",
          agents, states.equals(SimulatedFleet.BENCHMARK_STATES) ? "the default mix" : String.join(",", states),
          cycles);
      out.printf("%-40s %10s %10s %10s%n", "strategy", "p50 ms", "p95 ms", "max ms");
      print(out, "pooled control mode, every screen", pooled);
      print(out, "pooled, screen reuse (the default)", reuse);
      out.printf("%-40s %.1f of %d screens per cycle%n", "  reused (window had no activity)",
          reuse.reusedPerCycle(), agents);
      if (baseline != null) {
        out.printf("%-40s %10.2f %10.2f %10.2f%n", "baseline: tmux process per pane", baseline.p50Ms(),
            baseline.p95Ms(), baseline.maxMs());
        out.printf("speed-up (p50, every screen): %.1fx%n", speedup);
      }
      out.printf("machine: %s%n", machine());
    }
    out.flush();
  }

  private static void print(PrintWriter out, String name, Result result) {
    Percentiles cycle = result.cycle();
    out.printf("%-40s %10.2f %10.2f %10.2f%n", name, cycle.p50Ms(), cycle.p95Ms(), cycle.maxMs());
    out.printf("%-40s %10.2f %10.2f%n", "  list-panes reply handled at", result.discovery().p50Ms(),
        result.discovery().p95Ms());
    out.printf("%-40s %10.2f %10.2f%n", "  last capture handled at", result.sweep().p50Ms(), result.sweep().p95Ms());
  }

  /** One pooled variant's cycles, and when within them discovery and the sweep ended. */
  private static final class Samples {
    final List<Duration> cycle = new ArrayList<>();
    final List<Duration> discovery = new ArrayList<>();
    final List<Duration> sweep = new ArrayList<>();
    long reusedBefore; // as the warm-up left it
    long reusedAfter;

    void add(boolean measured, Duration took, CycleStats stats) {
      if (!measured) {
        reusedBefore = stats.reusedScreens();
        return;
      }
      cycle.add(took);
      discovery.add(stats.lastDiscovery());
      sweep.add(stats.lastSweep());
      reusedAfter = stats.reusedScreens();
    }

    Result result() {
      return new Result(Percentiles.of(cycle), Percentiles.of(discovery), Percentiles.of(sweep),
          Math.round(10.0 * (reusedAfter - reusedBefore) / cycle.size()) / 10.0);
    }
  }

  /** A pooled variant's results; {@code reusedPerCycle} is 0 without screen reuse. */
  record Result(Percentiles cycle, Percentiles discovery, Percentiles sweep, double reusedPerCycle) {
    Map<String, Double> phases() {
      return Map.of("discoveryP50Ms", discovery.p50Ms(), "sweepP50Ms", sweep.p50Ms());
    }
  }

  static Map<String, Object> machine() {
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    machine.put("java", System.getProperty("java.version"));
    try {
      Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
      machine.put("tmux", new String(p.getInputStream().readAllBytes()).trim());
    } catch (Exception e) {
      machine.put("tmux", "unknown");
    }
    try {
      String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim())
          .orElse("unknown");
      machine.put("cpu", cpu);
    } catch (Exception e) {
      machine.put("cpu", "unknown");
    }
    return machine;
  }

  private static Config override(Config base, String socket, String client, String strategy,
      boolean screenReuse) {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("tmux-orc.tmux.socket-name", socket);
    overrides.put("tmux-orc.tmux.socket-path", "");
    overrides.put("tmux-orc.tmux.client", client);
    overrides.put("tmux-orc.monitoring.strategy", strategy);
    overrides.put("tmux-orc.tmux.command-timeout", "120s");
    overrides.put("tmux-orc.monitoring.screen-reuse.enabled", screenReuse);
    return ConfigFactory.parseMap(overrides).withFallback(base);
  }

  // The whole tree, its cycles run only when measured.
  private static ActorRef<Monitor.Command> monitor(ActorSystem<Void> system, Config config, String name)
      throws Exception {
    Settings settings = Settings.from(config);
    ActorRef<Guardian.Command> tree = system.systemActorOf(Guardian.create(settings,
        Guardian.Wiring.of(settings).withPeriodic(false)), name, Props.empty());
    return AskPattern.<Guardian.Command, Guardian.Parts>ask(tree, Guardian.GetParts::new, Duration.ofSeconds(5),
        system.scheduler()).toCompletableFuture().get(5, TimeUnit.SECONDS).monitor();
  }

  private static CycleStats stats(ActorSystem<Void> system, ActorRef<Monitor.Command> monitor)
      throws Exception {
    return AskPattern.<Monitor.Command, CycleStats>ask(monitor, Monitor.GetCycleStats::new,
        Duration.ofSeconds(5), system.scheduler()).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static Duration measure(ActorSystem<Void> system, ActorRef<Monitor.Command> monitor)
      throws Exception {
    Duration timeout = Duration.ofMinutes(5);
    return AskPattern.<Monitor.Command, Duration>askWithStatus(monitor, Monitor.MeasureCycle::new,
        timeout, system.scheduler()).toCompletableFuture().get(timeout.toSeconds(), TimeUnit.SECONDS);
  }

  // Every fake agent logs a line once its first screen is drawn.
  private static void awaitFirstFrames(SimulatedFleet fleet, int agents, Duration patience) throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(fleet.transitionLog())) {
        long lines;
        try (var stream = Files.lines(fleet.transitionLog())) {
          lines = stream.count();
        }
        if (lines >= agents) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the simulated agents did not all start within " + patience);
  }
}
