package dev.tmuxorc.monitor;

/**
 * Whether the monitor is ready (tmux reachable and the first discovery done), readable from any thread: the
 * health endpoint asks it on every probe, without a message.
 */
public final class Readiness {

  private volatile boolean discovered;
  private volatile String problem = "the first discovery has not finished yet";

  void discovered() {
    discovered = true;
    problem = null;
  }

  void failed(String reason) {
    problem = "tmux is not reachable: " + reason;
  }

  public boolean ready() {
    return discovered && problem == null;
  }

  /** Why not ready; null when ready. */
  public String problem() {
    return problem;
  }
}
