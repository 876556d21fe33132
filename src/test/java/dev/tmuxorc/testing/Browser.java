package dev.tmuxorc.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} + {@code chromium-driver}, installed by {@code .ci/run}) driven
 * through WebDriver, with a profile of its own in a temporary directory. Closing it ends the driver and the browser
 * it started, by PID, even when the WebDriver session is already broken.
 */
public final class Browser implements AutoCloseable {

  private static final List<Path> BROWSERS = List.of(Path.of("/usr/lib/chromium/chromium"), Path.of("/usr/bin/chromium"));
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  /** Where screenshots go: under target/, kept after the run for a person (and the README) to look at. */
  public static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");

  /**
   * Selenium warns at every start that it has no DevTools (CDP) support for this Chromium version; the tests use
   * only WebDriver. Held here: java.util.logging keeps loggers weakly, and a collected one forgets its level.
   */
  private static final java.util.logging.Logger CDP_WARNING =
      java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

  static {
    CDP_WARNING.setLevel(java.util.logging.Level.SEVERE);
  }

  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final Path profile;
  private final Optional<ProcessHandle> driverProcess;

  private Browser(ChromeDriverService service, ChromeDriver driver, Path profile,
      Optional<ProcessHandle> driverProcess) {
    this.service = service;
    this.driver = driver;
    this.profile = profile;
    this.driverProcess = driverProcess;
  }

  /** A browser of {@code width} x {@code height} CSS pixels, in the light or dark colour scheme. */
  public static Browser start(int width, int height, boolean dark) throws IOException {
    Path binary = BROWSERS.stream().filter(Files::isExecutable).findFirst().orElseThrow(() ->
        new IllegalStateException("no Chromium at " + BROWSERS + ": apt-get install chromium chromium-driver "
            + "(.ci/run does)"));
    if (!Files.isExecutable(DRIVER)) {
      throw new IllegalStateException("no ChromeDriver at " + DRIVER + ": apt-get install chromium-driver");
    }
    Path profile = Files.createTempDirectory("tmux-orc-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(binary.toFile());
    // As root in a container: no sandbox; /dev/shm may be small. The rest stops Chromium from calling home,
    // which this machine's closed network answers with refused connections.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height, "--force-device-scale-factor=1",
        "--force-prefers-color-scheme=" + (dark ? "dark" : "light"),
        "--blink-settings=preferredColorScheme=" + (dark ? 0 : 1));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort()
        .withLogFile(profile.resolve("chromedriver.log").toFile())
        .build();
    // The driver is the child that was not there before it started (children come in no particular order).
    java.util.Set<Long> before = ProcessHandle.current().children().map(ProcessHandle::pid)
        .collect(java.util.stream.Collectors.toSet());
    try {
      service.start();
    } catch (IOException | RuntimeException e) {
      deleteQuietly(profile);
      throw e;
    }
    Optional<ProcessHandle> driverProcess = ProcessHandle.current().children()
        .filter(p -> !before.contains(p.pid()))
        .filter(p -> p.info().command().map(c -> c.endsWith("chromedriver")).orElse(false))
        .findFirst();
    try {
      return new Browser(service, new ChromeDriver(service, options), profile, driverProcess);
    } catch (RuntimeException e) {
      service.stop();
      driverProcess.ifPresent(Browser::endTree);
      deleteQuietly(profile);
      throw e;
    }
  }

  public WebDriver driver() {
    return driver;
  }

  @SuppressWarnings("unchecked")
  public <T> T script(String javascript, Object... args) {
    return (T) ((JavascriptExecutor) driver).executeScript(javascript, args);
  }

  /** Waits until {@code condition} gives something other than null or false; fails after {@code patience}. */
  public <T> T await(Duration patience, String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, patience, Duration.ofMillis(50)).withMessage(what).until(condition::apply);
  }

  /** Saves what the browser shows as {@code target/browser-screenshots/NAME.png}; returns the file. */
  public Path screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Path to = SCREENSHOTS.resolve(name + ".png");
    Files.move(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
    return to;
  }

  @Override
  public void close() {
    // Known before the driver goes: once it has, its browsers would belong to nobody we can name.
    List<ProcessHandle> started = driverProcess.map(p -> p.descendants().toList()).orElse(List.of());
    try {
      driver.quit();
    } catch (RuntimeException e) {
      // the session may be gone already: the processes are ended below
    }
    service.stop();
    started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    driverProcess.ifPresent(Browser::endTree);
    deleteQuietly(profile);
  }

  // The driver and the browsers it started, children first.
  private static void endTree(ProcessHandle root) {
    root.descendants().forEach(ProcessHandle::destroyForcibly);
    root.destroyForcibly();
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: the system cleans it eventually
    }
  }
}
