package dev.tmuxorc.tmux;

/** Asynchronous control-mode notifications ({@code %exit}, {@code %sessions-changed}, ...) as typed events. */
public sealed interface Notification extends ControlEvent {

  /** The client is being detached: the server or its session went away, or its input was closed. */
  record Exit(String reason) implements Notification { }

  /** A session was created or destroyed. */
  record SessionsChanged() implements Notification { }

  /** The client's own session changed. */
  record SessionChanged(String sessionId, String sessionName) implements Notification { }

  /** A window was closed; {@code unlinked} when it was not linked into the client's session. */
  record WindowClose(String windowId, boolean unlinked) implements Notification { }

  /** A window was added; {@code unlinked} when it is not linked into the client's session. */
  record WindowAdd(String windowId, boolean unlinked) implements Notification { }

  /** A window was renamed; the name is pane-controlled text and must never become a command. */
  record WindowRenamed(String windowId, String name, boolean unlinked) implements Notification { }

  /**
   * The value of a {@code refresh-client -B} format subscription changed. Window, index and pane are
   * "-" for a session-level subscription.
   */
  record SubscriptionChanged(String name, String sessionId, String windowId, String windowIndex, String paneId,
      String value) implements Notification { }

  /** Output a pane printed (only when the client does not use {@code no-output}). */
  record Output(String paneId, String data) implements Notification { }

  /** A pane entered or left a mode such as copy mode. */
  record PaneModeChanged(String paneId) implements Notification { }

  /** A window's layout changed (a pane was added, removed or resized). */
  record LayoutChange(String windowId) implements Notification { }

  /** Any other notification, kept with its raw arguments. */
  record Other(String name, String arguments) implements Notification { }
}
