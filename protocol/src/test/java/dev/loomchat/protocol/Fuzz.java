package dev.loomchat.protocol;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.ThrowingConsumer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * A small seeded random-input generator for property tests on plain JUnit.
 *
 * <p>Why not jqwik: from 1.10 on, jqwik's authors ask that AI coding agents not use it (its
 * "Anti-AI Usage Clause"), and these tests were written by one; we respect that. What we need
 * from a property-testing library is little: reproducible random cases, which a
 * {@link SplittableRandom} per case seed gives. Each case is a {@link DynamicTest} named by its
 * seed, so a failure names the seed; re-run it with {@code -Dloomchat.fuzz.seed=<seed>
 * -Dloomchat.fuzz.cases=1}. The defaults are fixed, so CI is deterministic; pass another base
 * seed or more cases to explore.
 */
final class Fuzz {

    static final long BASE_SEED = Long.getLong("loomchat.fuzz.seed", 0x10_0C_4A_7L);
    static final int CASES = Integer.getInteger("loomchat.fuzz.cases", 300);

    private static final String[] JSON_TOKENS = {
            "{", "}", "[", "]", ":", ",", "\"", "\\", "\"type\"", "\"say\"", "\"ref\"", "\"room\"", "\"text\"",
            "\"#a\"", "null", "true", "false", "0", "-1", "1e9", "\\u00", "\\ud800", "\\n", " ", "\t", "\r",
            "\"type\":\"ping\"", "{\"type\":\"say\",\"room\":\"#a\",\"text\":\"", "\u00e9", "\u6f22", "\ud83d\ude00",
    };

    private static final String AWKWARD = "\"\\\n\r\t\u2028\u2029\u007f/";

    private Fuzz() {
    }

    /** {@link #CASES} dynamic tests, each handed its own seeded random. */
    static Stream<DynamicTest> cases(ThrowingConsumer<SplittableRandom> property) {
        return LongStream.range(0, CASES).mapToObj(i -> {
            long seed = BASE_SEED + i;
            return DynamicTest.dynamicTest("seed " + seed, () -> {
                try {
                    property.accept(new SplittableRandom(seed));
                } catch (Throwable failure) {
                    // Test reports may show only the case index; the seed is what reproduces it.
                    throw new AssertionError("seed " + seed + ": " + failure, failure);
                }
            });
        });
    }

    /** A random stream mixing raw bytes, JSON fragments, valid frames, newlines and long runs. */
    static byte[] stream(SplittableRandom random, int maxPieces) {
        var out = new ByteArrayOutputStream();
        int pieces = random.nextInt(maxPieces + 1);
        for (int i = 0; i < pieces; i++) {
            switch (random.nextInt(8)) {
                case 0 -> out.writeBytes(rawBytes(random, random.nextInt(40)));
                case 1 -> out.writeBytes(utf8(JSON_TOKENS[random.nextInt(JSON_TOKENS.length)]));
                case 2 -> out.writeBytes(Frame.of(message(random)).toByteArray());
                case 3 -> out.write('\n');
                case 4 -> out.writeBytes(utf8("\r\n"));
                case 5 -> out.writeBytes(utf8("x".repeat(random.nextInt(600))));
                case 6 -> out.writeBytes(utf8(string(random, 20)));
                default -> out.writeBytes(utf8(" ".repeat(random.nextInt(4))));
            }
        }
        return out.toByteArray();
    }

    static byte[] rawBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Bytes that look like UTF-8 more often than uniform random bytes do, valid or not. */
    static byte[] utf8ish(SplittableRandom random, int length) {
        var out = new ByteArrayOutputStream();
        while (out.size() < length) {
            switch (random.nextInt(6)) {
                case 0 -> out.write(random.nextInt(0x80));
                case 1 -> out.write(0x80 + random.nextInt(0x40)); // continuation
                case 2 -> out.writeBytes(new byte[]{(byte) (0xC0 + random.nextInt(0x20)), (byte) (0x80 + random.nextInt(0x40))});
                case 3 -> out.writeBytes(new byte[]{(byte) (0xE0 + random.nextInt(0x10)),
                        (byte) (0x80 + random.nextInt(0x40)), (byte) (0x80 + random.nextInt(0x40))});
                case 4 -> out.writeBytes(new byte[]{(byte) (0xF0 + random.nextInt(0x10)),
                        (byte) (0x80 + random.nextInt(0x40)), (byte) (0x80 + random.nextInt(0x40)),
                        (byte) (0x80 + random.nextInt(0x40))});
                default -> out.write(random.nextInt(256));
            }
        }
        return out.toByteArray();
    }

    /** A string of valid Unicode that is hard to encode: controls, quotes, backslashes, separators, emoji. */
    static String string(SplittableRandom random, int maxLength) {
        var out = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(8)) {
                case 0 -> out.append((char) random.nextInt(0x20));
                case 1 -> out.append(AWKWARD.charAt(random.nextInt(AWKWARD.length())));
                case 2 -> {
                    int c = random.nextInt(0x10000);
                    out.append(Character.isSurrogate((char) c) ? 'S' : (char) c);
                }
                case 3 -> out.appendCodePoint(0x10000 + random.nextInt(0x100000));
                default -> out.append((char) (0x20 + random.nextInt(0x5F)));
            }
        }
        return out.toString();
    }

    /** Any message, client or server: a fixed sample or one with random content. */
    static Message message(SplittableRandom random) {
        return random.nextBoolean() ? clientMessage(random) : serverMessage(random);
    }

    static ClientMessage clientMessage(SplittableRandom random) {
        String ref = random.nextInt(3) == 0 ? null : string(random, 10);
        return switch (random.nextInt(6)) {
            case 0 -> new ClientMessage.Say(string(random, 10), string(random, 100), ref);
            case 1 -> new ClientMessage.Msg(string(random, 10), string(random, 100), ref);
            case 2 -> new ClientMessage.Hello(string(random, 10), random.nextBoolean() ? null : string(random, 10),
                    null, random.nextBoolean() ? null : random.nextInt(), ref);
            case 3 -> new ClientMessage.History(string(random, 10), random.nextBoolean() ? null : random.nextInt(), ref);
            default -> pick(random, Samples.client());
        };
    }

    static ServerMessage serverMessage(SplittableRandom random) {
        String ref = random.nextInt(3) == 0 ? null : string(random, 10);
        return switch (random.nextInt(6)) {
            case 0 -> {
                boolean toRoom = random.nextBoolean();
                String target = string(random, 10);
                yield new ServerMessage.ChatMessage(random.nextLong(), random.nextLong(), string(random, 10),
                        string(random, 100), toRoom ? target : null, toRoom ? null : target, random.nextBoolean(), ref);
            }
            case 1 -> {
                List<String> nicks = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    nicks.add(string(random, 8));
                }
                yield new ServerMessage.Who(string(random, 10), nicks, ref);
            }
            case 2 -> {
                Map<String, Long> counters = new LinkedHashMap<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    counters.put(string(random, 8), random.nextLong());
                }
                yield new ServerMessage.Stats(counters, ref);
            }
            case 3 -> new ServerMessage.Error(pick(random, List.of(ErrorCode.values())), string(random, 50), ref);
            default -> pick(random, Samples.server());
        };
    }

    static <T> T pick(SplittableRandom random, List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
