/*
 * DashboardBench: the dashboard at N agents in a real browser (issue 11: "fine at 1,000 agents, measure it").
 *
 *   loadtest/dashboard-bench.sh [--agents 1000] [--seconds 60] [--out DIR]
 *
 * (the script builds the test classpath: Selenium and dev.tmuxorc.testing.Browser, headless Debian Chromium).
 * A private tmux server with N fake agents (SimulatedFleet, one in five on a random walk of 4-15 s per state),
 * the monitor started through the launcher (`monitor start`, its own base directory under OUT/raw/), the page
 * opened, then measured from inside the page:
 *   first view   navigation until every agent's row is in the grid; the render that built it
 *   churn        --seconds of live events: events and renders per second, render time p50/p95/max, long tasks
 *                (the main thread busy > 50 ms), event lag (published by the monitor -> handled by the page)
 *   interaction  a text filter typed (until the grid shows the match), the filter cleared, an agent's page opened
 *                (until its screen shows), back to the fleet
 *   memory       the page's JS heap
 * Nothing here asserts a timing; the report (OUT/report.md, OUT/report.json) goes to docs/benchmarks.md by hand.
 * Cleans up by PID: the monitor (`monitor stop`), the browser and its driver, the tmux server.
 */

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tmuxorc.sim.SimulatedFleet;
import dev.tmuxorc.testing.Browser;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

public class DashboardBench {

  int agents = 1000;
  int seconds = 60;
  Path out = Path.of("loadtest", "results", "dashboard-" + Instant.now().toString().substring(0, 10));
  Path launcher = Path.of("target/tmux-orc/bin/tmux-orc").toAbsolutePath();
  SimulatedFleet fleet;
  Path base;
  final Map<String, Object> result = new LinkedHashMap<>();

