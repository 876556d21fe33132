package dev.tmuxorc.actions;

import dev.tmuxorc.detect.Classifier;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.tmux.Reply;
import dev.tmuxorc.tmux.TmuxCommand;
import dev.tmuxorc.tmux.TmuxPool;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;

/**
 * Types text into an agent's prompt the only way tmux-orc ever does (docs/actions.md, "Typing"):
 * <ol>
 *   <li>capture the pane just before: only an empty live prompt is typed into (a prompt holding someone's text,
 *       or no prompt on screen, holds the delivery: nothing is typed, nothing cleared);</li>
 *   <li>type the text literally: {@code send-keys -l --} for one line, a bracketed paste of a named buffer for
 *       several (so that a newline never submits half of it); no text ever becomes a command;</li>
 *   <li>capture until the text shows in the prompt, then press Enter (a separate key);</li>
 *   <li>capture until the text left the prompt.</li>
 * </ol>
 * Text that did not show is never typed again (it may show late: typed twice; or into a dialog that replaced the
 * prompt): the delivery fails and its owner judges it from the screen later. Enter is pressed again while the
 * text stays ({@code typing.attempts}); then the delivery is reported as failed, never assumed. One delivery per
 * pane at a time: a second one meanwhile is held.
 */
public final class PaneTyper {

  /** One batch of tmux commands, answered with one reply per command (the monitor's pool). */
  @FunctionalInterface
  public interface Tmux {
    CompletionStage<List<Reply>> run(List<TmuxCommand> commands);

    /** Batches run by the pool, each given {@code timeout}. */
    static Tmux overPool(ActorRef<TmuxPool.Command> pool, ActorSystem<?> system, Duration timeout) {
      return commands -> AskPattern.<TmuxPool.Command, StatusReply<List<Reply>>>ask(pool,
          replyTo -> new TmuxPool.Run(commands, replyTo), timeout, system.scheduler())
          .thenApply(StatusReply::getValue);
    }
  }

  /** How a delivery ended. */
  public sealed interface Outcome {
    /** The text arrived and left the prompt after Enter ({@code attempts} Enter presses or typings). */
    record Delivered(int attempts) implements Outcome { }

    /** Nothing was typed: the prompt holds someone's text, or no prompt is on screen. */
    record Held(String reason) implements Outcome { }

    /** Typing or Enter could not be verified after every attempt; what was seen says why. */
    record Failed(String reason, int attempts) implements Outcome { }
  }

  private static final AtomicLong BUFFERS = new AtomicLong();
  // The panes a delivery is typing into: the actions (reports, auto-submit, resume, briefing) share one typer.
  private final java.util.Set<PaneId> busy = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final Tmux tmux;
  private final Classifier classifier;
  private final ActionSettings.Typing typing;

  public PaneTyper(Tmux tmux, Classifier classifier, ActionSettings.Typing typing) {
    this.tmux = tmux;
    this.classifier = classifier;
    this.typing = typing;
  }

  /** Types {@code text} into the empty prompt of {@code pane}, checks it arrived, presses Enter, checks it left. */
  public CompletionStage<Outcome> type(PaneId pane, AgentKind kind, String raw) {
    String text = printable(raw);
    if (text.isBlank()) {
      throw new IllegalArgumentException("nothing to type");
    }
    return exclusively(pane, () -> input(pane, kind).thenCompose(input -> {
      if (input.isEmpty()) {
        return done(new Outcome.Held("no prompt on screen"));
      }
      if (!input.get().isEmpty()) {
        return done(new Outcome.Held("the prompt holds text: '" + shorten(input.get()) + "'"));
      }
      return typeOnce(pane, kind, text);
    }));
  }

  private CompletionStage<Outcome> exclusively(PaneId pane,
      java.util.function.Supplier<CompletionStage<Outcome>> delivery) {
    if (!busy.add(pane)) {
      return done(new Outcome.Held("another delivery is under way in this pane"));
    }
    CompletionStage<Outcome> outcome;
    try {
      outcome = delivery.get();
    } catch (RuntimeException e) {
      busy.remove(pane);
      throw e;
    }
    return outcome.whenComplete((done, failure) -> busy.remove(pane));
  }

  /**
   * Presses Enter on the text in the prompt of {@code pane} (auto-submit) when it still starts as
   * {@code expected}; checks it left the prompt.
   */
  public CompletionStage<Outcome> submit(PaneId pane, AgentKind kind, String expected) {
    return exclusively(pane, () -> input(pane, kind).thenCompose(input -> {
      if (input.isEmpty() || input.get().isEmpty() || !normalized(input.get()).equals(normalized(expected))) {
        return done(new Outcome.Held("the prompt changed: " + input.map(t -> "'" + shorten(t) + "'")
            .orElse("no prompt on screen")));
      }
      return enterAttempt(pane, kind, input.get(), 1);
    }));
  }

