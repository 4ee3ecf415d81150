package dev.loomchat.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bench's command-line options: {@code --name value}, {@code --name=value} or a bare
 * {@code --name} (a switch). Typed getters turn a bad value into a {@link UsageException} that
 * names the option, so a typo costs one line, not a stack trace.
 */
final class Flags {

    private final Map<String, String> values;

    private Flags(Map<String, String> values) {
        this.values = values;
    }

    /** Parses {@code args}; only options from {@code known} are accepted. */
    static Flags parse(String[] args, Set<String> known) {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                extra.add(a);
                continue;
            }
            String name;
            String value;
            if (a.contains("=")) {
                name = a.substring(2, a.indexOf('='));
                value = a.substring(a.indexOf('=') + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                name = a.substring(2);
                value = args[++i];
            } else {
                name = a.substring(2);
                value = null; // a switch, or an option whose value is missing
            }
            if (!known.contains(name)) {
                throw new UsageException("unknown option --" + name);
            }
            m.put(name, value);
        }
        if (!extra.isEmpty()) {
            throw new UsageException("unexpected argument" + (extra.size() > 1 ? "s " : " ") + String.join(" ", extra));
        }
        return new Flags(m);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** A switch such as {@code --jfr}: present or not; a value given to it is an error. */
    boolean flag(String name) {
        if (!values.containsKey(name)) {
            return false;
        }
        if (values.get(name) != null) {
            throw new UsageException("--" + name + " takes no value (got '" + values.get(name) + "')");
        }
        return true;
    }

    /** The option's value, {@code dflt} when absent; an option given without a value is an error. */
    String string(String name, String dflt) {
        if (!values.containsKey(name)) {
            return dflt;
        }
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("--" + name + " needs a value");
        }
        return v;
    }

    int integer(String name, int dflt) {
        String v = string(name, null);
        return v == null ? dflt : parseInt(name, v);
    }

    long longValue(String name, long dflt) {
        String v = string(name, null);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs a whole number, not '" + v + "'");
        }
    }

    double number(String name, double dflt) {
        String v = string(name, null);
        if (v == null) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException(v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs a number, not '" + v + "'");
        }
    }

    /** A comma-separated list of whole numbers, e.g. {@code --echo-n 10,100,1000}. */
    List<Integer> integers(String name, String dflt) {
        return strings(name, dflt).stream().map(s -> parseInt(name, s)).toList();
    }

    /** A comma-separated list, blanks dropped. */
    List<String> strings(String name, String dflt) {
        String v = string(name, dflt);
        List<String> list = Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (list.isEmpty()) {
            throw new UsageException("--" + name + " needs at least one value");
        }
        return list;
    }

    private static int parseInt(String name, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs a whole number, not '" + v + "'");
        }
    }
}
