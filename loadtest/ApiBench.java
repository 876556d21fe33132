/*
 * ApiBench: the HTTP API, SSE, journal and daemon start-up of tmux-orc, measured against a private fleet.
 *
 *   java -cp target/tmux-orc.jar loadtest/ApiBench.java [--agents 1000] [--out DIR] [--phases startup,api,sse,cycle]
 *
 * It starts a private tmux server (SimulatedFleet from the jar: `tmux -L lt-api-XXXXXX`) with N fake agents, then
 * runs `tmux-orc monitor` through the launcher (target/tmux-orc/bin/tmux-orc) as a child process, one at a time,
 * each with a base directory of its own under OUT/raw/ (TMUX_ORCHESTRATOR_BASE_DIR) and `--http-port 0`:
 *
 *   startup  `monitor start` until it exits (it prints once ready), and `monitor --foreground` from process start
 *            until GET /health/ready answers 200 (polled every 10 ms); --starts times each
 *   api      sequential GET /api/agents, /metrics and /api/status (warm-up, then --requests timed each:
 *            p50/p95/p99/max), RSS (VmRSS) and CPU of the monitor JVM sampled every second meanwhile; timed by
 *            each of --clients: curl (one process for the timed requests, one kept-alive connection, its
 *            time_total per transfer: a lean native client, what the targets are read from) and java
 *            (java.net.http.HttpClient, which on a 2-core machine spends ~6 ms of CPU per 560 KB answer beside
 *            the monitor, doubling the tail)
 *   sse      the monitor JVM's CPU over windows of --cpu-window with 0 and with --sse-clients clients reading
 *            GET /api/events, alternating 0, N, 0, N, 0 (--sse-rounds N-windows)
 *   cycle    the monitor's cycle p50 (CycleReport lines of --events, report-interval 5 s) with HTTP and journal
 *            on vs off (config file), alternating runs on the same fleet (--cycle-runs pairs)
 *
 * Only 127.0.0.1 is requested; every request count and window is bounded. The tmux server and every process it
 * started are stopped by PID at the end, also on failure or Ctrl-C (shutdown hook). ~/.tmux-orchestrator and
 * the default tmux server are never touched. Results: OUT/report.md, OUT/report.json, OUT/raw/ (git-ignored).
 */

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tmuxorc.sim.ProcessSample;
import dev.tmuxorc.sim.SimulatedFleet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

public class ApiBench {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final double CLK_TCK = clkTck();

  // options
  int agents = 1000;
  Path out;
  Path launcher = Path.of("target/tmux-orc/bin/tmux-orc");
  int requests = 500;
  int warmup = 100;
  int sseClients = 100;
  int sseRounds = 2;
  long cpuWindowMs = 30_000;
  int cycleRuns = 2;
  long cycleWarmupMs = 15_000;
  long cycleWindowMs = 40_000;
  long settleMs = 20_000;
  int starts = 3;
  double randomShare = 0.2;
  Set<String> phases = Set.of("startup", "api", "sse", "cycle");
  String javaOpts = "";
  List<String> clients = List.of("curl", "java");
  boolean diagnose;

  // what must be cleaned up
  final List<Process> processes = new CopyOnWriteArrayList<>();
  final List<Path> daemonBases = new CopyOnWriteArrayList<>();
  volatile SimulatedFleet fleet;
  volatile boolean cleaned;

  Path raw;
  Path confOn;
  Path confOff;
  final Map<String, Object> result = new LinkedHashMap<>();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  public static void main(String[] args) throws Exception {
    ApiBench bench = new ApiBench();
    try {
      bench.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("apibench: " + e.getMessage());
      System.exit(2);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(bench::cleanup));
    int status;
    try {
      status = bench.run();
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    } finally {
      bench.cleanup();
    }
    System.exit(status);
  }

