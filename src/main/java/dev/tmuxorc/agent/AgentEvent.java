package dev.tmuxorc.agent;

import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.detect.Evidence;
import dev.tmuxorc.discovery.AgentPane;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What happened to an agent, published on the actor system's event stream. Subscribe to one of the record
 * types, or to {@code AgentEvent.class} for all of them; each subscriber is an actor with its own mailbox,
 * so a slow or failing subscriber never blocks the publisher or the other subscribers.
 */
public sealed interface AgentEvent {

  AgentPane agent();

  /** When the event was published. */
  Instant at();

  record AgentDiscovered(AgentPane agent, Instant at) implements AgentEvent { }

  record StateChanged(AgentPane agent, AgentState from, AgentState to, List<Evidence> evidence,
      Optional<Instant> resetAt, Instant at) implements AgentEvent { }

  record HealthChanged(AgentPane agent, Health from, Health to, Instant at) implements AgentEvent { }

  record AgentGone(AgentPane agent, Instant at) implements AgentEvent { }

  /** The agent reported a hook event about itself (through {@code POST /api/hooks/<source>}). */
  record HookReceived(AgentPane agent, HookEvent hook, Instant at) implements AgentEvent { }

  /**
   * The fusion of the agent's signals raised or cleared a flag ({@code stalled}, {@code hooks_silent}), with the
   * evidence of the agent's state after it (the deciding rule first: it changes with the flag even when the state
   * does not).
   */
  record FlagChanged(AgentPane agent, AgentFlag flag, boolean on, String reason, List<Evidence> evidence, Instant at)
      implements AgentEvent { }

  /**
   * The agent's hooks and its screen read different states for {@code hooks.disagree-after}: both readings, the
   * state decided and the rule that decided it (the first evidence).
   */
  record SignalsDisagreed(AgentPane agent, HookReading hook, AgentState hookState, AgentState screenState,
      List<Evidence> screenEvidence, AgentState decided, List<Evidence> evidence, Instant at)
      implements AgentEvent { }

  /** The agent's actor failed and is being restarted (its supervisor logs why); its state starts afresh. */
  record AgentRestarted(AgentPane agent, Instant at) implements AgentEvent { }
}
