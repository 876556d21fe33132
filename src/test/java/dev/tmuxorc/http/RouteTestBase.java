package dev.tmuxorc.http;

import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.RouteResult;
import org.apache.pekko.http.javadsl.testkit.RouteTest;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.TestInstance;
import scala.concurrent.Future;

/** pekko-http-testkit's route testing under JUnit 5: one actor system per test class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RouteTestBase extends RouteTest {

  protected final ActorTestKit testKit = ActorTestKit.create(getClass().getSimpleName());

  @Override
  public ActorSystem system() {
    return Adapter.toClassic(testKit.system());
  }

  @Override
  public Materializer materializer() {
    return Materializer.matFromSystem(testKit.system());
  }

  @Override
  public TestRouteResult createTestRouteResultAsync(HttpRequest request, Future<RouteResult> result) {
    return new TestRouteResult(result, awaitDuration(), system().dispatcher(), materializer()) {
      @Override
      public void assertEquals(Object expected, Object actual, String message) {
        Assertions.assertEquals(expected, actual, message);
      }

      @Override
      public void assertEquals(int expected, int actual, String message) {
        Assertions.assertEquals(expected, actual, message);
      }

      @Override
      public void assertTrue(boolean predicate, String message) {
        Assertions.assertTrue(predicate, message);
      }

      @Override
      public void fail(String message) {
        Assertions.fail(message);
      }
    };
  }

  @AfterAll
  void shutDownActorSystem() {
    testKit.shutdownTestKit();
  }
}
