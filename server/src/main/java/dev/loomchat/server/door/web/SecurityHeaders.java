package dev.loomchat.server.door.web;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * The headers every HTTP response of the web door carries: a Content-Security-Policy that allows
 * only the page's own scripts, styles, images and WebSocket (no inline script, nothing from
 * another origin, no framing), {@code X-Content-Type-Options: nosniff}, no referrer, and a
 * {@code Cache-Control} suited to what is served ({@link #cacheControl}).
 */
final class SecurityHeaders implements Filter {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        res.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        res.header("X-Content-Type-Options", "nosniff");
        res.header("Referrer-Policy", "no-referrer");
        res.header("X-Frame-Options", "DENY");
        res.header("Cache-Control", cacheControl(req.path().path()));
        chain.proceed();
    }

    /**
     * The page and its scripts and styles: {@code no-cache} (the browser keeps them but asks
     * again each time, a 304 when unchanged: their names carry no version, so a page of a new
     * server never runs an old script); images: a day; everything else (health, metrics,
     * errors): {@code no-store}.
     */
    static String cacheControl(String path) {
        if (path.equals("/") || path.endsWith(".html") || path.endsWith(".js") || path.endsWith(".css")) {
            return "no-cache";
        }
        if (path.endsWith(".png") || path.endsWith(".svg") || path.endsWith(".ico")) {
            return "public, max-age=86400";
        }
        return "no-store";
    }
}
