package dev.loomchat.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JFR recording of a server run and reports (1) {@code jdk.VirtualThreadPinned} events,
 * how many have a {@code dev.loomchat} frame, with their stacks, and (2) the top allocation sites
 * from {@code jdk.ObjectAllocationSample}, by sampled weight: the class allocated and the first
 * {@code dev.loomchat} frame (the code to change), plus the top frame.
 */
final class JfrReport {
    private JfrReport() {
    }

    static String report(Path file) throws IOException {
        int pinned = 0;
        int pinnedOurs = 0;
        Map<String, Integer> pinnedStacks = new LinkedHashMap<>();
        Map<String, Long> bySite = new HashMap<>();
        Map<String, Long> byTop = new HashMap<>();
        long totalWeight = 0;
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                String name = e.getEventType().getName();
                if (name.equals("jdk.VirtualThreadPinned")) {
                    pinned++;
                    String stack = stack(e.getStackTrace(), 8);
                    if (stack.contains("dev.loomchat")) {
                        pinnedOurs++;
                    }
                    pinnedStacks.merge(stack, 1, Integer::sum);
                } else if (name.equals("jdk.ObjectAllocationSample")) {
                    long w = e.getLong("weight");
                    totalWeight += w;
                    RecordedClass c = e.getClass("objectClass");
                    String cls = c == null ? "?" : c.getName();
                    RecordedStackTrace st = e.getStackTrace();
                    String top = "?";
                    String ours = "(no dev.loomchat frame)";
                    if (st != null && !st.getFrames().isEmpty()) {
                        top = frame(st.getFrames().get(0));
                        for (RecordedFrame f : st.getFrames()) {
                            if (f.getMethod() != null && f.getMethod().getType().getName().startsWith("dev.loomchat")) {
                                ours = frame(f);
                                break;
                            }
                        }
                    }
                    bySite.merge(cls + " from " + ours, w, Long::sum);
                    byTop.merge(cls + " at " + top, w, Long::sum);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("jdk.VirtualThreadPinned events: ").append(pinned).append(" (with a dev.loomchat frame: ")
                .append(pinnedOurs).append(")\n");
        pinnedStacks.entrySet().stream().limit(5).forEach(en ->
                sb.append("  ").append(en.getValue()).append(" x\n").append(en.getKey().indent(4)));
        sb.append("\nTop allocation sites (jdk.ObjectAllocationSample, share of sampled weight), by first dev.loomchat frame:\n");
        top(sb, bySite, totalWeight);
        sb.append("\nBy top frame:\n");
        top(sb, byTop, totalWeight);
        return sb.toString();
    }

    private static void top(StringBuilder sb, Map<String, Long> m, long total) {
        List<Map.Entry<String, Long>> list = m.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12).toList();
        for (Map.Entry<String, Long> e : list) {
            sb.append(String.format("  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
        }
    }

    private static String frame(RecordedFrame f) {
        if (f.getMethod() == null) {
            return "?";
        }
        return f.getMethod().getType().getName() + "." + f.getMethod().getName() + ":" + f.getLineNumber();
    }

    private static String stack(RecordedStackTrace st, int depth) {
        if (st == null) {
            return "(no stack)";
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (RecordedFrame f : st.getFrames()) {
            if (i++ >= depth) {
                break;
            }
            sb.append(frame(f)).append('\n');
        }
        return sb.toString();
    }
}
