package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionCommandTest {

  @Test
  void bashCompletesEveryCommandAndTheMonitorsSubcommands() {
    ScanCommandTest.Run run = ScanCommandTest.cli("completion", "bash");
    assertEquals(0, run.status(), run.err());
    for (String word : List.of("scan", "monitor", "classify", "demo", "config", "completion", "start", "stop",
        "status", "logs", "pause", "resume", "restart", "check", "--pool-size", "--http-port")) {
      assertTrue(run.out().contains(word), word);
    }
    assertTrue(run.out().contains("complete -F"), "a bash completion script");
  }

  @Test
  void zshGetsTheBashCompletionEmulationFirst() {
    ScanCommandTest.Run run = ScanCommandTest.cli("completion", "zsh");
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().startsWith(CompletionCommand.ZSH_PREAMBLE), run.out().substring(0, 200));
    assertEquals(2, ScanCommandTest.cli("completion", "fish").status());
  }
}