  private CompletionStage<Outcome> typeOnce(PaneId pane, AgentKind kind, String text) {
    return run(typeCommands(pane, text)).thenCompose(ignored -> awaitInput(pane, kind, 1, false))
        .thenCompose(input -> {
          if (input.isPresent() && !input.get().isEmpty() && arrived(input.get(), text)) {
            return enterAttempt(pane, kind, input.get(), 1);
          }
          if (input.isPresent() && !input.get().isEmpty()) {
            return done(new Outcome.Failed("the prompt shows other text than was typed, not submitted: '"
                + shorten(input.get()) + "'", 1));
          }
          return done(new Outcome.Failed(input.isEmpty() ? "no prompt on screen after typing, not typed again"
              : "the text did not show in the prompt, not typed again", 1));
        });
  }

  private CompletionStage<Outcome> enterAttempt(PaneId pane, AgentKind kind, String typed, int attempt) {
    return run(List.of(TmuxCommand.of("send-keys", "-t", pane.value(), "Enter")))
        .thenCompose(ignored -> awaitInput(pane, kind, 1, true))
        .thenCompose(input -> {
          boolean stayed = input.isPresent() && !input.get().isEmpty() && sameText(input.get(), typed);
          if (!stayed) {
            return done(new Outcome.Delivered(attempt));
          }
          return attempt < typing.attempts() ? enterAttempt(pane, kind, typed, attempt + 1)
              : done(new Outcome.Failed("the text stayed in the prompt after Enter", attempt));
        });
  }

  // Captures after each settle until the prompt shows something (or, after Enter, until it shows nothing),
  // at most typing.checks times; the last reading is the answer.
  private CompletionStage<Optional<String>> awaitInput(PaneId pane, AgentKind kind, int check, boolean untilEmpty) {
    return later().thenCompose(ignored -> input(pane, kind)).thenCompose(input -> {
      boolean empty = input.isEmpty() || input.get().isEmpty();
      if (empty == untilEmpty || check >= typing.checks()) {
        return CompletableFuture.completedFuture(input);
      }
      return awaitInput(pane, kind, check + 1, untilEmpty);
    });
  }

  /** What is typed in the live prompt of a captured screen ({@link Classifier#promptInput}). */
  public Optional<String> promptInput(String screen, AgentKind kind) {
    return classifier.promptInput(screen, kind);
  }

  private CompletionStage<Optional<String>> input(PaneId pane, AgentKind kind) {
    return run(List.of(TmuxCommand.capturePane(pane.value())))
        .thenApply(replies -> classifier.promptInput(replies.get(0).text(), kind));
  }

  private CompletionStage<List<Reply>> run(List<TmuxCommand> commands) {
    return tmux.run(commands).thenApply(replies -> {
      for (int i = 0; i < replies.size(); i++) {
        if (!replies.get(i).ok()) {
          throw new IllegalStateException(commands.get(i).name() + " failed: " + replies.get(i).text().strip());
        }
      }
      return replies;
    });
  }

  // Several lines: the first typed literally (it stays readable in the prompt, where a paste may show as a
  // "[Pasted text]" placeholder), the rest pasted after it.
  static List<TmuxCommand> typeCommands(PaneId pane, String text) {
    int newline = text.indexOf('\n');
    if (newline < 0) {
      return List.of(TmuxCommand.sendLiteral(pane.value(), text));
    }
    String buffer = "tmux-orc-" + ProcessHandle.current().pid() + "-" + BUFFERS.incrementAndGet();
    return List.of(TmuxCommand.sendLiteral(pane.value(), text.substring(0, newline)),
        TmuxCommand.of("set-buffer", "-b", buffer, "--", text.substring(newline)),
        TmuxCommand.of("paste-buffer", "-p", "-d", "-b", buffer, "-t", pane.value()));
  }

  /**
   * The text without control characters: an escape sequence in a window name or a report must not reach the
   * agent's terminal as keys. Tabs become spaces; newlines stay (they go as a paste).
   */
  public static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.replace("\r\n", "\n").codePoints().forEach(c -> {
      if (c == '\t') {
        out.append(' ');
      } else if (c == '\n' || (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0))) {
        out.appendCodePoint(c);
      }
    });
    return out.toString().strip();
  }

  /**
   * Whether the first line the prompt shows is the start of {@code text} (compared without whitespace: the box
   * wraps lines where it likes).
   */
  static boolean arrived(String shown, String text) {
    String first = shown.replaceAll("\\s+", "");
    String line = text.lines().findFirst().orElse("").replaceAll("\\s+", "");
    // the start of the text, or its whole first line followed by what a paste of the rest shows as
    return !first.isEmpty() && (text.replaceAll("\\s+", "").startsWith(first)
        || !line.isEmpty() && first.startsWith(line) && text.contains("\n"));
  }

  private static boolean sameText(String shown, String typed) {
    return normalized(shown).equals(normalized(typed)) || arrived(shown, typed);
  }

  private static String normalized(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }

  private CompletionStage<Void> later() {
    Executor delayed = CompletableFuture.delayedExecutor(typing.settle().toMillis(), TimeUnit.MILLISECONDS);
    return CompletableFuture.runAsync(() -> { }, delayed);
  }

  private static CompletionStage<Outcome> done(Outcome outcome) {
    return CompletableFuture.completedFuture(outcome);
  }

  private static String shorten(String text) {
    return text.length() <= 60 ? text : text.substring(0, 59) + "…";
  }
}
