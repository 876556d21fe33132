package dev.tmuxorc.testing;

import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.app.Guardian;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.fleet.AgentFilter;
import dev.tmuxorc.fleet.FleetView;
import dev.tmuxorc.monitor.CycleStats;
import dev.tmuxorc.monitor.Monitor;
import dev.tmuxorc.tmux.PoolStats;
import dev.tmuxorc.tmux.TmuxPool;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/** The whole actor tree spawned in a test kit, with the questions tests ask it. */
public record RunningTree(ActorTestKit testKit, ActorRef<Guardian.Command> guardian, Guardian.Parts parts) {

  private static final Duration PATIENCE = Duration.ofSeconds(15);

  public static RunningTree spawn(ActorTestKit testKit, Settings settings, Guardian.Wiring wiring) {
    ActorRef<Guardian.Command> guardian = testKit.spawn(Guardian.create(settings, wiring));
    TestProbe<Guardian.Parts> probe = testKit.createTestProbe();
    guardian.tell(new Guardian.GetParts(probe.getRef()));
    return new RunningTree(testKit, guardian, probe.receiveMessage());
  }

  public List<AgentStatus> agents() {
    TestProbe<List<AgentStatus>> probe = testKit.createTestProbe();
    parts.fleet().tell(new FleetView.GetAgents(AgentFilter.ALL, probe.getRef()));
    return probe.receiveMessage(PATIENCE);
  }

  public CycleStats cycles() {
    TestProbe<CycleStats> probe = testKit.createTestProbe();
    parts.monitor().tell(new Monitor.GetCycleStats(probe.getRef()));
    return probe.receiveMessage(PATIENCE);
  }

  public PoolStats pool() {
    TestProbe<PoolStats> probe = testKit.createTestProbe();
    parts.pool().tell(new TmuxPool.GetStats(probe.getRef()));
    return probe.receiveMessage(PATIENCE);
  }

  /** Runs one cycle and waits until every agent has processed its capture. */
  public Duration measure() {
    TestProbe<StatusReply<Duration>> probe = testKit.createTestProbe();
    parts.monitor().tell(new Monitor.MeasureCycle(probe.getRef()));
    return probe.receiveMessage(PATIENCE).getValue();
  }

  public void stop() {
    testKit.stop(guardian, PATIENCE);
  }
}
