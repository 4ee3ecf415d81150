package dev.loomchat.server.door.web;

import io.helidon.logging.common.spi.LoggingProvider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Helidon's logging set-up, found by its service loader: Helidon logs through
 * {@code java.util.logging}, and the server keeps only its warnings (its INFO lines are start-up
 * banners). Without a provider Helidon prints a line about the missing one at every start.
 */
public final class HelidonLogging implements LoggingProvider {

    /** Held so that the level stays (JUL keeps loggers weakly). */
    private static final Logger HELIDON = Logger.getLogger("io.helidon");

    /** For the service loader. */
    public HelidonLogging() {
    }

    @Override
    public void initialization() {
        HELIDON.setLevel(Level.WARNING);
    }

    @Override
    public void runTime() {
        HELIDON.setLevel(Level.WARNING);
    }
}
