package dev.tmuxorc.cli;

import dev.tmuxorc.json.Json;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.detect.Classifier;
import dev.tmuxorc.detect.Evidence;
import dev.tmuxorc.detect.Observation;
import dev.tmuxorc.detect.PaneFacts;
import dev.tmuxorc.discovery.AgentKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc classify}: the state of one saved screen, with the evidence. */
@Command(name = "classify", mixinStandardHelpOptions = true,
    description = {
        "Classify a saved agent screen (e.g. from `tmux capture-pane -p -t %%3 > screen.txt`) and print its state "
            + "and the evidence: which marker matched, on which line.",
        "Exit status: 0 when classified (whatever the state), 2 when the input cannot be read or the kind is "
            + "unknown."})
final class ClassifyCommand implements Callable<Integer> {

  @ParentCommand
  Main main;

  @Spec
  CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "FILE", description = "The screen to classify; '-' or nothing reads "
      + "standard input.")
  String file;

  @Option(names = "--kind", paramLabel = "KIND", defaultValue = "claude", description = "Agent kind whose markers "
      + "apply: claude, codex, aider, gemini, unknown (default claude).")
  String kind;

  @Option(names = "--json", description = "Print {\"state\": ..., \"evidence\": [...], \"resetAt\": ...}.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Launcher.logLevel(main.global, true);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AgentKind agentKind = AgentKind.fromWireName(kind).orElse(null);
    if (agentKind == null) {
      err.println("tmux-orc: unknown kind '" + kind + "' (expected claude, codex, aider, gemini or unknown)");
      return 2;
    }
    String screen;
    try {
      screen = read();
    } catch (IOException e) {
      err.println("tmux-orc: cannot read " + (file == null || file.equals("-") ? "standard input" : file) + ": "
          + e.getMessage());
      return 2;
    }
    Settings settings = Settings.from(Launcher.config(main.global, Map.of()));
    Observation observation = Classifier.fromConfig(settings.detection())
        .classify(screen, PaneFacts.of(agentKind), ZonedDateTime.now());
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("state", observation.state().wireName());
      result.put("evidence", observation.evidence());
      result.put("resetAt", observation.resetAt().map(Object::toString).orElse(null));
      out.println(Json.PRETTY.writeValueAsString(result));
    } else {
      out.println(observation.state().wireName());
      for (Evidence evidence : observation.evidence()) {
        out.printf("  %s: line %d: %s%n", evidence.rule(), evidence.line(), AgentTable.printable(evidence.text(), 100));
      }
      observation.resetAt().ifPresent(reset -> out.println("  resets at " + reset));
    }
    out.flush();
    return 0;
  }

  private String read() throws IOException {
    if (file == null || file.equals("-")) {
      InputStream in = System.in;
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path path = Path.of(file);
    if (Files.isDirectory(path)) {
      throw new IOException("is a directory");
    }
    return new String(Files.readAllBytes(path), StandardCharsets.UTF_8); // invalid UTF-8 becomes U+FFFD
  }
}
