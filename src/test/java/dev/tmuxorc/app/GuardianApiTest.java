package dev.tmuxorc.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.json.Json;
import dev.tmuxorc.testing.TestSettings;
import dev.tmuxorc.testing.TmuxServerFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole tree with its surfaces, in-process: {@code Guardian.create} with the journal and the HTTP API that
 * the configuration turns on serves a ready API on a free port, whose {@code /api/status} reports the real
 * agents, pool, caches and journal; stopping the tree removes its hidden tmux session.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang guard only: nothing here asserts on timings
class GuardianApiTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();

  // One kit per test: its shutdown runs CoordinatedShutdown, which unbinds the server.
  private final ActorTestKit testKit = ActorTestKit.create();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void theTreeWithSurfacesServesAReadyApiAndRemovesItsHiddenSessionWhenStopped() throws Exception {
    tmux.session("proj", "claude-1", TmuxServerFixture.IDLE_COMMAND);
    tmux.window("proj", "qa", TmuxServerFixture.IDLE_COMMAND);
    Path journalFile = dir.resolve("journal.db");
    Config config = TestSettings.config(tmux.socket(), Map.of(
        "tmux-orc.journal.path", journalFile.toString(), // absolute: never under the user's base directory
        "tmux-orc.http.port", 0));
    Settings settings = Settings.from(config);
    Guardian.Wiring wiring = Guardian.Wiring.of(settings).withSurfaces(Surfaces.from(config));
    assertTrue(wiring.surfaces().journal().isPresent() && wiring.surfaces().http().isPresent());

    ActorRef<Guardian.Command> guardian = testKit.spawn(Guardian.create(settings, wiring), "guardian");
    URI api = URI.create(wiring.apiUrl().get(30, TimeUnit.SECONDS));
    assertEquals("127.0.0.1", api.getHost());
    assertTrue(api.getPort() > 0, api.toString());

    String hidden = "_tmux-orc-" + ProcessHandle.current().pid();
    await(() -> get(api, "/health/ready").statusCode(), code -> code == 200, "/health/ready 200");
    assertEquals("{\"status\":\"ready\"}", get(api, "/health/ready").body());
    assertTrue(tmux.sessions().contains(hidden), "the pool's clients sit in the hidden session: " + tmux.sessions());

    // A full cycle has run, and the journal has written (entries go to disk at most flush-interval later).
    JsonNode status = await(() -> json(get(api, "/api/status")), s -> s.path("agents").path("total").asInt() == 2
        && s.path("cycles").path("total").asLong() > 0 && s.path("journal").path("written").asLong() > 0,
        "both agents, a cycle and a journal write in /api/status");
    assertTrue(status.path("ready").asBoolean(), status.toString());
    assertFalse(status.path("paused").asBoolean(), status.toString());
    assertEquals("concurrent", status.path("strategy").asText());
    assertTrue(status.path("tmux").asText().contains(tmux.socket()), status.toString());
    assertEquals("[\"-L\",\"" + tmux.socket() + "\"]", status.path("tmuxArgs").toString());

    JsonNode agents = status.path("agents");
    assertEquals(2, agents.path("byRole").path("agent").asInt(), agents.toString());
    assertEquals(2, sum(agents.path("byState")), "every agent in one state: " + agents);
    assertEquals(2, sum(agents.path("byHealth")), "every agent in one health: " + agents);

    JsonNode pool = status.path("pool");
    assertTrue(pool.path("available").asBoolean(), pool.toString());
    assertTrue(pool.path("size").asInt() >= 1 && pool.path("size").asInt() <= settings.monitoring().pool().maxSize(),
        pool.toString());
    assertTrue(pool.path("created").asLong() >= 1 && pool.path("acquisitions").asLong() >= 1, pool.toString());
    assertEquals(0, pool.path("timeouts").asLong(), pool.toString());

    Map<String, JsonNode> caches = new HashMap<>();
    status.path("caches").forEach(layer -> caches.put(layer.path("layer").asText(), layer));
    assertEquals(List.of("agent_status", "pane_content", "session_info"), caches.keySet().stream().sorted().toList(),
        status.path("caches").toString());
    assertEquals(2, caches.get("agent_status").path("size").asLong(), "one status per agent: " + caches);
    for (JsonNode layer : caches.values()) {
      assertTrue(layer.path("size").asLong() <= layer.path("maxSize").asLong(), layer.toString());
      double rate = layer.path("hitRate").asDouble();
      assertTrue(rate >= 0 && rate <= 1, layer.toString());
    }

    JsonNode journal = status.path("journal");
    assertTrue(journal.path("enabled").asBoolean(), journal.toString());
    assertEquals(journalFile.toString(), journal.path("path").asText());
    assertTrue(journal.path("writable").asBoolean(), journal.toString());
    assertTrue(journal.path("lastSeq").asLong() >= 2, "two discoveries at least: " + journal);
    assertTrue(journal.path("entries").asLong() >= 1 && journal.path("sizeBytes").asLong() > 0, journal.toString());
    assertEquals(0, journal.path("writeFailures").asLong(), journal.toString());
    assertTrue(Files.size(journalFile) > 0, "the journal file is " + journalFile);

    // /api/agents agrees with the summary (once the view has published its new order: it may come just after).
    JsonNode listed = await(() -> json(get(api, "/api/agents")), j -> j.size() == 2, "both agents in /api/agents");
    assertEquals(List.of("claude-1", "qa"), List.of(listed.get(0).path("windowName").asText(),
        listed.get(1).path("windowName").asText()), listed.toString());

    // The journal's file, read off the actors: both discoveries, each with its seq first, oldest first.
    JsonNode discovered = await(() -> json(get(api, "/api/journal?type=AgentDiscovered")), j -> j.size() == 2,
        "both discoveries in /api/journal");
    assertEquals("seq", discovered.get(0).fieldNames().next(), discovered.toString());
    assertTrue(discovered.get(0).path("seq").asLong() < discovered.get(1).path("seq").asLong(), discovered.toString());
    String firstPane = discovered.get(0).path("paneId").asText();
    JsonNode ofPane = json(get(api, "/api/journal?newest=true&limit=1&agent=" + firstPane.replace("%", "%25")));
    assertEquals(1, ofPane.size(), ofPane.toString());
    assertEquals(firstPane, ofPane.get(0).path("paneId").asText(), ofPane.toString());
    assertEquals(400, get(api, "/api/journal?since=later").statusCode());

    // A hook event posted for a pane reaches that agent: its session and last event show in the API.
    String pane = listed.get(1).path("paneId").asText();
    HttpResponse<String> hooked = http.send(HttpRequest.newBuilder(api.resolve("/api/hooks/claude"))
        .header("Content-Type", "application/json").header("X-Tmux-Pane", pane)
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"hook_event_name\":\"SessionStart\",\"session_id\":\"s-42\",\"source\":\"startup\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(202, hooked.statusCode(), hooked.body());
    JsonNode hooks = await(() -> json(get(api, "/api/agents/" + pane.replace("%", "%25"))).path("hooks"),
        h -> h.path("events").asLong() == 1, "the agent's hooks in /api/agents");
    assertEquals("s-42", hooks.path("sessionId").asText(), hooks.toString());
    assertEquals("SessionStart", hooks.path("lastEvent").asText(), hooks.toString());

    // Stopping the tree: every child stops, then the guardian's PostStop removes the hidden session.
    testKit.stop(guardian, PATIENCE);
    List<String> sessions = await(tmux::sessions, s -> !s.contains(hidden), "the hidden session removed");
    assertEquals(List.of("proj"), sessions);
  }

  @Test
  void withScreenReuseOffTheStatusListsNoScreenCacheLayer() throws Exception {
    tmux.session("proj", "claude-1", TmuxServerFixture.IDLE_COMMAND);
    Config config = TestSettings.config(tmux.socket(), Map.of("tmux-orc.journal.enabled", false,
        "tmux-orc.http.port", 0, "tmux-orc.monitoring.screen-reuse.enabled", false));
    Settings settings = Settings.from(config);
    Guardian.Wiring wiring = Guardian.Wiring.of(settings).withSurfaces(Surfaces.from(config));
    testKit.spawn(Guardian.create(settings, wiring), "guardian");
    URI api = URI.create(wiring.apiUrl().get(30, TimeUnit.SECONDS));

    JsonNode status = await(() -> json(get(api, "/api/status")), s -> s.path("cycles").path("total").asLong() > 1,
        "two cycles");
    // An unused layer would show 0 lookups forever, and `health` would judge it instead of saying reuse is off.
    List<String> layers = new ArrayList<>();
    status.path("caches").forEach(layer -> layers.add(layer.path("layer").asText()));
    assertFalse(layers.contains("pane_content"), status.path("caches").toString());
    assertEquals(0, status.path("cycles").path("reusedScreens").asLong());
    // and the journal that is turned off says so, with no file, and lists nothing
    assertFalse(status.path("journal").path("enabled").asBoolean(true), status.path("journal").toString());
    assertEquals(0, json(get(api, "/api/journal")).size());
    assertEquals(0, json(get(api, "/api/actions")).size());
  }

  private HttpResponse<String> get(URI api, String path) {
    try {
      return http.send(HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    try {
      return Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      return fail("not JSON: " + response.body());
    }
  }

  private static int sum(JsonNode counts) {
    int total = 0;
    for (JsonNode count : counts) {
      total += count.asInt();
    }
    return total;
  }

  /** Polls {@code value} until {@code done} holds; fails after {@link #PATIENCE} with the last value seen. */
  private static <T> T await(java.util.function.Supplier<T> value, Predicate<T> done, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    T last = value.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        fail("waited " + PATIENCE + " for " + what + "; last seen: " + last);
      }
      Thread.sleep(100);
      last = value.get();
    }
    return last;
  }
}