  public static void main(String[] args) throws Exception {
    DashboardBench bench = new DashboardBench();
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--agents" -> bench.agents = Integer.parseInt(args[i + 1]);
        case "--seconds" -> bench.seconds = Integer.parseInt(args[i + 1]);
        case "--out" -> bench.out = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(bench::cleanup));
    bench.run();
  }

  void run() throws Exception {
    Files.createDirectories(out.resolve("raw"));
    base = out.resolve("raw").resolve("base").toAbsolutePath();
    result.put("date", Instant.now().toString());
    result.put("machine", machine());
    result.put("agents", agents);
    List<SimulatedFleet.Member> members = new ArrayList<>();
    for (int i = 0; i < agents; i++) {
      List<String> options = i % 5 == 0
          ? List.of("--random", "--seed", String.valueOf(i), "--min", "4", "--max", "15")
          : List.of("--state", SimulatedFleet.BENCHMARK_STATES.get(i % SimulatedFleet.BENCHMARK_STATES.size()));
      members.add(new SimulatedFleet.Member("claude-" + i, options));
    }
    fleet = SimulatedFleet.create("tmux", "lt-dash");
    log("fleet: %d agents on tmux -L %s, launching...", agents, fleet.socket());
    fleet.start(members, 10, 120, 40);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String printed = launch(List.of("monitor", "start", "-L", fleet.socket(), "--http-port", String.valueOf(port),
        "--timeout", "120s"));
    log("monitor: %s", printed.lines().findFirst().orElse(""));
    String url = "http://127.0.0.1:" + port + "/";
    Thread.sleep(5000); // let discovery settle: the page should meet the whole fleet

    try (Browser browser = Browser.start(1600, 1000, false)) {
      browser.script("1"); // the session is up
      long t0 = System.nanoTime();
      browser.driver().get(url);
      browser.await(Duration.ofMinutes(2), "every agent on the page", d -> rows(browser) >= agents);
      double firstViewMs = (System.nanoTime() - t0) / 1e6;
      Map<String, Object> first = new LinkedHashMap<>();
      first.put("navigationToAllRowsMs", round(firstViewMs));
      first.put("rows", rows(browser));
      first.put("largestRenderMs", round(((Number) browser.script("return window.tmuxOrc.stats.maxRenderMs")).doubleValue()));
      // where the first view's time went: the page's own load, its first reads of the API
      first.put("page", browser.script("const n = performance.getEntriesByType('navigation')[0];"
          + "return {responseEndMs: n.responseEnd, domContentLoadedMs: n.domContentLoadedEventEnd, loadMs: n.loadEventEnd};"));
      first.put("firstReads", browser.script("return window.tmuxOrc.boot"));
      result.put("firstView", first);
      browser.screenshot("dashboard-" + agents);
      log("first view: %s", first);

      // churn: what the page does while the fleet moves
      browser.script("window.__long = []; new PerformanceObserver(l => l.getEntries().forEach(e => "
          + "window.__long.push(e.duration))).observe({type: 'longtask'});"
          + "window.__t0 = {events: window.tmuxOrc.events, renders: window.tmuxOrc.stats.renders, at: performance.now(),"
          + " r: window.tmuxOrc.stats.renderMs.length, lag: window.tmuxOrc.stats.eventLagMs.length};"
          + "window.tmuxOrc.stats.renderMs.length = 0; window.tmuxOrc.stats.eventLagMs.length = 0;");
      Thread.sleep(seconds * 1000L);
      @SuppressWarnings("unchecked")
      Map<String, Object> churn = (Map<String, Object>) browser.script(
          "const s = window.tmuxOrc.stats, t = window.__t0, secs = (performance.now() - t.at) / 1000;"
          + "const pct = (a, q) => { const v = a.slice().sort((x, y) => x - y); return v.length ? v[Math.min(v.length - 1,"
          + " Math.ceil(q * v.length) - 1)] : 0; };"
          + "return {seconds: secs, events: window.tmuxOrc.events - t.events, eventsPerSecond: (window.tmuxOrc.events - t.events) / secs,"
          + " renders: s.renders - t.renders, renderP50Ms: pct(s.renderMs, .5), renderP95Ms: pct(s.renderMs, .95),"
          + " renderMaxMs: pct(s.renderMs, 1), longTasks: window.__long.length,"
          + " longTaskTotalMs: window.__long.reduce((a, b) => a + b, 0), longTaskMaxMs: pct(window.__long, 1),"
          + " eventLagP50Ms: pct(s.eventLagMs, .5), eventLagP95Ms: pct(s.eventLagMs, .95), stateChanges: s.eventLagMs.length};");
      result.put("churn", churn);
      log("churn: %s", churn);

      // interaction: a filter typed, cleared; an agent's page and back
      Map<String, Object> interaction = new LinkedHashMap<>();
      interaction.put("filterMs", timed(browser, "document.getElementById('filter-text').value = 'claude-5';"
          + "document.getElementById('filter-text').dispatchEvent(new Event('input'));",
          "document.querySelectorAll('#grid tr[data-pane]').length < " + agents));
      interaction.put("filteredRows", rows(browser));
      interaction.put("clearFilterMs", timed(browser, "document.getElementById('filter-text').value = '';"
          + "document.getElementById('filter-text').dispatchEvent(new Event('input'));",
          "document.querySelectorAll('#grid tr[data-pane]').length >= " + agents));
      interaction.put("openAgentMs", timed(browser, "location.hash = document.querySelector('#grid a.agent-link')"
          + ".getAttribute('href');", "document.getElementById('screen').textContent.length > 0"));
      interaction.put("backToFleetMs", timed(browser, "location.hash = '#/';",
          "!document.getElementById('fleet-page').hidden && document.querySelectorAll('#grid tr[data-pane]').length >= "
          + agents));
      result.put("interaction", interaction);
      log("interaction: %s", interaction);
      result.put("jsHeapMb", round(((Number) browser.script(
          "return performance.memory ? performance.memory.usedJSHeapSize / 1048576 : -1")).doubleValue()));
    }
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(out.resolve("report.json"), json.writeValueAsString(result));
    Files.writeString(out.resolve("report.md"), "# DashboardBench\n\n```\n" + json.writeValueAsString(result) + "\n```\n");
    log("report: %s", out.resolve("report.md"));
  }

  // Runs `action` in the page and waits there (polling each frame) until `done` holds; answers the milliseconds.
  static double timed(Browser browser, String action, String done) {
    Object ms = ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeAsyncScript(
        "const callback = arguments[arguments.length - 1]; const t0 = performance.now();" + action
        + "const check = () => (" + done + ") ? callback(performance.now() - t0) : requestAnimationFrame(check);"
        + "requestAnimationFrame(check);");
    return round(((Number) ms).doubleValue());
  }

  static long rows(Browser browser) {
    return ((Number) browser.script("return document.querySelectorAll('#grid tr[data-pane]').length")).longValue();
  }

  String launch(List<String> args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of(launcher.toString()));
    argv.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().remove("TMUX");
    pb.environment().remove("TMUX_ORC_HTTP_TOKEN");
    pb.environment().put("TMUX_ORCHESTRATOR_BASE_DIR", base.toString());
    Process p = pb.start();
    String printed = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("tmux-orc " + args + " failed: " + printed);
    }
    return printed;
  }

  synchronized void cleanup() {
    try {
      if (base != null && Files.exists(base.resolve("monitor.pid"))) {
        launch(List.of("monitor", "stop", "--timeout", "30s"));
      }
    } catch (Exception e) {
      log("monitor stop: %s", e.getMessage());
    }
    if (fleet != null) {
      fleet.close();
      fleet = null;
    }
  }

  static Map<String, Object> machine() throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nproc", Runtime.getRuntime().availableProcessors());
    m.put("load", Files.readString(Path.of("/proc/loadavg")).trim());
    m.put("java", System.getProperty("java.vm.version"));
    return m;
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  static void log(String format, Object... args) {
    System.out.printf("dashboardbench %s: %s%n", java.time.LocalTime.now().withNano(0), String.format(format, args));
  }
}
