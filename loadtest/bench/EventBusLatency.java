// Publish-to-delivery latency of agent events on the actor system's event stream.
//
//   mvn -B -q -DskipTests package
//   java -cp target/tmux-orc.jar loadtest/bench/EventBusLatency.java [events-per-second] [seconds]
//
// Publishes StateChanged events at a steady rate from one actor to three subscribers: one subscribed to
// StateChanged, one to every AgentEvent (wildcard), and one that sleeps 20 ms per event (slow). Latency is
// System.nanoTime() at delivery minus at publish; the slow subscriber must not delay the other two.

import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.Pane;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.discovery.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

public class EventBusLatency {

  static final ConcurrentHashMap<AgentEvent, Long> publishedAt = new ConcurrentHashMap<>();

  static Behavior<AgentEvent> recorder(List<Long> latencies, long sleepMillis, CountDownLatch done, int expected) {
    return Behaviors.receive(AgentEvent.class).onAnyMessage(event -> {
      long now = System.nanoTime();
      Long sent = publishedAt.get(event);
      if (sent != null && event instanceof AgentEvent.StateChanged) {
        latencies.add(now - sent);
        if (latencies.size() == expected) {
          done.countDown();
        }
      }
      if (sleepMillis > 0) {
        Thread.sleep(sleepMillis);
      }
      return Behaviors.same();
    }).build();
  }

  public static void main(String[] args) throws Exception {
    org.slf4j.LoggerFactory.getLogger(EventBusLatency.class); // avoids SLF4J's "replayed" warning at start-up
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int total = rate * seconds;
    int warmup = Math.min(2000, total / 5);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "event-bus-latency");
    Pane pane = new Pane(new PaneId("%1"), "$0", "s", 1, "claude-1", 0, 1, "claude", false, OptionalInt.empty(),
        Instant.EPOCH, "");
    AgentPane agent = new AgentPane(pane, Role.AGENT, AgentKind.CLAUDE);

    List<Long> typed = Collections.synchronizedList(new ArrayList<>());
    List<Long> wildcard = Collections.synchronizedList(new ArrayList<>());
    List<Long> slow = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(2);
    ActorRef<AgentEvent> typedRef = system.systemActorOf(recorder(typed, 0, done, total), "typed", Props.empty());
    ActorRef<AgentEvent> wildRef = system.systemActorOf(recorder(wildcard, 0, done, total), "wildcard", Props.empty());
    ActorRef<AgentEvent> slowRef = system.systemActorOf(recorder(slow, 20, new CountDownLatch(1), total), "slow",
        Props.empty());
    system.eventStream().tell(new EventStream.Subscribe<>(AgentEvent.StateChanged.class, typedRef.narrow()));
    system.eventStream().tell(new EventStream.Subscribe<>(AgentEvent.class, wildRef));
    system.eventStream().tell(new EventStream.Subscribe<>(AgentEvent.class, slowRef));
    Thread.sleep(500);

    long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
    long next = System.nanoTime();
    AgentState[] states = AgentState.values();
    for (int i = 0; i < total; i++) {
      while (System.nanoTime() < next) {
        Thread.onSpinWait();
      }
      next += intervalNanos;
      AgentEvent event = new AgentEvent.StateChanged(agent, states[i % states.length],
          states[(i + 1) % states.length], List.of(), Optional.empty(), Instant.ofEpochMilli(i));
      publishedAt.put(event, System.nanoTime());
      system.eventStream().tell(new EventStream.Publish<>(event));
    }
    if (!done.await(60, TimeUnit.SECONDS)) {
      System.out.println("not every event arrived: typed " + typed.size() + ", wildcard " + wildcard.size());
    }
    report("StateChanged subscriber", typed, warmup);
    report("wildcard (AgentEvent) subscriber", wildcard, warmup);
    System.out.printf("slow subscriber (20 ms per event) had received %d of %d when the others were done%n",
        slow.size(), total);
    System.out.printf("rate %d events/s for %d s; %d cores; java %s%n", rate, seconds,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    system.terminate();
  }

  static void report(String name, List<Long> latencies, int warmup) {
    List<Long> sorted;
    synchronized (latencies) {
      sorted = new ArrayList<>(latencies.subList(Math.min(warmup, latencies.size()), latencies.size()));
    }
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      System.out.println(name + ": no samples");
      return;
    }
    System.out.printf("%-34s p50 %6.1f us  p95 %6.1f us  p99 %7.1f us  max %8.1f us  (n=%d)%n", name,
        at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e3, sorted.size());
  }

  static double at(List<Long> sorted, double q) {
    return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1)) / 1e3;
  }

}
