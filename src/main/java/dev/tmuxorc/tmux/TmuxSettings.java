package dev.tmuxorc.tmux;

import java.time.Duration;

/** How to reach tmux ({@code tmux-orc.tmux}). */
public record TmuxSettings(TmuxServer server, ClientKind client, String hiddenSessionPrefix, Duration commandTimeout,
    Duration backoffMin, Duration backoffMax) {

  /** This process's hidden session: the prefix plus the process id, so that two tmux-orc never share one. */
  public HiddenSession hiddenSession() {
    return HiddenSession.ofThisProcess(hiddenSessionPrefix);
  }

  /**
   * Removes this process's hidden session with one tmux process, once its control clients are closed (in control
   * mode; the process client never makes one). Best effort: tmux may be gone, and the session with it.
   */
  public void removeHiddenSession() {
    if (client == ClientKind.CONTROL) {
      try {
        new ProcessClient(server, Runnable::run).runOne(hiddenSession().kill());
      } catch (RuntimeException e) {
        // tmux is gone, and the session with it
      }
    }
  }
}
