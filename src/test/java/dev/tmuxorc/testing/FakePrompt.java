package dev.tmuxorc.testing;

import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A pane running a Claude-like prompt (src/test/resources/agents/fake-prompt.py) that records every text submitted
 * to it: what the actions' tests type into, and count.
 */
public final class FakePrompt {

  private static final Path SCRIPT = Path.of("src", "test", "resources", "agents", "fake-prompt.py")
      .toAbsolutePath();

  private final PaneId pane;
  private final Path log;

  private FakePrompt(PaneId pane, Path log) {
    this.pane = pane;
    this.log = log;
  }

  /** Opens it in a new window of {@code session} and waits until its prompt is drawn. */
  public static FakePrompt open(TmuxServerFixture tmux, String session, String window, Path log, String... options)
      throws InterruptedException {
    String command = command(log, options);
    PaneId pane = new PaneId(tmux.window(session, window, command));
    for (int i = 0; i < 100 && !tmux.capture(pane.value()).contains("? for shortcuts"); i++) {
      Thread.sleep(50);
    }
    return new FakePrompt(pane, log);
  }

  /** The command line that runs the fake prompt (a recovery command, say), its arguments quoted for sh. */
  public static String command(Path log, String... options) {
    return "exec python3 " + quoted(SCRIPT.toString()) + " " + quoted(log.toString()) + " "
        + java.util.Arrays.stream(options).map(FakePrompt::quoted).collect(java.util.stream.Collectors.joining(" "));
  }

  /** One word for sh, whatever it holds. */
  static String quoted(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  public PaneId pane() {
    return pane;
  }

  /** Every text submitted so far, in order. */
  public List<String> submitted() {
    if (!Files.exists(log)) {
      return List.of();
    }
    try {
      return Files.readAllLines(log).stream().map(line -> {
        try {
          return Json.MAPPER.readTree(line).get("text").asText();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code count} texts were submitted (or {@code patience} passed), then returns them all. */
  public List<String> awaitSubmitted(int count, Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (submitted().size() < count && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    return submitted();
  }
}
