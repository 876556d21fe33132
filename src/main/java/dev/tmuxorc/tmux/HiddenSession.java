package dev.tmuxorc.tmux;

import java.util.OptionalLong;

/**
 * The session a tmux-orc process attaches its control clients to: {@code <prefix>-<pid>}. It lives as long as
 * the process: the supervisor kills it on shutdown, and a later tmux-orc removes the ones whose process is
 * gone (after a SIGKILL). tmux's {@code destroy-unattached} is not used: it destroyed the session while a
 * recycled client was leaving and its replacement was attaching, killing the replacement.
 */
public record HiddenSession(String prefix, long pid) {

  public static HiddenSession ofThisProcess(String prefix) {
    return new HiddenSession(prefix, ProcessHandle.current().pid());
  }

  public String name() {
    return prefix + "-" + pid;
  }

  /** The pid in a hidden session's name, if {@code sessionName} is one of tmux-orc's. */
  public static OptionalLong ownerOf(String sessionName, String prefix) {
    if (!sessionName.startsWith(prefix + "-")) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(sessionName.substring(prefix.length() + 1)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** True when {@code sessionName} is a hidden session whose tmux-orc process no longer runs on this host. */
  public static boolean isOrphan(String sessionName, String prefix) {
    OptionalLong owner = ownerOf(sessionName, prefix);
    return owner.isPresent() && owner.getAsLong() != ProcessHandle.current().pid()
        && ProcessHandle.of(owner.getAsLong()).map(p -> !p.isAlive()).orElse(true);
  }

  /** The command that removes this session. */
  public TmuxCommand kill() {
    return TmuxCommand.of("kill-session", "-t", "=" + name());
  }
}
