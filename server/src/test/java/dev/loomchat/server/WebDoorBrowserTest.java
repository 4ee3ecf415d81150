package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * driven by Selenium): two pages and a console client in one room, a private message, an XSS
 * payload shown as text, replayed history after a reload, and a server restart the pages
 * reconnect through; an account logged in on the page, refused to a guest page, and its
 * operator's {@code /kill}. Screenshots go to {@code server/target/browser/}. Without the browser (not
 * installed, and not root to install it: {@code .ci/setup}) the test is skipped, saying so.
 */
class WebDoorBrowserTest {

    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Path SHOTS = Paths.get("target", "browser");
    static final String SECRET = "correct horse battery";

    private final List<WebDriver> drivers = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();

    @AfterEach
    void closeBrowsers() throws IOException {
        for (WebDriver driver : drivers) {
            driver.quit();
        }
        for (Path profile : profiles) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void twoPagesAndAConsoleClientChatThroughAReloadAndARestart() throws Exception {
        assumeBrowser();
        Files.createDirectories(SHOTS);
        ChatConfig config = TestServers.config().http(new InetSocketAddress("127.0.0.1", 0)).build();
        ChatServer server = ChatServer.start(config);
        try {
            String url = "http://127.0.0.1:" + server.httpAddress().orElseThrow().getPort() + "/";
            WebDriver alice = browser();
            WebDriver bob = browser();
            login(alice, url, "alice", "#team");
            login(bob, url, "bob", "#team");
            try (TestClient carol = TestClient.welcomed(server, "carol")) {
                carol.join("#team");
                awaitText(alice, "#members", "3 members");

                // All ways: page -> page and console, page -> page and console, console -> pages.
                type(alice, "hello from alice");
                awaitLine(bob, "hello from alice");
                assertEquals("hello from alice", carol.await(ChatMessage.class).text());
                type(bob, "hi from bob");
                awaitLine(alice, "hi from bob");
                assertEquals("hi from bob", carol.await(ChatMessage.class).text());
                ChatMessage fromCarol = carol.say("#team", "hey pages, carol here");
                awaitLine(alice, "hey pages, carol here");
                awaitLine(bob, "hey pages, carol here");
                WebElement own = awaitLine(alice, "hello from alice");
                assertTrue(own.getAttribute("class").contains("own"), "alice's own line is marked");
                assertEquals(String.valueOf(fromCarol.id()), awaitLine(alice, "hey pages, carol here").getAttribute("data-id"));

                // A slash command from a page: /me, shown as an action on the other page and said as such.
                type(bob, "/me waves");
                awaitLine(alice, "waves");
                assertEquals("/me waves", carol.await(ChatMessage.class).text());

                // A private message from the console to a page: its own conversation, marked unread.
                carol.send(new ClientMessage.Msg("alice", "psst, alice", "p"));
                WebElement privateEntry = new WebDriverWait(alice, WAIT).until(d -> d.findElements(
                        By.cssSelector("#privates .conversation-button")).stream()
                        .filter(e -> e.getText().contains("@carol")).findFirst().orElse(null));
                assertTrue(privateEntry.findElements(By.className("unread")).size() == 1, "unread mark");
                shot(alice, "private-unread");
                privateEntry.click();
                awaitLine(alice, "psst, alice");
                type(alice, "got it, carol");
                ChatMessage reply = fromNick(carol, "alice");
                assertEquals("got it, carol", reply.text());
                assertEquals("carol", reply.to());
                alice.findElement(By.cssSelector("#rooms .conversation-button")).click();

                // User text is text: markup from the wire is shown, never run.
                String xss = "<img src=x onerror=\"document.title='pwned'\"><b>bold?</b>";
                carol.say("#team", xss);
                WebElement shown = awaitLine(alice, xss);
                assertEquals(0, alice.findElements(By.cssSelector("#messages img, #messages b")).size());
                assertNotEquals("pwned", alice.getTitle());
                assertTrue(shown.getText().contains(xss));
                shot(alice, "chat");

                // A reload: the nick and room are remembered, and the room's history is replayed, marked as such.
                bob.navigate().refresh();
                WebElement replayed = awaitLine(bob, "hello from alice");
                new WebDriverWait(bob, WAIT).until(d -> replayed.getAttribute("class").contains("replay"));
                awaitLine(bob, "earlier messages shown from the room's history");
                shot(bob, "after-reload");

                // A server restart: the pages say so, reconnect, re-join and go on.
                int tcpPort = server.address().getPort();
                int httpPort = server.httpAddress().orElseThrow().getPort();
                server.close();
                awaitText(alice, "#status", "reconnecting");
                shot(alice, "reconnecting");
                server = ChatServer.start(config.toBuilder().port(tcpPort)
                        .http(new InetSocketAddress("127.0.0.1", httpPort)).build());
            }
            awaitLine(alice, "reconnected as alice");
            awaitLine(bob, "reconnected as bob");
            awaitText(alice, "#members", "2 members");
            try (TestClient carol = TestClient.welcomed(server, "carol")) {
                carol.join("#team");
                awaitText(bob, "#members", "3 members");
                type(alice, "still here after the restart");
                awaitLine(bob, "still here after the restart");
                assertEquals("still here after the restart", carol.await(ChatMessage.class).text());
            }
            assertEquals(1, alice.findElements(By.xpath(
                    "//ol[@id='messages']/li[contains(., 'hello from alice')]")).size(), "no line shown twice");
            shot(alice, "after-restart");
            shot(bob, "bob-after-restart");
            bob.manage().window().setSize(new org.openqa.selenium.Dimension(390, 720)); // a phone's width
            new WebDriverWait(bob, WAIT).until(d -> d.findElement(By.id("composer-input")).isDisplayed());
            shot(bob, "phone");
        } catch (Throwable e) {
            for (int i = 0; i < drivers.size(); i++) {
                shot(drivers.get(i), "failed-page-" + (i + 1)); // what the pages showed, for the report
            }
            throw e;
        } finally {
            server.close();
        }
    }

    @Test
    void anAccountLogsInOnThePageAndItsOperatorKillsAClient() throws Exception {
        assumeBrowser();
        Files.createDirectories(SHOTS);
        ChatConfig config = TestServers.config().http(new InetSocketAddress("127.0.0.1", 0))
                .operators(List.of("olga")).build();
        ChatServer server = ChatServer.start(config);
        try {
            try (TestClient registrar = TestClient.connect(server.address())) {
                registrar.send(new ClientMessage.Register(SECRET, "olga", "reg"));
                assertEquals(ServerMessage.Account.REGISTERED, registrar.next(ServerMessage.Account.class).event());
            }
            String url = "http://127.0.0.1:" + server.httpAddress().orElseThrow().getPort() + "/";

            // A guest page asking for the registered nick is refused on the login form.
            WebDriver guest = browser();
            fillLogin(guest, url, "olga", "#ops", "");
            awaitText(guest, "#login-error", "nick_registered");

            // Its owner logs in with the account password, and is told it is a server operator.
            WebDriver olga = browser();
            fillLogin(olga, url, "olga", "#ops", SECRET);
            new WebDriverWait(olga, WAIT).until(d -> d.findElement(By.id("title")).getText().equals("#ops"));
            awaitText(olga, "#status", "server operator");
            try (TestClient dave = TestClient.welcomed(server, "dave")) {
                dave.join("#ops");
                awaitText(olga, "#members", "2 members");
                type(olga, "/kill dave spamming");
                ServerMessage.Error killed = dave.await(ServerMessage.Error.class);
                assertEquals(ErrorCode.KILLED, killed.code());
                assertTrue(killed.message().contains("spamming"), killed.message());
                awaitLine(olga, "killed dave");
                awaitText(olga, "#members", "1 member");
                shot(olga, "operator-kill");
            }
        } finally {
            server.close();
        }
    }

    private static void assumeBrowser() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser test skipped: no " + CHROMIUM + " or " + CHROMEDRIVER
                        + " (apt-get install chromium chromium-driver; .ci/setup does it as root)");
    }

    /** The next message from {@code nick} (skipping the console client's own copies). */
    private static ChatMessage fromNick(TestClient client, String nick) throws IOException {
        while (true) {
            ChatMessage message = client.await(ChatMessage.class);
            if (message.from().equals(nick)) {
                return message;
            }
        }
    }

    private WebDriver browser() throws IOException {
        Path profile = Files.createTempDirectory("loomchat-chromium-");
        profiles.add(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1000,640");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        drivers.add(driver);
        return driver;
    }

    private static void login(WebDriver driver, String url, String nick, String room) {
        fillLogin(driver, url, nick, room, "");
        new WebDriverWait(driver, WAIT).until(d -> d.findElement(By.id("title")).getText().equals(room));
    }

    /** Fills in the login form (an account password if not empty) and submits it. */
    private static void fillLogin(WebDriver driver, String url, String nick, String room, String accountPassword) {
        driver.get(url);
        WebElement nickInput = new WebDriverWait(driver, WAIT).until(d -> d.findElement(By.id("nick-input")));
        nickInput.clear();
        nickInput.sendKeys(nick);
        driver.findElement(By.id("account-password-input")).sendKeys(accountPassword);
        WebElement roomInput = driver.findElement(By.id("room-input"));
        roomInput.clear();
        roomInput.sendKeys(room, Keys.ENTER);
    }

    private static void type(WebDriver driver, String text) {
        WebElement input = driver.findElement(By.id("composer-input"));
        input.sendKeys(text, Keys.ENTER);
    }

    /** Waits for a message line containing {@code text} in the page's current conversation. */
    private static WebElement awaitLine(WebDriver driver, String text) {
        return new WebDriverWait(driver, WAIT).until(d -> d.findElements(By.cssSelector("#messages li")).stream()
                .filter(li -> li.getText().contains(text)).findFirst().orElse(null));
    }

    private static void awaitText(WebDriver driver, String css, String text) {
        new WebDriverWait(driver, WAIT).until(d -> d.findElement(By.cssSelector(css)).getText().contains(text));
    }

    private static void shot(WebDriver driver, String name) throws IOException {
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Files.write(SHOTS.resolve(name + ".png"), png);
        ((JavascriptExecutor) driver).executeScript("return 1");
    }
}
