package dev.tmuxorc.cli;

import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.journal.JournalEntry;
import dev.tmuxorc.journal.JournalSettings;
import dev.tmuxorc.journal.JournalStore;
import dev.tmuxorc.journal.Since;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc events}: prints (and follows) the journal, read straight from its file. */
@Command(name = "events", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Print the journal of agent events (discovered, state and health changes, gone), cycle reports, fleet "
            + "samples and actions, oldest first: by default the last 100 entries as a table.",
        "Reads the journal file directly (tmux-orc.journal.path, default ~/.tmux-orchestrator/journal.db or "
            + "$TMUX_ORCHESTRATOR_BASE_DIR/journal.db), read-only: works whether or not a monitor is running. "
            + "`tmux-orc monitor` writes it.",
        "Exit status: 0 ok, 1 no journal or an unreadable one, 2 bad usage or configuration.",
        ""},
    footer = {"", "Examples:",
        "  tmux-orc events --since 10m                    the last ten minutes",
        "  tmux-orc events --agent %%3 --type state -n 5   the last 5 state changes of %%3",
        "  tmux-orc events --type state,health -f         state and health changes, live",
        "  tmux-orc events --since 2026-11-30 --json | jq -c '{seq, paneId, to}'"})
class EventsCommand implements Callable<Integer> {

  /** Short names for --type. */
  static final Map<String, String> ALIASES = Map.ofEntries(Map.entry("state", "StateChanged"),
      Map.entry("health", "HealthChanged"), Map.entry("discovered", "AgentDiscovered"), Map.entry("gone", "AgentGone"),
      Map.entry("cycle", "CycleReport"), Map.entry("report", "CycleReport"), Map.entry("hook", "HookReceived"),
      Map.entry("flag", "FlagChanged"), Map.entry("disagreement", "SignalsDisagreed"),
      Map.entry("restarted", "AgentRestarted"), Map.entry("action", "Action"), Map.entry("fleet", "FleetSample"));
  /** Every type the journal holds: each agent event's record name, the cycle report, the fleet sample, actions. */
  static final List<String> KNOWN_TYPES = java.util.stream.Stream.concat(
      java.util.Arrays.stream(dev.tmuxorc.agent.AgentEvent.class.getPermittedSubclasses()).map(Class::getSimpleName),
      java.util.stream.Stream.of("CycleReport", "FleetSample", "Action")).toList();
  private static final Duration FOLLOW_INTERVAL = Duration.ofMillis(500);
  /** Entries printed per poll at most while following, so that a burst is printed in pieces. */
  private static final int FOLLOW_BATCH = 1_000;

  @ParentCommand
  Main main;

  @Spec
  CommandSpec spec;

  @Option(names = "--since", paramLabel = "WHEN", converter = SinceConverter.class,
      description = "Only entries from this long ago (30s, 10m, 2h, 1d, 1w, 1h30m) or since this time "
          + "(2026-11-30T08:00:00Z, or local: 2026-11-30T09:00, 2026-11-30).")
  Instant since;

  @Option(names = "--agent", paramLabel = "%N", split = ",", converter = PaneIdConverter.class,
      description = "Only entries about this pane (a tmux pane id like %%3). Repeatable or comma-separated.")
  List<PaneId> agents = new ArrayList<>();

  @Option(names = "--type", paramLabel = "TYPE", split = ",",
      description = "Only entries of this type, case-insensitive: StateChanged (state), HealthChanged (health), "
          + "AgentDiscovered (discovered), AgentGone (gone), HookReceived (hook), FlagChanged (flag: stalled, "
          + "hooks silent), SignalsDisagreed (disagreement), AgentRestarted (restarted), CycleReport (cycle, "
          + "report), FleetSample (fleet: agents by state at each cycle report), Action (action), or any type "
          + "the journal holds. Repeatable or comma-separated.")
  List<String> types = new ArrayList<>();

