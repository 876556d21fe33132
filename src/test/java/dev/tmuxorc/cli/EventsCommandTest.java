package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.agent.Health;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.detect.Evidence;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.Pane;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.discovery.Role;
import dev.tmuxorc.fleet.FleetSample;
import dev.tmuxorc.journal.JournalEntry;
import dev.tmuxorc.journal.JournalStore;
import dev.tmuxorc.json.Json;
import dev.tmuxorc.monitor.CycleReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tmux-orc events} against a journal file written by JournalStore, run the way a user runs it. */
class EventsCommandTest {

  @TempDir
  Path dir;

  private Path journal;
  private Path config;
  private final Instant now = Instant.now();

  @BeforeEach
  void configure() throws Exception {
    journal = dir.resolve("base/journal.db");
    config = Files.writeString(dir.resolve("test.conf"), "tmux-orc.journal.path = \"" + journal + "\"\n");
  }

  private static AgentPane agent(String paneId, int window) {
    return new AgentPane(new Pane(new PaneId(paneId), "$1", "work", window, "claude-" + window, 0, 100 + window, "claude", false,
        OptionalInt.empty(), Instant.EPOCH, ""), Role.AGENT, AgentKind.CLAUDE);
  }

  private static JournalEntry entry(long seq, Object event, Instant at) throws Exception {
    String paneId = event instanceof AgentEvent e ? e.agent().paneId().value() : null;
    return new JournalEntry(seq, at, Json.type(event), paneId, Json.MAPPER.writeValueAsString(Json.of(event)));
  }

  /** Six entries: %3 discovered an hour ago, then in the last minutes state, health, a report, an action, gone. */
  private void writeJournal() throws Exception {
    Instant old = now.minus(Duration.ofHours(1));
    Instant recent = now.minus(Duration.ofMinutes(2));
    try (JournalStore store = JournalStore.open(journal)) {
      store.append(List.of(
          entry(1, new AgentEvent.AgentDiscovered(agent("%3", 1), old), old),
          entry(2, new AgentEvent.StateChanged(agent("%3", 1), AgentState.WORKING, AgentState.IDLE,
              List.of(new Evidence("idle-prompt", "box", 40, "│ >   │")), Optional.empty(), recent), recent),
          entry(3, new AgentEvent.HealthChanged(agent("%4", 2), Health.HEALTHY, Health.WARNING, recent), recent),
          entry(4, new CycleReport(recent, "event", 2, 10, 8.7, 14.3, 14.3, 14.3, 4.9, 8.7, 30, 1, 12), recent),
          new JournalEntry(5, recent, "ActionTaken", "%4", "{\"type\":\"ActionTaken\",\"paneId\":\"%4\","
              + "\"action\":\"restart\",\"reason\":\"crashed\"}"),
          entry(6, new AgentEvent.AgentGone(agent("%4", 2), recent), recent)));
    }
  }

  private ScanCommandTest.Run events(String... args) {
    List<String> all = new ArrayList<>(List.of("events", "-c", config.toString()));
    all.addAll(Arrays.asList(args));
    return ScanCommandTest.cli(all.toArray(String[]::new));
  }

  /** The SEQ column of a table's lines (the header left out). */
  private static List<Long> seqs(String table) {
    return table.lines().skip(1).map(line -> Long.parseLong(line.substring(21, 27).strip())).toList();
  }

  @Test
  void withoutAJournalItSaysWhereItLookedAndHowToGetOne() {
    ScanCommandTest.Run run = events();
    assertEquals(1, run.status());
    assertTrue(run.err().contains(journal.toString()), run.err());
    assertTrue(run.err().contains("tmux-orc monitor"), run.err());
    assertFalse(Files.exists(journal), "reading never creates the file");
  }

