package dev.tmuxorc.tmux;

/** One unit of control-mode output: a reply block or a notification. */
public sealed interface ControlEvent permits ControlEvent.ReplyBlock, Notification {

  /**
   * A {@code %begin ... %end} (or {@code %error}) block; {@code text} is its body, lines joined with newlines.
   * {@code flags} is 1 for replies to commands this client sent and 0 for blocks tmux produced itself (the
   * attach command).
   */
  record ReplyBlock(long time, long number, int flags, boolean ok, String text) implements ControlEvent {

    public boolean sentByClient() {
      return (flags & 1) != 0;
    }

    public Reply toReply() {
      return new Reply(ok, text);
    }
  }
}
