package dev.tmuxorc.actions;

import dev.tmuxorc.config.Settings;
import dev.tmuxorc.detect.Classifier;
import dev.tmuxorc.journal.Journal;
import dev.tmuxorc.tmux.TmuxPool;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;

/** What the actions' tests share: tmux through a pool of their own, a typer over it, the journalled outcomes. */
final class ActionTesting {

  /** Settled quickly, checked often: the fake prompt draws at once. */
  static final ActionSettings.Typing TYPING = new ActionSettings.Typing(Duration.ofMillis(200), 10, 3);

  private ActionTesting() {
  }

  /** Batches run by a pool spawned in {@code testKit} on the tmux server of {@code settings}. */
  static PaneTyper.Tmux tmux(ActorTestKit testKit, Settings settings) {
    return PaneTyper.Tmux.overPool(testKit.spawn(TmuxPool.create(settings.tmux(), settings.monitoring().pool(),
        TmuxPool.factoryFor(settings.tmux()))), testKit.system(), Duration.ofSeconds(10));
  }

  static PaneTyper typer(PaneTyper.Tmux tmux, Settings settings) {
    return new PaneTyper(tmux, Classifier.fromConfig(settings.detection()), TYPING);
  }

  /** The next journalled action with this outcome (the others are skipped): its JSON. */
  static Map<String, Object> action(TestProbe<Journal.Command> journal, String outcome, Duration patience) {
    return ((Journal.Record) journal.fishForMessage(patience, m -> m instanceof Journal.Record r
        && outcome.equals(r.json().get("outcome")) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore())
        .get(0)).json();
  }
}