  void parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + a);
      }
      String v = args[++i];
      switch (a) {
        case "--agents" -> agents = Integer.parseInt(v);
        case "--out" -> out = Path.of(v);
        case "--launcher" -> launcher = Path.of(v);
        case "--requests" -> requests = Integer.parseInt(v);
        case "--warmup" -> warmup = Integer.parseInt(v);
        case "--sse-clients" -> sseClients = Integer.parseInt(v);
        case "--sse-rounds" -> sseRounds = Integer.parseInt(v);
        case "--cpu-window" -> cpuWindowMs = seconds(v);
        case "--cycle-runs" -> cycleRuns = Integer.parseInt(v);
        case "--cycle-warmup" -> cycleWarmupMs = seconds(v);
        case "--cycle-window" -> cycleWindowMs = seconds(v);
        case "--settle" -> settleMs = seconds(v);
        case "--starts" -> starts = Integer.parseInt(v);
        case "--random-share" -> randomShare = Double.parseDouble(v);
        case "--phases" -> phases = Set.of(v.split(","));
        case "--java-opts" -> javaOpts = v;
        case "--clients" -> clients = List.of(v.split(","));
        case "--diagnose" -> diagnose = Boolean.parseBoolean(v);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (clients.isEmpty() || !List.of("curl", "java").containsAll(clients)) {
      throw new IllegalArgumentException("--clients: curl, java or both (comma-separated)");
    }
    if (requests < 1 || requests > 100_000 || sseClients < 0 || sseClients > 1000 || agents < 1 || agents > 5000) {
      throw new IllegalArgumentException("out of bounds: requests 1..100000, sse-clients 0..1000, agents 1..5000");
    }
    if (out == null) {
      out = Path.of("loadtest/results/api-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
          .format(ZonedDateTime.now()));
    }
  }

  static long seconds(String v) {
    return v.endsWith("ms") ? Long.parseLong(v.substring(0, v.length() - 2))
        : (long) (Double.parseDouble(v.replaceAll("s$", "")) * 1000);
  }

  int run() throws Exception {
    if (!Files.isExecutable(launcher)) {
      throw new IOException("no launcher at " + launcher + " (mvn -B -q -DskipTests package)");
    }
    launcher = launcher.toAbsolutePath();
    raw = out.resolve("raw").toAbsolutePath();
    Files.createDirectories(raw);
    confOn = raw.resolve("monitor-on.conf");
    confOff = raw.resolve("monitor-off.conf");
    Files.writeString(confOn, "tmux-orc.monitoring.report-interval = 5s\n");
    Files.writeString(confOff, "tmux-orc.monitoring.report-interval = 5s\ntmux-orc.journal.enabled = false\n"
        + "tmux-orc.http.enabled = false\n");
    result.put("machine", machine());
    Map<String, Object> opts = new LinkedHashMap<>();
    opts.put("agents", agents);
    opts.put("randomShare", randomShare);
    opts.put("requests", requests);
    opts.put("warmup", warmup);
    opts.put("clients", clients);
    opts.put("sseClients", sseClients);
    opts.put("sseRounds", sseRounds);
    opts.put("cpuWindowMs", cpuWindowMs);
    opts.put("cycleRuns", cycleRuns);
    opts.put("cycleWarmupMs", cycleWarmupMs);
    opts.put("cycleWindowMs", cycleWindowMs);
    opts.put("settleMs", settleMs);
    opts.put("starts", starts);
    opts.put("phases", new ArrayList<>(phases));
    opts.put("launcher", launcher.toString());
    opts.put("javaOpts", javaOpts);
    result.put("options", opts);

    // the fleet: a share of random walks (events flow: StateChanged for the journal and SSE), the rest holding
    // steady screens of every kind
    List<SimulatedFleet.Member> members = new ArrayList<>();
    int every = randomShare <= 0 ? Integer.MAX_VALUE : (int) Math.max(1, Math.round(1 / randomShare));
    for (int i = 0; i < agents; i++) {
      List<String> options = i % every == 0
          ? List.of("--random", "--seed", String.valueOf(i), "--min", "4", "--max", "15")
          : List.of("--state", SimulatedFleet.BENCHMARK_STATES.get(i % SimulatedFleet.BENCHMARK_STATES.size()));
      members.add(new SimulatedFleet.Member("claude-" + i, options));
    }
    fleet = SimulatedFleet.create("tmux", "lt-api");
    log("fleet: %d agents on tmux -L %s (random walks: every %s), launching...", agents, fleet.socket(),
        every == Integer.MAX_VALUE ? "none" : "" + every);
    long t0 = System.currentTimeMillis();
    fleet.start(members, 10, 120, 40);
    long launchMs = System.currentTimeMillis() - t0;
    String tmuxPid = SimulatedFleet.runTmux("tmux", fleet.socket(), List.of("display-message", "-p", "#{pid}"))
        .trim();
    log("fleet launched in %d ms (tmux server pid %s); load %s", launchMs, tmuxPid, load());
    result.put("fleet", Map.of("socket", fleet.socket(), "agents", agents, "launchMs", launchMs,
        "tmuxServerPid", Long.parseLong(tmuxPid)));
    Thread.sleep(5000); // let the agents draw their first screens

    warmUpClient();
    if (phases.contains("startup")) {
      result.put("startup", startup());
    }
    if (phases.contains("api") || phases.contains("sse")) {
      apiAndSse(Long.parseLong(tmuxPid));
    }
    if (phases.contains("cycle")) {
      result.put("cycle", cycles());
    }
    result.put("loadAtEnd", load());
    Files.writeString(out.resolve("report.json"), JSON.writeValueAsString(result));
    Files.writeString(out.resolve("report.md"), markdown());
    log("done: %s", out.resolve("report.md"));
    System.out.println(Files.readString(out.resolve("report.md")));
    return 0;
  }

  // ------------------------------------------------------------------ start-up (target 5)

  /**
   * This JVM's HttpClient, used for the first time, loads and compiles its classes: done during the first
   * start's readiness polling, that CPU went to the monitor's start-up on a 2-core machine (the first start of
   * every earlier report was the slowest). So it is used first against a throwaway local server, and against a
   * closed port (the polling's refused connections).
   */
  void warmUpClient() throws Exception {
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, 2);
      exchange.getResponseBody().write("ok".getBytes(StandardCharsets.US_ASCII));
      exchange.close();
    });
    server.start();
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
        + "/health/ready")).timeout(Duration.ofSeconds(2)).GET().build();
    try {
      for (int i = 0; i < 200; i++) {
        http.send(ready, HttpResponse.BodyHandlers.discarding());
      }
    } finally {
      server.stop(0);
    }
    for (int i = 0; i < 20; i++) {
      try {
        http.send(ready, HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        // refused, as while a monitor is not listening yet
      }
    }
  }

  Map<String, Object> startup() throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    List<Map<String, Object>> daemon = new ArrayList<>();
    List<Map<String, Object>> foreground = new ArrayList<>();
    for (int i = 1; i <= starts; i++) {
      // a) `monitor start` (detached daemon) until it exits, having printed its PID and URL once ready
      Path base = raw.resolve("base-start-" + i);
      Files.createDirectories(base);
      daemonBases.add(base);
      List<String> argv = List.of(launcher.toString(), "monitor", "start", "-L", fleet.socket(), "--http-port",
          "0", "--config", confOn.toString(), "--timeout", "30s");
      long t = System.nanoTime();
      Process p = start(argv, base, raw.resolve("start-" + i + ".out"));
      boolean exited = p.waitFor(40, TimeUnit.SECONDS);
      double ms = (System.nanoTime() - t) / 1e6;
      String printed = Files.readString(raw.resolve("start-" + i + ".out")).trim();
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("ms", round(ms));
      d.put("exit", exited ? p.exitValue() : -1);
      d.put("printed", printed);
      d.put("load1", load());
      // then `monitor stop`
      long ts = System.nanoTime();
      Process stop = start(List.of(launcher.toString(), "monitor", "stop", "--timeout", "30s"), base,
          raw.resolve("stop-" + i + ".out"));
      stop.waitFor(40, TimeUnit.SECONDS);
      d.put("stopMs", round((System.nanoTime() - ts) / 1e6));
      killDaemon(base);
      daemon.add(d);
      log("monitor start #%d: %.0f ms, exit %s: %s", i, ms, d.get("exit"), printed.replace('\n', ' '));

      // b) process start -> /health/ready 200 of a foreground monitor
      Monitor m = startMonitor("ready-" + i, true, null);
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("recordedMs", round(m.recordedMs));
      f.put("readyMs", round(m.readyMs));
      f.put("cpuMsAtReady", round(m.cpuMsAtReady));
      f.put("load1", load());
      foreground.add(f);
      log("foreground #%d: monitor.json after %.0f ms, /health/ready 200 after %.0f ms (JVM CPU %.0f ms)", i,
          m.recordedMs, m.readyMs, m.cpuMsAtReady);
      m.stop();
      Thread.sleep(2000);
    }
    r.put("monitorStart", daemon);
    r.put("foregroundReady", foreground);
    return r;
  }

  // ------------------------------------------------------------------ API latency, RSS (1, 2, 6) and SSE CPU (3)

  void apiAndSse(long tmuxPid) throws Exception {
    Monitor m = startMonitor("main", true, raw.resolve("events-main.jsonl"));
    Sampler sampler = new Sampler(m.pid, tmuxPid);
    ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sampler");
      t.setDaemon(true);
      return t;
    });
    exec.scheduleAtFixedRate(sampler, 0, 1, TimeUnit.SECONDS);
    try {
      sampler.phase = "settle";
      log("main monitor pid %d at %s ready after %.0f ms; settling %d s", m.pid, m.url, m.readyMs, settleMs / 1000);
      Thread.sleep(settleMs);
      if (phases.contains("api")) {
        sampler.phase = "api";
        Map<String, Object> api = new LinkedHashMap<>();
        for (String client : clients) {
          for (String path : List.of("/api/agents", "/metrics", "/api/status")) {
            api.put(client.equals("curl") ? path : client + " " + path, client.equals("curl") ? curlLatency(m, path)
                : latency(m, path));
          }
        }
        sampler.phase = "after-api";
        diagnose(m, "after-api");
        api.put("rss", sampler.summary("api"));
        result.put("api", api);
      }
      if (phases.contains("sse")) {
        result.put("sse", sse(m, sampler));
        diagnose(m, "after-sse");
      }
      sampler.phase = "end";
      Thread.sleep(1500);
      result.put("rssWholeRun", sampler.summary(null));
      result.put("samples", sampler.samples);
      result.put("mainMonitor", Map.of("pid", m.pid, "readyMs", round(m.readyMs), "command", m.command));
    } finally {
      exec.shutdownNow();
      m.stop();
    }
  }

  /** With --diagnose true: jcmd's heap and (when -XX:NativeMemoryTracking is on) native memory into raw/. */
  void diagnose(Monitor m, String when) throws IOException {
    if (!diagnose) {
      return;
    }
    StringBuilder b = new StringBuilder("VmRSS " + rssMb(m.pid) + " MB\n");
    for (String cmd : List.of("GC.heap_info", "VM.native_memory summary", "Thread.print")) {
      List<String> argv = new ArrayList<>(List.of("jcmd", String.valueOf(m.pid)));
      argv.addAll(List.of(cmd.split(" ")));
      b.append("==== jcmd ").append(cmd).append("\n").append(run(argv.toArray(String[]::new))).append("\n");
    }
    Files.writeString(raw.resolve("diagnose-" + when + ".txt"), b.toString());
    log("diagnostics in %s", raw.resolve("diagnose-" + when + ".txt"));
  }

  Map<String, Object> latency(Monitor m, String path) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(m.url + path)).timeout(Duration.ofSeconds(10)).GET().build();
    for (int i = 0; i < warmup; i++) {
      HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      check(resp.statusCode() == 200, path + " answered " + resp.statusCode());
    }
    return measured(m, path, "java", () -> {
      double[] ms = new double[requests];
      long bytes = 0;
      for (int i = 0; i < requests; i++) {
        long t = System.nanoTime();
        HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        ms[i] = (System.nanoTime() - t) / 1e6;
        check(resp.statusCode() == 200, path + " answered " + resp.statusCode());
        bytes = resp.body().length;
      }
      return new Timings(ms, bytes);
    });
  }

  /**
   * The same as {@link #latency} timed by curl: one process for the warm-up, one for the timed requests, each
   * transfer on one kept-alive connection, its time_total (request sent to last byte read) as curl measures it.
   */
  Map<String, Object> curlLatency(Monitor m, String path) throws Exception {
    curlTimes(m.url + path, warmup);
    return measured(m, path, "curl", () -> {
      List<String[]> transfers = curlTimes(m.url + path, requests);
      return new Timings(transfers.stream().mapToDouble(t -> Double.parseDouble(t[2]) * 1000).toArray(),
          Long.parseLong(transfers.get(transfers.size() - 1)[1]));
    });
  }

  /** Each timed request's milliseconds, and the size of the last answer. */
  record Timings(double[] ms, long bytes) { }

  interface TimedRequests {
    Timings run() throws Exception;
  }

  /** {@code requests} timed by {@code client}, with the monitor's CPU and collections meanwhile, logged. */
  Map<String, Object> measured(Monitor m, String path, String client, TimedRequests timed) throws Exception {
    long ticks0 = ticks(m.pid);
    long gc0 = gcCount(m.pid);
    long t0 = System.nanoTime();
    Timings timings = timed.run();
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpuMs = (ticks(m.pid) - ticks0) * 1000 / CLK_TCK;
    long gcs = gcCount(m.pid) - gc0;
    Map<String, Object> r = stats(timings.ms());
    r.put("client", client);
    r.put("monitorCpuMsPerRequest", round(cpuMs / requests));
    r.put("gcsDuring", gcs);
    r.put("requests", requests);
    r.put("warmup", warmup);
    r.put("bodyBytes", timings.bytes());
    r.put("seconds", round(wall));
    r.put("load1", load());
    log("%-12s %s, %d requests (%d B each): p50 %.2f / p95 %.2f / p99 %.2f / max %.2f ms; monitor CPU %.2f ms "
        + "per request, %d GCs", path, client, requests, timings.bytes(), r.get("p50"), r.get("p95"), r.get("p99"),
        r.get("max"), cpuMs / requests, gcs);
    return r;
  }

  /**
   * {@code n} GETs of {@code url} by one curl: each transfer's status, bytes and seconds. The URLs go to curl's
   * standard input as its configuration ({@code url = ...} lines), not on its command line, which --requests
   * could make too long.
   */
  static List<String[]> curlTimes(String url, int n) throws IOException, InterruptedException {
    if (n == 0) {
      return List.of();
    }
    ProcessBuilder pb = new ProcessBuilder("curl", "--silent", "--max-time", "60", "--config", "-",
        "--write-out", "%{stderr}%{http_code} %{size_download} %{time_total}\\n")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("LC_ALL", "C"); // time_total with a decimal point
    Process p = pb.start();
    List<String[]> transfers = new ArrayList<>();
    try {
      Thread feeder = new Thread(() -> {
        try (var config = new java.io.PrintWriter(new java.io.OutputStreamWriter(p.getOutputStream(),
            StandardCharsets.UTF_8))) {
          for (int i = 0; i < n; i++) {
            config.println("url = \"" + url + "\"");
          }
        }
      }, "curl-config");
      feeder.start();
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getErrorStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          String[] t = line.trim().split(" ");
          check(t.length == 3 && t[0].equals("200"), url + ": curl reported '" + line + "'");
          transfers.add(t);
        }
      }
      feeder.join();
      check(p.waitFor(70, TimeUnit.SECONDS) && p.exitValue() == 0, "curl " + url + " failed");
    } finally {
      p.destroy();
    }
    check(transfers.size() == n, url + ": " + transfers.size() + " transfers of " + n);
    return transfers;
  }

  Map<String, Object> sse(Monitor m, Sampler sampler) throws Exception {
    List<Map<String, Object>> windows = new ArrayList<>();
    for (int round = 0; round <= sseRounds; round++) {
      windows.add(cpuWindow(m, sampler, 0, null));
      if (round == sseRounds) {
        break;
      }
      // connect N clients, each reading its stream on a thread of its own
      AtomicLong[] received = new AtomicLong[sseClients];
      List<InputStream> streams = new CopyOnWriteArrayList<>();
      List<CompletableFuture<HttpResponse<InputStream>>> futures = new ArrayList<>();
      HttpClient sseHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2)).build();
      for (int i = 0; i < sseClients; i++) {
        received[i] = new AtomicLong();
        futures.add(sseHttp.sendAsync(HttpRequest.newBuilder(URI.create(m.url + "/api/events"))
            .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
      }
      int ok = 0;
      List<Thread> readers = new ArrayList<>();
      for (int i = 0; i < sseClients; i++) {
        HttpResponse<InputStream> resp = futures.get(i).get(15, TimeUnit.SECONDS);
        check(resp.statusCode() == 200, "/api/events answered " + resp.statusCode());
        ok++;
        InputStream in = resp.body();
        streams.add(in);
        AtomicLong count = received[i];
        Thread t = new Thread(() -> {
          try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
              if (line.startsWith("id:")) {
                count.incrementAndGet();
              }
            }
          } catch (IOException e) {
            // closed by us
          }
        }, "sse-" + i);
        t.setDaemon(true);
        t.start();
        readers.add(t);
      }
      log("%d SSE clients connected; settling 5 s", ok);
      Thread.sleep(5000);
      Map<String, Object> w = cpuWindow(m, sampler, sseClients, received);
      windows.add(w);
      for (InputStream in : streams) {
        try {
          in.close();
        } catch (IOException e) {
          // gone
        }
      }
      for (Thread t : readers) {
        t.join(5000);
      }
      sseHttp = null; // its selector thread ends once unreferenced
      System.gc();
      Thread.sleep(5000);
    }
    double with = windows.stream().filter(w -> (int) w.get("clients") > 0).mapToDouble(w -> (double) w.get("cpuPct"))
        .average().orElse(Double.NaN);
    double without = windows.stream().filter(w -> (int) w.get("clients") == 0)
        .mapToDouble(w -> (double) w.get("cpuPct")).average().orElse(Double.NaN);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("windows", windows);
    r.put("cpuPctWithout", round(without));
    r.put("cpuPctWith", round(with));
    r.put("extraPctOfCore", round(with - without));
    log("SSE: monitor CPU %.2f%% without, %.2f%% with %d clients: extra %.2f%% of a core", without, with, sseClients,
        with - without);
    return r;
  }

  Map<String, Object> cpuWindow(Monitor m, Sampler sampler, int clients, AtomicLong[] received) throws Exception {
    sampler.phase = "sse-" + clients;
    long[] before = received == null ? null : Arrays.stream(received).mapToLong(AtomicLong::get).toArray();
    long events0 = lines(raw.resolve("events-main.jsonl"));
    long ticks0 = ticks(m.pid);
    long t0 = System.nanoTime();
    Thread.sleep(cpuWindowMs);
    long ticks1 = ticks(m.pid);
    double secs = (System.nanoTime() - t0) / 1e9;
    long events1 = lines(raw.resolve("events-main.jsonl"));
    check(ticks0 >= 0 && ticks1 >= 0, "the monitor exited during the SSE phase");
    double cpu = (ticks1 - ticks0) / CLK_TCK / secs * 100;
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("clients", clients);
    w.put("seconds", round(secs));
    w.put("cpuPct", round(cpu));
    w.put("eventsPerSecond", round((events1 - events0) / secs));
    w.put("load1", load());
    if (received != null) {
      long[] got = new long[received.length];
      for (int i = 0; i < got.length; i++) {
        got[i] = received[i].get() - before[i];
      }
      w.put("receivedPerClientMin", Arrays.stream(got).min().orElse(0));
      w.put("receivedPerClientMax", Arrays.stream(got).max().orElse(0));
      w.put("receivedTotal", Arrays.stream(got).sum());
    }
    log("window %d clients: %.1f s, monitor CPU %.2f%%, %.1f events/s%s; load %s", clients, secs, cpu,
        (events1 - events0) / secs, received == null ? "" : ", received per client " + w.get("receivedPerClientMin")
            + ".." + w.get("receivedPerClientMax"), load());
    return w;
  }

  // ------------------------------------------------------------------ cycle p50 with and without surfaces (4)

  Map<String, Object> cycles() throws Exception {
    List<Map<String, Object>> runs = new ArrayList<>();
    for (int i = 1; i <= cycleRuns; i++) {
      boolean[] order = i % 2 == 1 ? new boolean[] {true, false} : new boolean[] {false, true};
      for (boolean on : order) {
        String name = "cycle-" + (on ? "on" : "off") + "-" + i;
        Path events = raw.resolve("events-" + name + ".jsonl");
        Monitor m = startMonitor(name, on, events);
        long from = System.currentTimeMillis() + cycleWarmupMs;
        long ticks0 = -1;
        Thread.sleep(cycleWarmupMs);
        ticks0 = ticks(m.pid);
        long t0 = System.nanoTime();
        Thread.sleep(cycleWindowMs);
        double cpu = (ticks(m.pid) - ticks0) / CLK_TCK / ((System.nanoTime() - t0) / 1e9) * 100;
        long to = System.currentTimeMillis();
        m.stop();
        List<Double> p50 = new ArrayList<>();
        List<Double> p95 = new ArrayList<>();
        long cycles = 0;
        for (String line : Files.readAllLines(events)) {
          JsonNode n = JSON.readTree(line);
          if (!"CycleReport".equals(n.path("type").asText())) {
            continue;
          }
          long at = n.path("atMillis").asLong();
          if (at > from + 4000 && at <= to && n.path("cycles").asLong() > 0) { // reports covering the window only
            p50.add(n.path("p50Ms").asDouble());
            p95.add(n.path("p95Ms").asDouble());
            cycles += n.path("cycles").asLong();
          }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("run", name);
        r.put("surfaces", on);
        r.put("reports", p50.size());
        r.put("cycles", cycles);
        r.put("p50Median", round(median(p50)));
        r.put("p50Mean", round(p50.stream().mapToDouble(d -> d).average().orElse(Double.NaN)));
        r.put("p95Median", round(median(p95)));
        r.put("p50s", p50);
        r.put("cpuPct", round(cpu));
        r.put("load1", load());
        runs.add(r);
        log("%s: %d reports, %d cycles, p50 median %.2f ms (per report %s), p95 median %.2f ms, CPU %.1f%%", name,
            p50.size(), cycles, median(p50), p50, median(p95), cpu);
        Thread.sleep(2000);
      }
    }
    List<Double> on = new ArrayList<>();
    List<Double> off = new ArrayList<>();
    for (Map<String, Object> r : runs) {
      @SuppressWarnings("unchecked")
      List<Double> p = (List<Double>) r.get("p50s");
      ((boolean) r.get("surfaces") ? on : off).addAll(p);
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("runs", runs);
    r.put("p50On", round(median(on)));
    r.put("p50Off", round(median(off)));
    r.put("ratio", round(median(on) / median(off)));
    log("cycle p50 (median of report p50s): on %.2f ms, off %.2f ms, ratio %.3f", median(on), median(off),
        median(on) / median(off));
    return r;
  }

  // ------------------------------------------------------------------ monitor processes

  final class Monitor {
    Process process;
    long pid;
    String url;
    double recordedMs;
    double readyMs;
    double cpuMsAtReady;
    String command;

    void stop() throws InterruptedException {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      }
      processes.remove(process);
    }
  }

  Monitor startMonitor(String name, boolean surfaces, Path events) throws Exception {
    Path base = raw.resolve("base-" + name);
    Files.createDirectories(base);
    Path log = raw.resolve(name + ".log");
    List<String> argv = new ArrayList<>(List.of(launcher.toString(), "monitor", "--foreground", "-L",
        fleet.socket(), "--http-port", "0", "--config", (surfaces ? confOn : confOff).toString()));
    if (events != null) {
      Files.deleteIfExists(events);
      argv.addAll(List.of("--events", events.toString()));
    }
    Monitor m = new Monitor();
    m.command = String.join(" ", argv);
    long t0 = System.nanoTime();
    m.process = start(argv, base, log);
    m.pid = m.process.pid();
    long deadline = System.currentTimeMillis() + 60_000;
    Path json = base.resolve("monitor.json");
    if (!surfaces) {
      // no API: ready once it logs that it is monitoring
      while (!Files.readString(log).contains("tmux-orc monitoring")) {
        check(m.process.isAlive(), "monitor " + name + " exited: " + Files.readString(log));
        check(System.currentTimeMillis() < deadline, "monitor " + name + " not up in 60 s");
        Thread.sleep(20);
      }
      m.readyMs = (System.nanoTime() - t0) / 1e6;
      return m;
    }
    while (true) {
      check(m.process.isAlive(), "monitor " + name + " exited: " + Files.readString(log));
      check(System.currentTimeMillis() < deadline, "monitor " + name + " not ready in 60 s");
      if (m.url == null && Files.exists(json)) {
        try {
          JsonNode n = JSON.readTree(json.toFile());
          if (n.path("pid").asLong() == m.pid && !n.path("url").isNull()) {
            m.url = n.path("url").asText().replaceAll("/$", "");
            m.recordedMs = (System.nanoTime() - t0) / 1e6;
            check(m.url.startsWith("http://127.0.0.1:"), "not a loopback URL: " + m.url);
          }
        } catch (IOException e) {
          // being written
        }
      }
      if (m.url != null) {
        try {
          HttpResponse<Void> resp = http.send(HttpRequest.newBuilder(URI.create(m.url + "/health/ready"))
              .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
          if (resp.statusCode() == 200) {
            m.readyMs = (System.nanoTime() - t0) / 1e6;
            m.cpuMsAtReady = ticks(m.pid) * 1000 / CLK_TCK;
            return m;
          }
        } catch (IOException e) {
          // not listening yet
        }
      }
      Thread.sleep(10);
    }
  }

  Process start(List<String> argv, Path base, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().remove("TMUX");
    pb.environment().remove("TMUX_ORC_CONFIG");
    pb.environment().remove("TMUX_ORC_HTTP_TOKEN");
    pb.environment().remove("TMUX_ORC_HTTP_PORT");
    pb.environment().remove("JAVA_OPTS");
    if (!javaOpts.isBlank()) {
      pb.environment().put("JAVA_OPTS", javaOpts);
    }
    pb.environment().put("TMUX_ORCHESTRATOR_BASE_DIR", base.toString());
    pb.environment().put("LANG", "C.UTF-8");
    pb.directory(raw.toFile());
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  /** The daemon `monitor start` left behind in BASE, if any: SIGTERM, then SIGKILL, by its recorded PID. */
  void killDaemon(Path base) {
    try {
      Path pidFile = base.resolve("monitor.pid");
      if (!Files.exists(pidFile)) {
        return;
      }
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      ProcessHandle.of(pid).ifPresent(h -> {
        String cmd = h.info().commandLine().orElse("");
        if (!cmd.contains("tmux-orc") && !cmd.contains("dev.tmuxorc")) {
          return; // not ours (a reused PID)
        }
        h.destroy();
        try {
          h.onExit().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
          h.destroyForcibly();
        }
      });
    } catch (IOException | RuntimeException e) {
      // nothing recorded
    }
  }

  synchronized void cleanup() {
    if (cleaned) {
      return;
    }
    cleaned = true;
    for (Process p : processes) {
      if (p.isAlive()) {
        p.destroy();
        try {
          if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
        }
      }
    }
    daemonBases.forEach(this::killDaemon);
    if (fleet != null) {
      fleet.close();
    }
  }

  // ------------------------------------------------------------------ sampling

  record Sample(long t, String phase, double cpuPct, double rssMb, double tmuxCpuPct, double load1) { }

  final class Sampler implements Runnable {
    final long pid;
    final long tmuxPid;
    final long t0 = System.currentTimeMillis();
    final List<Sample> samples = new CopyOnWriteArrayList<>();
    volatile String phase = "start";
    long lastWall = System.nanoTime();
    long last = -1;
    long lastTmux = -1;

    Sampler(long pid, long tmuxPid) {
      this.pid = pid;
      this.tmuxPid = tmuxPid;
    }

    @Override
    public void run() {
      long now = System.nanoTime();
      long t = ticks(pid);
      long tt = ticks(tmuxPid);
      double secs = (now - lastWall) / 1e9;
      double cpu = last < 0 || t < 0 ? Double.NaN : (t - last) / CLK_TCK / secs * 100;
      double tcpu = lastTmux < 0 || tt < 0 ? Double.NaN : (tt - lastTmux) / CLK_TCK / secs * 100;
      last = t;
      lastTmux = tt;
      lastWall = now;
      double load1 = Double.NaN;
      try {
        load1 = Double.parseDouble(load().split(" ")[0]);
      } catch (RuntimeException e) {
        // no loadavg
      }
      samples.add(new Sample(System.currentTimeMillis() - t0, phase, round(cpu), round(rssMb(pid)), round(tcpu),
          load1));
    }

    Map<String, Object> summary(String onlyPhase) {
      double[] rss = samples.stream().filter(s -> onlyPhase == null || s.phase.equals(onlyPhase))
          .mapToDouble(Sample::rssMb).filter(d -> !Double.isNaN(d)).toArray();
      double[] cpu = samples.stream().filter(s -> onlyPhase == null || s.phase.equals(onlyPhase))
          .mapToDouble(Sample::cpuPct).filter(d -> !Double.isNaN(d)).toArray();
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("phase", onlyPhase == null ? "whole run" : onlyPhase);
      r.put("samples", rss.length);
      r.put("rssMaxMb", round(Arrays.stream(rss).max().orElse(Double.NaN)));
      r.put("rssMeanMb", round(Arrays.stream(rss).average().orElse(Double.NaN)));
      r.put("cpuMeanPct", round(Arrays.stream(cpu).average().orElse(Double.NaN)));
      r.put("cpuMaxPct", round(Arrays.stream(cpu).max().orElse(Double.NaN)));
      return r;
    }
  }

  /** Young + full collections so far (jstat -gcutil: YGC and FGC columns), or -1. */
  static long gcCount(long pid) {
    try {
      String[] lines = run("jstat", "-gcutil", String.valueOf(pid)).split("\n");
      String[] head = lines[0].trim().split("\\s+");
      String[] vals = lines[lines.length - 1].trim().split("\\s+");
      long n = 0;
      for (int i = 0; i < head.length; i++) {
        if (head[i].equals("YGC") || head[i].equals("FGC")) {
          n += Long.parseLong(vals[i]);
        }
      }
      return n;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  static long ticks(long pid) {
    return ProcessSample.ticks(pid);
  }

  static double rssMb(long pid) {
    return ProcessSample.rssMb(pid);
  }

  static double clkTck() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
      return Double.parseDouble(new String(p.getInputStream().readAllBytes()).trim());
    } catch (IOException | RuntimeException e) {
      return 100;
    }
  }

  // ------------------------------------------------------------------ report

  String markdown() {
    StringBuilder b = new StringBuilder();
    @SuppressWarnings("unchecked")
    Map<String, Object> mach = (Map<String, Object>) result.get("machine");
    b.append("# ApiBench: HTTP API, SSE, journal and daemon start-up\n\n");
    b.append("| | |\n| --- | --- |\n");
    mach.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    b.append("| load average at end | ").append(result.get("loadAtEnd")).append(" |\n");
    b.append("| fleet | ").append(result.get("fleet")).append(" |\n");
    b.append("| options | ").append(result.get("options")).append(" |\n\n");
    b.append(targets());
    Object startup = result.get("startup");
    if (startup != null) {
      b.append("## Start-up (target ≤ 2 s)\n\n```\n").append(pretty(startup)).append("\n```\n\n");
    }
    Object api = result.get("api");
    if (api != null) {
      b.append("## Request latency, sequential, one connection (ms; target p99 ≤ 20 ms)\n\n"
          + "Timed by curl; rows marked java by java.net.http.HttpClient, whose own CPU competes with the monitor.\n\n");
      b.append("| path | requests | body bytes | p50 | p95 | p99 | max | load1 |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
      @SuppressWarnings("unchecked")
      Map<String, Object> a = (Map<String, Object>) api;
      for (String path : List.of("/api/agents", "/metrics", "/api/status", "java /api/agents", "java /metrics",
          "java /api/status")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) a.get(path);
        if (r != null) {
          b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", path, r.get("requests"),
              r.get("bodyBytes"), r.get("p50"), r.get("p95"), r.get("p99"), r.get("max"), r.get("load1")));
        }
      }
      b.append("\nRSS of the monitor JVM during the requests: ").append(a.get("rss")).append("\n\n");
    }
    if (result.get("rssWholeRun") != null) {
      b.append("RSS of the main monitor over its whole run (settle, API, SSE): ").append(result.get("rssWholeRun"))
          .append("\n\n");
    }
    Object sse = result.get("sse");
    if (sse != null) {
      b.append("## SSE clients: monitor JVM CPU (% of one core; target extra ≤ 5%)\n\n```\n").append(pretty(sse))
          .append("\n```\n\n");
    }
    Object cycle = result.get("cycle");
    if (cycle != null) {
      b.append("## Cycle p50 with HTTP + journal vs without (target: within 10%)\n\n```\n").append(pretty(cycle))
          .append("\n```\n");
    }
    return b.toString();
  }

  /** The targets against this run's numbers (only those this run measured). */
  @SuppressWarnings("unchecked")
  String targets() {
    StringBuilder b = new StringBuilder("## Targets\n\n| target | measured | met? |\n| --- | --- | --- |\n");
    Map<String, Object> api = (Map<String, Object>) result.get("api");
    if (api != null) {
      for (String path : List.of("/api/agents", "/metrics", "java /api/agents", "java /metrics")) {
        Map<String, Object> r = (Map<String, Object>) api.get(path);
        if (r != null) {
          double p99 = ((Number) r.get("p99")).doubleValue();
          b.append(row(path + (path.startsWith("java") ? "" : " (curl)") + " p99 ≤ 20 ms", p99 + " ms", p99 <= 20));
        }
      }
      double rss = ((Number) ((Map<String, Object>) api.get("rss")).get("rssMaxMb")).doubleValue();
      b.append(row("RSS ≤ 192 MB during the API requests", rss + " MB", rss <= 192));
    }
    Map<String, Object> whole = (Map<String, Object>) result.get("rssWholeRun");
    if (whole != null) {
      double rss = ((Number) whole.get("rssMaxMb")).doubleValue();
      b.append(row("RSS ≤ 192 MB over the main monitor's whole run (SSE clients included)", rss + " MB",
          rss <= 192));
    }
    Map<String, Object> sse = (Map<String, Object>) result.get("sse");
    if (sse != null) {
      double extra = ((Number) sse.get("extraPctOfCore")).doubleValue();
      b.append(row(sseClients + " SSE clients ≤ 5% of a core extra", extra + "% of a core", extra <= 5));
    }
    Map<String, Object> cycle = (Map<String, Object>) result.get("cycle");
    if (cycle != null) {
      double ratio = ((Number) cycle.get("ratio")).doubleValue();
      b.append(row("cycle p50 with HTTP + journal within 10% of without", cycle.get("p50On") + " vs "
          + cycle.get("p50Off") + " ms (ratio " + ratio + ")", ratio <= 1.10));
    }
    Map<String, Object> startup = (Map<String, Object>) result.get("startup");
    if (startup != null) {
      double worstStart = ((List<Map<String, Object>>) startup.get("monitorStart")).stream()
          .mapToDouble(m -> ((Number) m.get("ms")).doubleValue()).max().orElse(Double.NaN);
      double worstReady = ((List<Map<String, Object>>) startup.get("foregroundReady")).stream()
          .mapToDouble(m -> ((Number) m.get("readyMs")).doubleValue()).max().orElse(Double.NaN);
      b.append(row("`monitor start` until it exits (having printed) ≤ 2 s (slowest)", worstStart + " ms",
          worstStart <= 2000));
      b.append(row("process start → /health/ready 200 ≤ 2 s (slowest)", worstReady + " ms", worstReady <= 2000));
    }
    return b.append("\n").toString();
  }

  static String row(String target, String measured, boolean met) {
    return "| " + target + " | " + measured + " | " + (met ? "met" : "**missed**") + " |\n";
  }

  static String pretty(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (IOException e) {
      return String.valueOf(o);
    }
  }

  // ------------------------------------------------------------------ helpers

  static Map<String, Object> stats(double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("p50", round(pct(s, 50)));
    r.put("p95", round(pct(s, 95)));
    r.put("p99", round(pct(s, 99)));
    r.put("max", round(s[s.length - 1]));
    r.put("min", round(s[0]));
    r.put("mean", round(Arrays.stream(s).average().orElse(Double.NaN)));
    return r;
  }

  /** Nearest rank. */
  static double pct(double[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static double median(List<Double> v) {
    if (v.isEmpty()) {
      return Double.NaN;
    }
    double[] s = v.stream().mapToDouble(d -> d).sorted().toArray();
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static double round(double d) {
    return Double.isNaN(d) || Double.isInfinite(d) ? d : Math.round(d * 100) / 100.0;
  }

  static long lines(Path p) {
    try (var s = Files.lines(p)) {
      return s.count();
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static void check(boolean ok, String message) throws IOException {
    if (!ok) {
      throw new IOException(message);
    }
  }

  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, "apibench %s: " + format + "%n",
        prepend(java.time.LocalTime.now().withNano(0).toString(), args));
  }

  static Object[] prepend(Object first, Object[] rest) {
    Object[] all = new Object[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("date", ZonedDateTime.now().toString());
    m.put("nproc", Runtime.getRuntime().availableProcessors());
    m.put("cpuModel", grep("/proc/cpuinfo", "model name"));
    m.put("memory", grep("/proc/meminfo", "MemTotal"));
    m.put("kernel", run("uname", "-r"));
    m.put("java", run("java", "-version").replace('\n', ' '));
    m.put("tmux", run("tmux", "-V"));
    m.put("gitCommit", run("git", "rev-parse", "--short", "HEAD"));
    m.put("loadAtStart", load());
    return m;
  }

  static String grep(String file, String key) {
    try {
      for (String line : Files.readAllLines(Path.of(file))) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // unknown
    }
    return "?";
  }

  static String run(String... argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(10, TimeUnit.SECONDS);
      return s;
    } catch (IOException | InterruptedException e) {
      return "?";
    }
  }
}