  @Test
  void theTableShowsTimeSeqTypePaneTargetAndASummary() throws Exception {
    writeJournal();
    ScanCommandTest.Run run = events();
    assertEquals(0, run.status(), run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(7, lines.size(), run.out());
    assertTrue(lines.get(0).startsWith("TIME"), lines.get(0));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), seqs(run.out()));
    String state = lines.get(2);
    assertTrue(state.contains("StateChanged") && state.contains("%3") && state.contains("work:1.0")
        && state.contains("working -> idle (idle-prompt: │ >   │)"), state);
    assertTrue(lines.get(1).contains("claude agent, window 'claude-1'"), lines.get(1));
    assertTrue(lines.get(3).contains("health healthy -> warning"), lines.get(3));
    assertTrue(lines.get(4).contains("2 agents, 10 cycles, p50 8.7 ms, p95 14.3 ms, 30 captures (1 failed), 12 reused"),
        lines.get(4));
    assertTrue(lines.get(5).contains("action=restart reason=crashed"), lines.get(5));
    assertTrue(lines.get(6).contains("AgentGone") && lines.get(6).endsWith("gone"), lines.get(6));
  }

  @Test
  void actionsPrintsTheActionEntriesOnly() throws Exception {
    writeJournal();
    try (JournalStore store = JournalStore.open(journal)) {
      store.append(List.of(new JournalEntry(7, now, "Action", "%0", "{\"type\":\"Action\",\"paneId\":\"%0\","
          + "\"action\":\"pm-report\",\"outcome\":\"deferred\",\"why\":\"the PM is working\","
          + "\"session\":\"work\"}")));
    }
    ScanCommandTest.Run run = ScanCommandTest.cli("actions", "-c", config.toString());
    assertEquals(0, run.status(), run.err());
    assertEquals(List.of(7L), seqs(run.out()));
    assertTrue(run.out().contains("pm-report deferred: the PM is working"), run.out());
  }

  @Test
  void fleetSamplesAreTypeFleetWithTheirCounts() throws Exception {
    writeJournal();
    Map<String, Integer> byState = new LinkedHashMap<>();
    for (AgentState state : AgentState.values()) {
      byState.put(state.wireName(), state == AgentState.WORKING ? 3 : state == AgentState.WAITING ? 1 : 0);
    }
    FleetSample sample = new FleetSample(now, 4, byState, Map.of("healthy", 4), 1);
    try (JournalStore store = JournalStore.open(journal)) {
      store.append(List.of(entry(7, sample, now)));
    }
    ScanCommandTest.Run run = events("--type", "fleet");
    assertEquals(0, run.status(), run.err());
    assertEquals(List.of(7L), seqs(run.out()));
    assertTrue(run.out().contains("FleetSample") && run.out().contains("4 agents, 1 need attention: working 3, "
        + "waiting 1"), run.out());
  }

  @Test
  void filtersByTypeAgentTimeAndCount() throws Exception {
    writeJournal();
    assertEquals(List.of(2L), seqs(events("--type", "state").out()));
    assertEquals(List.of(2L, 3L), seqs(events("--type", "STATECHANGED,health").out()));
    assertEquals(List.of(2L, 4L), seqs(events("--type", "state", "--type", "report").out()));
    assertEquals(List.of(5L), seqs(events("--type", "actiontaken").out()), "a type the journal holds");
    assertEquals(List.of(1L, 2L), seqs(events("--agent", "%3").out()));
    assertEquals(List.of(1L, 2L, 3L, 5L, 6L), seqs(events("--agent", "%3,%4").out()));
    assertEquals(List.of(2L, 3L, 4L, 5L, 6L), seqs(events("--since", "10m").out()));
    assertEquals(List.of(2L, 3L, 4L, 5L, 6L), seqs(events("--since", now.minus(Duration.ofMinutes(30)).toString())
        .out()));
    assertEquals(List.of(5L, 6L), seqs(events("--limit", "2").out()), "the last ones");
    assertEquals(List.of(5L, 6L), seqs(events("-n", "2", "--agent", "%4").out()));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), seqs(events("--limit", "0").out()));
    ScanCommandTest.Run none = events("--agent", "%9");
    assertEquals(0, none.status());
    assertTrue(none.out().startsWith("no entries match"), none.out());
  }

  @Test
  void jsonLinesAreTheStoredEventsWithTheirSeq() throws Exception {
    writeJournal();
    ScanCommandTest.Run run = events("--json", "--type", "state,gone");
    assertEquals(0, run.status(), run.err());
    List<JsonNode> lines = new ArrayList<>();
    for (String line : run.out().lines().toList()) {
      lines.add(Json.MAPPER.readTree(line));
    }
    assertEquals(2, lines.size(), run.out());
    JsonNode state = lines.get(0);
    assertEquals(2, state.get("seq").asLong());
    assertEquals("seq", state.fieldNames().next(), "seq comes first");
    assertEquals("StateChanged", state.get("type").asText());
    assertEquals("working", state.get("from").asText());
    assertEquals("idle", state.get("to").asText());
    assertEquals("%3", state.get("paneId").asText());
    assertEquals("idle-prompt", state.get("evidence").get(0).get("rule").asText());
    assertEquals(6, lines.get(1).get("seq").asLong());
    assertEquals("AgentGone", lines.get(1).get("type").asText());
  }

  @Test
  void badOptionsExitWithTwoAndSayWhy() throws Exception {
    writeJournal();
    ScanCommandTest.Run agent = events("--agent", "3");
    assertEquals(2, agent.status());
    assertTrue(agent.err().contains("'3' is not a tmux pane id"), agent.err());
    ScanCommandTest.Run type = events("--type", "stat");
    assertEquals(2, type.status());
    assertTrue(type.err().contains("unknown event type 'stat'") && type.err().contains("StateChanged"), type.err());
    ScanCommandTest.Run since = events("--since", "yesterday");
    assertEquals(2, since.status());
    assertTrue(since.err().contains("'yesterday' is neither a duration"), since.err());
    assertEquals(2, events("--limit", "-1").status());
  }

  @Test
  void sinceTakesDurationsAndTimes() {
    Instant t = Instant.parse("2026-11-30T10:00:00Z");
    ZoneId utc = ZoneId.of("UTC");
    assertEquals(t.minusSeconds(30), EventsCommand.SinceConverter.parse("30s", t, utc));
    assertEquals(t.minus(Duration.ofMinutes(90)), EventsCommand.SinceConverter.parse("1h30m", t, utc));
    assertEquals(t.minus(Duration.ofDays(8)), EventsCommand.SinceConverter.parse("1w1d", t, utc));
    assertEquals(Instant.parse("2026-11-30T08:00:00Z"),
        EventsCommand.SinceConverter.parse("2026-11-30T09:00:00+01:00", t, utc));
    assertEquals(Instant.parse("2026-11-30T09:15:00Z"), EventsCommand.SinceConverter.parse("2026-11-30 09:15", t, utc));
    assertEquals(Instant.parse("2026-11-30T00:00:00Z"), EventsCommand.SinceConverter.parse("2026-11-30", t, utc));
  }

  @Test
  void followPrintsNewEntriesAsTheyAreWrittenUntilInterrupted() throws Exception {
    writeJournal();
    CommandLine commandLine = Main.commandLine();
    StringWriter out = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(new StringWriter()));
    AtomicInteger status = new AtomicInteger(-1);
    Thread follower = new Thread(() -> status.set(commandLine.execute("events", "-c", config.toString(),
        "--follow", "--type", "state", "--limit", "1")));
    follower.start();
    try {
      awaitOutput(out, 2); // header and the last state change
      try (JournalStore store = JournalStore.open(journal)) {
        Instant at = Instant.now();
        store.append(List.of(
            entry(7, new AgentEvent.HealthChanged(agent("%3", 1), Health.HEALTHY, Health.WARNING, at), at),
            entry(8, new AgentEvent.StateChanged(agent("%3", 1), AgentState.IDLE, AgentState.WORKING, List.of(),
                Optional.empty(), at), at)));
      }
      awaitOutput(out, 3);
    } finally {
      follower.interrupt();
      follower.join(10_000);
    }
    assertEquals(0, status.get());
    assertEquals(List.of(2L, 8L), seqs(out.toString()), out.toString());
    assertTrue(out.toString().contains("idle -> working"), out.toString());
  }

  private static void awaitOutput(StringWriter out, int lines) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (out.toString().lines().count() < lines && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(lines, out.toString().lines().count(), out.toString());
  }
}
