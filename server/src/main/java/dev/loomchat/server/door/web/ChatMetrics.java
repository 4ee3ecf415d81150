package dev.loomchat.server.door.web;

import dev.loomchat.server.chat.ChatCore;
import dev.loomchat.server.chat.ServerCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.java21.instrument.binder.jdk.VirtualThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's meters in Prometheus's text format, for {@code /metrics}: the chat's own, read
 * from the core's {@link ServerCounters} (the counters a {@code stats} request returns; no
 * second set is kept), and the JVM's (memory, GC, threads, virtual threads, class loading, CPU,
 * uptime) from Micrometer's binders.
 *
 * <p>The chat meters are functions of one snapshot of the counters, taken once per scrape.
 * Connections are labelled by door ({@code door="lines"}, {@code "web"}, and any door that
 * counts its own in {@link ServerCounters#connections(String)}).
 *
 * <p>Threading: {@link #scrape} from any thread.
 */
final class ChatMetrics implements AutoCloseable {

    /** Doors shown even before their first connection. */
    private static final List<String> KNOWN_DOORS = List.of("lines", "web");

    private final ChatCore core;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final VirtualThreadMetrics virtualThreads = new VirtualThreadMetrics();
    private final Set<String> doors = ConcurrentHashMap.newKeySet();
    private volatile Map<String, Long> stats;

    ChatMetrics(ChatCore core) {
        this.core = core;
        this.stats = core.stats();
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        virtualThreads.bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        counter("loomchat.connections.accepted", "accepted", "connections accepted since start");
        counter("loomchat.frames.in", "framesIn", "frames received from clients (bad ones included)");
        counter("loomchat.frames.out", "framesOut", "frames queued to clients: every delivery of an event to a client");
        counter("loomchat.messages.in", "messagesIn", "say and msg requests accepted");
        counter("loomchat.bytes.in", "bytesIn", "bytes read from clients");
        counter("loomchat.bytes.out", "bytesOut", "bytes written to clients");
        counter("loomchat.rate.limited", "rateLimited", "requests refused with rate_limited");
        counter("loomchat.refused.full", "serverFull", "connections refused with server_full");
        disconnects("slow_consumer", "slowConsumers");
        disconnects("excess_flood", "floodDisconnects");
        disconnects("idle_timeout", "idleTimeouts");
        gauge("loomchat.sessions.welcomed", "welcomed", "sessions past hello");
        gauge("loomchat.connections.parked", "parked", "connections waiting for input without a thread");
        gauge("loomchat.rooms", "rooms", "rooms with members");
        gauge("loomchat.history.bytes", "historyBytes", "estimated heap held by room history");
        Gauge.builder("loomchat.room.members", core, ChatCore::roomMembers)
                .description("room memberships, all rooms together").register(registry);
        KNOWN_DOORS.forEach(this::door);
    }

    /** The meters now, in Prometheus's text exposition format. */
    String scrape() {
        stats = core.stats();
        core.counters().connectionsByDoor().keySet().forEach(this::door);
        return registry.scrape();
    }

    /** The Content-Type of {@link #scrape()}. */
    static String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    private void door(String door) {
        if (doors.add(door)) {
            ServerCounters counters = core.counters();
            Gauge.builder("loomchat.connections", () -> counters.connections(door).get())
                    .tag("door", door).description("open connections, by door").register(registry);
        }
    }

    private void counter(String name, String stat, String description) {
        FunctionCounter.builder(name, this, m -> m.stat(stat)).description(description).register(registry);
    }

    private void disconnects(String reason, String stat) {
        FunctionCounter.builder("loomchat.disconnects", this, m -> m.stat(stat)).tag("reason", reason)
                .description("clients cut off by the server, by reason").register(registry);
    }

    private void gauge(String name, String stat, String description) {
        Gauge.builder(name, this, m -> m.stat(stat)).description(description).register(registry);
    }

    private double stat(String name) {
        Long value = stats.get(name);
        return value == null ? 0 : value;
    }

    @Override
    public void close() {
        gc.close();
        virtualThreads.close();
        registry.close();
    }
}
