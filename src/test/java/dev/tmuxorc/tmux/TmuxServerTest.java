package dev.tmuxorc.tmux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The flags that name a tmux server, for tmux-orc's own commands and for people's ({@code /api/status}). */
class TmuxServerTest {

  @Test
  void aSocketNameAPathOrNothing() {
    assertEquals(List.of("-L", "work"), TmuxServer.named("work").selectArgs());
    TmuxServer path = new TmuxServer("tmux", Optional.empty(), Optional.of("/tmp/s"));
    assertEquals(List.of("-S", "/tmp/s"), path.selectArgs());
    assertEquals(List.of(), TmuxServer.defaultServer().selectArgs());
    assertEquals(List.of("tmux", "-S", "/tmp/s", "-N"), path.commandPrefix());
    assertEquals(List.of("tmux", "-N"), TmuxServer.defaultServer().commandPrefix());
  }
}
