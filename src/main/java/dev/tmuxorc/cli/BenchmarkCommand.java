package dev.tmuxorc.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.detect.Classifier;
import dev.tmuxorc.monitor.CycleReport;
import dev.tmuxorc.monitor.CycleStats;
import dev.tmuxorc.monitor.Supervisor;
import dev.tmuxorc.sim.SimulatedFleet;
import dev.tmuxorc.tmux.TmuxPool;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
        "The pooled strategy pipelines captures through persistent tmux -C clients. With --compare the "
            + "baseline (one tmux process per pane, sequential, as the Python predecessor did) runs in the "
            + "same process, cycles alternating, and the speed-up is printed. Never touches other tmux servers."})
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
    Launcher.logLevel(main.global, true);
    PrintWriter err = spec.commandLine().getErr();
    Config base = Launcher.config(main.global, Map.of());
    String tmuxBinary = Settings.from(base).tmux().server().binary();
    try (SimulatedFleet fleet = SimulatedFleet.create(tmuxBinary, "tmux-orc-bench")) {
      err.printf("starting %d simulated agents on private tmux server '%s'...%n", agents, fleet.socket());
      err.flush();
      fleet.start(SimulatedFleet.benchmarkMembers(agents), 10, 200, 50);
      awaitFirstFrames(fleet, agents, Duration.ofSeconds(60 + agents / 10));

      Config pooledConfig = override(base, fleet.socket(), "control", "concurrent");
      Config baselineConfig = override(base, fleet.socket(), "process", "polling");
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "tmux-orc-benchmark", pooledConfig);
      try {
        ActorRef<Supervisor.Command> pooled = supervisor(system, pooledConfig, "pooled");
        ActorRef<Supervisor.Command> baseline = compare ? supervisor(system, baselineConfig, "baseline") : null;
        List<Duration> pooledSamples = new ArrayList<>();
        List<Duration> discoverySamples = new ArrayList<>();
        List<Duration> sweepSamples = new ArrayList<>();
        List<Duration> baselineSamples = new ArrayList<>();
        for (int i = 0; i < warmup + cycles; i++) {
          Duration p = measure(system, pooled);
          Duration b = compare ? measure(system, baseline) : null;
          if (i >= warmup) {
            pooledSamples.add(p);
            CycleStats stats = AskPattern.<Supervisor.Command, CycleStats>ask(pooled, Supervisor.GetCycleStats::new,
                Duration.ofSeconds(5), system.scheduler()).toCompletableFuture().get(5, TimeUnit.SECONDS);
            discoverySamples.add(stats.lastDiscovery());
            sweepSamples.add(stats.lastSweep());
            if (compare) {
              baselineSamples.add(b);
            }
          }
          err.printf("\rcycle %d/%d", i + 1, warmup + cycles);
          err.flush();
        }
        err.println();
        report(Percentiles.of(pooledSamples), compare ? Percentiles.of(baselineSamples) : null,
            Percentiles.of(discoverySamples), Percentiles.of(sweepSamples));
      } finally {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
      }
    }
    return 0;
  }

  private void report(Percentiles pooled, Percentiles baseline, Percentiles discovery, Percentiles sweep)
      throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Double speedup = baseline == null ? null : Math.round(baseline.p50Ms() / pooled.p50Ms() * 10) / 10.0;
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("agents", agents);
      result.put("cycles", cycles);
      result.put("baseline", baseline);
      result.put("pooled", pooled);
      result.put("speedup", speedup);
      result.put("pooledPhases", Map.of("discoveryP50Ms", discovery.p50Ms(), "sweepP50Ms", sweep.p50Ms()));
      result.put("machine", machine());
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
    } else {
      out.printf("%d agents, %d measured cycles each (discover + capture + classify + deliver)%n", agents, cycles);
      out.printf("%-34s %10s %10s %10s%n", "strategy", "p50 ms", "p95 ms", "max ms");
      out.printf("%-34s %10.2f %10.2f %10.2f%n", "pooled control mode (pipelined)", pooled.p50Ms(), pooled.p95Ms(),
          pooled.maxMs());
      out.printf("%-34s %10.2f %10.2f%n", "  of which discovery (list-panes)", discovery.p50Ms(), discovery.p95Ms());
      out.printf("%-34s %10.2f %10.2f%n", "  of which capture sweep", sweep.p50Ms(), sweep.p95Ms());
      if (baseline != null) {
        out.printf("%-34s %10.2f %10.2f %10.2f%n", "baseline: tmux process per pane", baseline.p50Ms(),
            baseline.p95Ms(), baseline.maxMs());
        out.printf("speed-up (p50): %.1fx%n", speedup);
      }
      out.printf("machine: %s%n", machine());
    }
    out.flush();
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

  private static Config override(Config base, String socket, String client, String strategy) {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("tmux-orc.tmux.socket-name", socket);
    overrides.put("tmux-orc.tmux.socket-path", "");
    overrides.put("tmux-orc.tmux.client", client);
    overrides.put("tmux-orc.monitoring.strategy", strategy);
    overrides.put("tmux-orc.tmux.command-timeout", "120s");
    return ConfigFactory.parseMap(overrides).withFallback(base);
  }

  private static ActorRef<Supervisor.Command> supervisor(ActorSystem<Void> system, Config config, String name) {
    Settings settings = Settings.from(config);
    return system.systemActorOf(Supervisor.create(settings, TmuxPool.factoryFor(settings.tmux()),
        Classifier.fromConfig(settings.detection()), settings.monitoring().rules(), Clock.systemUTC(), false),
        name, Props.empty());
  }

  private static Duration measure(ActorSystem<Void> system, ActorRef<Supervisor.Command> supervisor)
      throws Exception {
    Duration timeout = Duration.ofMinutes(5);
    return AskPattern.<Supervisor.Command, Duration>askWithStatus(supervisor, Supervisor.MeasureCycle::new,
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
