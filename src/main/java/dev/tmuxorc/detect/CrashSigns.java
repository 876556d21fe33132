package dev.tmuxorc.detect;

import com.typesafe.config.Config;
import java.util.Optional;
import java.util.Set;

/**
 * Screen signs that the agent process is gone: a shell prompt or a crash message below the agent's last frame.
 *
 * <p>Only what comes after the agent UI counts: transcript text such as "Segmentation fault" or "killed" above a
 * live prompt is the agent reporting, not the agent dying.
 */
record CrashSigns(MarkerSet shellPrompt, MarkerSet crashText, Set<String> shellCommands) {

  static CrashSigns fromConfig(Config detection, String where) {
    return new CrashSigns(
        MarkerSet.fromConfig(detection, "shell-prompt", where),
        MarkerSet.fromConfig(detection, "crash-text", where),
        Set.copyOf(detection.getStringList("shell-commands")));
  }

  /**
   * Crash evidence, strongest first: crash text below the agent UI (says why it died), a shell in the foreground
   * after the agent UI was on screen (tmux's fact), a shell prompt as the last line (a pattern).
   */
  Optional<Evidence> find(Screen screen, KindMarkers markers, String currentCommand, int liveRegionLines) {
    int last = screen.size() - 1;
    int stop = Math.max(0, screen.size() - liveRegionLines);
    for (int i = last; i >= stop; i--) {
      String line = screen.line(i);
      if (markers.isAgentUi(line)) {
        break;
      }
      Optional<Marker> crash = crashText.firstIn(line);
      if (crash.isPresent()) {
        return Optional.of(screen.evidence("crash-text", crash.get().source(), i));
      }
    }
    String lastLine = screen.line(last);
    if (markers.isAgentUi(lastLine)) {
      return Optional.empty();
    }
    // A fancy prompt may match no pattern, but a shell in the foreground after the agent UI was on screen means
    // the agent returned to it; with no agent UI yet it may just be launching.
    if (isShell(currentCommand) && hasAgentUi(screen, markers)) {
      return Optional.of(screen.evidence("shell-foreground", currentCommand, last));
    }
    if (isFooter(screen, markers, last)) {
      return Optional.empty();
    }
    return shellPrompt.firstIn(lastLine).map(prompt -> screen.evidence("shell-prompt", prompt.source(), last));
  }

  // A custom status line may look like a shell prompt ("~/p main ❯"); under a framed prompt it hangs right below
  // the frame, while a shell prints its prompt after the agent's last frame and a blank line or its own output.
  private static boolean isFooter(Screen screen, KindMarkers markers, int last) {
    if (!markers.framed()) {
      return false;
    }
    for (int i = last - 1; i >= 0 && last - i <= markers.promptTailLines() + 1 && !screen.isBlank(i); i--) {
      if (markers.frame().foundIn(screen.line(i))) {
        return true;
      }
    }
    return false;
  }

  private boolean isShell(String currentCommand) {
    if (currentCommand == null || currentCommand.isBlank()) {
      return false;
    }
    String name = currentCommand.strip();
    name = name.substring(name.lastIndexOf('/') + 1);
    // login shells show as "-bash"
    return shellCommands.contains(name.startsWith("-") ? name.substring(1) : name);
  }

  private static boolean hasAgentUi(Screen screen, KindMarkers markers) {
    for (int i = 0; i < screen.size(); i++) {
      if (markers.isAgentUi(screen.line(i))) {
        return true;
      }
    }
    return false;
  }
}
