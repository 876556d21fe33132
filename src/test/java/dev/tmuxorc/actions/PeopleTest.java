package dev.tmuxorc.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.journal.Journal;
import dev.tmuxorc.json.Json;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** People's channels against a real HTTP server on loopback and a real program. */
class PeopleTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir
  Path dir;
  private HttpServer server;
  private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
  private final AtomicInteger refusals = new AtomicInteger(1); // the first POST gets a 503
  private TestProbe<Journal.Command> journal;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      int status = refusals.getAndDecrement() > 0 ? 503 : 200;
      if (status == 200) {
        bodies.add(body);
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
    journal = testKit.createTestProbe();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private ActorRef<People.Command> people(String hocon) {
    ActionSettings actions = ActionSettings.from(ConfigFactory.parseString("tmux-orc.actions.people { " + hocon
        + " }").withFallback(ConfigFactory.load()).resolve());
    return testKit.spawn(People.create(new People.Parts(actions, new ActionGate(Clock.systemUTC()),
        Optional.of(journal.getRef()), ActionObserver.NONE, Clock.systemUTC())));
  }

  private Map<String, Object> action(String outcome) {
    return ActionTesting.action(journal, outcome, PATIENCE);
  }

  @Test
  void aWebhookGetsSlackCompatibleJsonAndARefusalIsRetried() throws Exception {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    people("webhooks = [\"" + url + "\"]").tell(new People.Notify("escalation", "work", "%3", "claude-1 waits"));
    assertEquals("delivered", action("delivered").get("outcome"));
    assertEquals(1, bodies.size());
    JsonNode body = Json.MAPPER.readTree(bodies.get(0));
    assertEquals("claude-1 waits", body.get("text").asText());
    assertEquals("escalation", body.get("event").asText());
    assertEquals("%3", body.get("paneId").asText());
  }

  @Test
  void theCommandGetsTheTextInItsEnvironmentNeverInItsCommandLine() throws Exception {
    Path out = dir.resolve("out.txt");
    Path marker = dir.resolve("pwned");
    people("command = \"printf '%s|%s|%s' \\\"$TMUX_ORC_EVENT\\\" \\\"$TMUX_ORC_PANE\\\" \\\"$TMUX_ORC_TEXT\\\" > '"
        + out + "'\"").tell(new People.Notify("report", "work", "%4", "a; touch '" + marker + "' $(touch '"
        + marker + "')"));
    action("delivered");
    assertEquals("report|%4|a; touch '" + marker + "' $(touch '" + marker + "')", Files.readString(out));
    assertFalse(Files.exists(marker), "the text ran nothing");
  }

  @Test
  void dryRunTellsNobody() {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    ActionSettings actions = ActionSettings.from(ConfigFactory.parseString("tmux-orc.actions { dry-run = true, "
        + "people.webhooks = [\"" + url + "\"] }").withFallback(ConfigFactory.load()).resolve());
    testKit.spawn(People.create(new People.Parts(actions, new ActionGate(Clock.systemUTC()),
        Optional.of(journal.getRef()), ActionObserver.NONE, Clock.systemUTC())))
        .tell(new People.Notify("report", "work", null, "x"));
    assertTrue(String.valueOf(action("dry-run").get("why")).contains("would have told people"));
    assertEquals(List.of(), bodies);
  }
}