  @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "100",
      description = "Print the last N matching entries (default: ${DEFAULT-VALUE}; 0 = all of them).")
  int limit;

  @Option(names = {"-f", "--follow"},
      description = "Keep printing new entries as they are written (the file is polled twice a second) until "
          + "Ctrl-C.")
  boolean follow;

  @Option(names = "--json", description = "Print one JSON object per line: the stored event with its seq.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (limit < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be 0 or more, got " + limit);
    }
    Path file = JournalSettings.from(Launcher.config(main.global, Map.of())).file(BaseDir.current());
    if (!Files.isRegularFile(file)) {
      err.println("tmux-orc: no journal at " + file + ". `tmux-orc monitor` writes it (tmux-orc.journal.enabled, "
          + "on by default): run the monitor first, or point tmux-orc.journal.path (-c FILE) or "
          + "$TMUX_ORCHESTRATOR_BASE_DIR at an existing journal.");
      err.flush();
      return 1;
    }
    try (JournalStore store = JournalStore.openReadOnly(file)) {
      Optional<Set<String>> typeNames = resolveTypes(store, err);
      if (typeNames.isEmpty()) {
        return 2;
      }
      Set<String> typeSet = typeNames.get();
      ZoneId zone = ZoneId.systemDefault();
      // Read the end first: what is written meanwhile is left for --follow, never printed twice.
      long printed = store.lastSeq();
      List<JournalEntry> entries = store.query(matching(JournalStore.Filter.latest(limit), typeSet)
          .before(printed + 1));
      if (!json && (follow || !entries.isEmpty())) {
        out.println(EntryLine.HEADER);
      }
      print(entries, out, zone);
      if (!follow && entries.isEmpty() && !json) {
        boolean filtered = since != null || !agents.isEmpty() || !typeSet.isEmpty();
        out.println("no entries " + (filtered ? "match" : "yet") + " in " + file);
      }
      out.flush();
      while (follow) {
        Thread.sleep(FOLLOW_INTERVAL.toMillis());
        long last = Math.min(store.lastSeq(), printed + FOLLOW_BATCH);
        if (last > printed) {
          print(store.query(matching(JournalStore.Filter.after(printed, 0), typeSet).before(last + 1)), out, zone);
          printed = last;
          out.flush();
        }
      }
      return 0;
    } catch (InterruptedException e) {
      return 0;
    } catch (SQLException e) {
      err.println("tmux-orc: cannot read the journal " + file + ": " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  /** The filter with the options' conditions. */
  private JournalStore.Filter matching(JournalStore.Filter filter, Set<String> typeNames) {
    JournalStore.Filter matching = filter.types(typeNames).panes(agents.stream().map(PaneId::value).toList());
    return since == null ? matching : matching.since(since);
  }

  private void print(List<JournalEntry> entries, PrintWriter out, ZoneId zone) {
    for (JournalEntry entry : entries) {
      out.println(json ? EntryLine.json(entry) : EntryLine.table(entry, zone));
    }
  }

  /** The exact type names asked for; empty (after a message) when one is unknown. */
  private Optional<Set<String>> resolveTypes(JournalStore store, PrintWriter err) throws SQLException {
    Set<String> resolved = new LinkedHashSet<>();
    List<String> known = new ArrayList<>(KNOWN_TYPES);
    if (!types.isEmpty()) {
      store.types().stream().filter(t -> !known.contains(t)).forEach(known::add);
    }
    for (String asked : types) {
      String name = asked.strip();
      String alias = ALIASES.get(name.toLowerCase(Locale.ROOT));
      Optional<String> type = alias != null ? Optional.of(alias)
          : known.stream().filter(k -> k.equalsIgnoreCase(name)).findFirst();
      if (type.isEmpty()) {
        err.println("tmux-orc: unknown event type '" + name + "' (known: " + String.join(", ", known)
            + "; short: " + String.join(", ", new java.util.TreeSet<>(ALIASES.keySet())) + ")");
        err.flush();
        return Optional.empty();
      }
      resolved.add(type.get());
    }
    return Optional.of(resolved);
  }

  /** {@code --since}: a duration back from now (units s, m, h, d, w, combinable), or a point in time. */
  static final class SinceConverter implements CommandLine.ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
      return parse(value, Instant.now(), ZoneId.systemDefault());
    }

    static Instant parse(String value, Instant now, ZoneId zone) {
      try {
        return Since.parse(value, now, zone);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code --agent}: a tmux pane id. */
  static final class PaneIdConverter implements CommandLine.ITypeConverter<PaneId> {
    @Override
    public PaneId convert(String value) {
      return PaneId.parse(value.strip()).orElseThrow(() -> new CommandLine.TypeConversionException(
          "'" + value + "' is not a tmux pane id (% and digits, e.g. %3; `tmux-orc scan` lists them)"));
    }
  }
}
