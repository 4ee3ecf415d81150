package dev.loomchat.protocol;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the reader on random and mutated byte streams (see {@link Fuzz} for how cases
 * are generated and reproduced): it throws nothing, holds at most one line, and always
 * resynchronises at the next newline.
 */
class ReaderFuzzTest {

    /** Reads everything; any exception fails the case (there is no IOException from these streams). */
    private static <M extends Message> List<Decoded<M>> readAll(MessageReader<M> reader) throws IOException {
        return MessageReaderTest.readAll(reader);
    }

    private static Codec<?> anyCodec(SplittableRandom random) {
        return random.nextBoolean() ? Codec.CLIENT_TO_SERVER : Codec.SERVER_TO_CLIENT;
    }

    @TestFactory
    Stream<DynamicTest> randomStreamsNeverThrowAndNeverHoldMoreThanALine() {
        return Fuzz.cases(random -> {
            byte[] data = Fuzz.stream(random, 60);
            int max = 1 + random.nextInt(400);
            var reader = new MessageReader<>(TestStreams.randomChunks(data, random, 1 + random.nextInt(100)),
                    anyCodec(random), max);
            var results = readAll(reader);
            assertTrue(reader.largestBufferCapacity() <= max + 1,
                    "held " + reader.largestBufferCapacity() + " bytes with a limit of " + max);
            long newlines = count(data, (byte) '\n');
            // At most one result per line, one for a cut-off last line, and the end.
            assertTrue(results.size() <= newlines + 2, results.size() + " results for " + newlines + " lines");
            assertInstanceOf(Decoded.End.class, results.getLast());
            for (Decoded<?> decoded : results) {
                if (decoded instanceof Decoded.Bad<?>(ProtocolError error)) {
                    assertNotEquals(ErrorCode.INTERNAL_ERROR, error.code());
                }
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> aValidFrameAfterAGarbageLineIsAlwaysDecoded() {
        return Fuzz.cases(random -> {
            ClientMessage message = Fuzz.clientMessage(random);
            byte[] frame = Frame.of(message).toByteArray();
            int max = frame.length + random.nextInt(200);
            byte[] garbage = switch (random.nextInt(4)) {
                case 0 -> Fuzz.rawBytes(random, random.nextInt(3 * max));
                case 1 -> Fuzz.utf8ish(random, random.nextInt(3 * max));
                case 2 -> Fuzz.stream(random, 10); // may hold whole frames: newlines are removed below
                default -> java.util.Arrays.copyOf(frame, random.nextInt(frame.length)); // a cut-off frame
            };
            garbage = without(garbage, (byte) '\n');
            byte[] data = TestStreams.concat(garbage, new byte[]{'\n'}, frame);
            var reader = new MessageReader<>(TestStreams.randomChunks(data, random, 1 + random.nextInt(50)),
                    Codec.CLIENT_TO_SERVER, max);
            var results = readAll(reader);
            assertTrue(results.size() <= 3, "garbage line gave more than one result: " + results);
            assertEquals(new Decoded.Ok<>(message), results.get(results.size() - 2));
            assertInstanceOf(Decoded.End.class, results.getLast());
        });
    }

    @TestFactory
    Stream<DynamicTest> framesBetweenMutatedLinesAreDecodedIntact() {
        return Fuzz.cases(random -> {
            List<ServerMessage> messages = new ArrayList<>();
            List<byte[]> lines = new ArrayList<>();
            List<Boolean> intact = new ArrayList<>();
            for (int i = 1 + random.nextInt(12); i > 0; i--) {
                ServerMessage message = Fuzz.serverMessage(random);
                byte[] line = Frame.of(message).toByteArray();
                line = java.util.Arrays.copyOf(line, line.length - 1); // without its newline
                boolean keep = random.nextBoolean();
                messages.add(message);
                lines.add(keep ? line : without(mutate(line, random), (byte) '\n'));
                intact.add(keep);
            }
            var data = new ByteArrayOutputStream();
            for (byte[] line : lines) {
                data.writeBytes(line);
                data.writeBytes(random.nextInt(4) == 0 ? new byte[]{'\r', '\n'} : new byte[]{'\n'});
            }
            int max = 200 + random.nextInt(2000);
            var reader = new MessageReader<>(TestStreams.randomChunks(data.toByteArray(), random, 64),
                    Codec.SERVER_TO_CLIENT, max);
            var results = readAll(reader);
            assertTrue(reader.largestBufferCapacity() <= max + 1);
            int next = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (isBlank(lines.get(i))) {
                    continue; // a mutation that left only whitespace: skipped, no result
                }
                Decoded<ServerMessage> result = results.get(next++);
                if (intact.get(i)) {
                    Decoded<ServerMessage> expected = lines.get(i).length <= max
                            ? new Decoded.Ok<>(messages.get(i))
                            : result; // too long for this reader: reported as such, checked below
                    assertEquals(expected, result, "line " + i);
                    if (lines.get(i).length > max) {
                        assertEquals(ErrorCode.LINE_TOO_LONG, ((Decoded.Bad<ServerMessage>) result).error().code());
                    }
                }
            }
            assertEquals(next + 1, results.size(), "one result per non-blank line, then the end");
        });
    }

    @TestFactory
    Stream<DynamicTest> howBytesAreChunkedNeverChangesTheResult() {
        return Fuzz.cases(random -> {
            byte[] data = Fuzz.stream(random, 40);
            int max = 1 + random.nextInt(500);
            Codec<?> codec = anyCodec(random);
            var whole = readAll(new MessageReader<>(new ByteArrayInputStream(data), codec, max));
            var chunked = readAll(new MessageReader<>(TestStreams.randomChunks(data, random, 7), codec, max));
            var trickled = readAll(new MessageReader<>(TestStreams.oneByteAtATime(data), codec, max));
            assertEquals(whole, chunked);
            assertEquals(whole, trickled);
        });
    }

    @TestFactory
    Stream<DynamicTest> encodedFramesAreOneLineAndDecodeToTheSameMessage() {
        return Fuzz.cases(random -> {
            Message message = Fuzz.message(random);
            Frame frame = Frame.of(message);
            RoundTripTest.assertOneLine(frame);
            Decoded<?> decoded = switch (message) {
                case ClientMessage m -> Codec.CLIENT_TO_SERVER.decode(frame.toByteArray());
                case ServerMessage m -> Codec.SERVER_TO_CLIENT.decode(frame.toByteArray());
            };
            assertEquals(new Decoded.Ok<>(message), decoded);
        });
    }

    @TestFactory
    Stream<DynamicTest> theUtf8CheckAgreesWithTheJdkDecoder() {
        return Fuzz.cases(random -> {
            for (int i = 0; i < 50; i++) {
                byte[] bytes = Fuzz.utf8ish(random, random.nextInt(12));
                var decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
                boolean jdkAccepts;
                try {
                    decoder.decode(java.nio.ByteBuffer.wrap(bytes));
                    jdkAccepts = true;
                } catch (java.nio.charset.CharacterCodingException e) {
                    jdkAccepts = false;
                }
                assertEquals(jdkAccepts, Utf8.firstInvalid(bytes, 0, bytes.length) < 0,
                        () -> java.util.HexFormat.ofDelimiter(" ").formatHex(bytes));
            }
        });
    }

    /** Flips, inserts, deletes, duplicates or truncates bytes. */
    private static byte[] mutate(byte[] line, SplittableRandom random) {
        var bytes = new ArrayList<Byte>();
        for (byte b : line) {
            bytes.add(b);
        }
        for (int m = 1 + random.nextInt(4); m > 0 && !bytes.isEmpty(); m--) {
            int at = random.nextInt(bytes.size());
            switch (random.nextInt(5)) {
                case 0 -> bytes.set(at, (byte) random.nextInt(256));
                case 1 -> bytes.add(at, (byte) random.nextInt(256));
                case 2 -> bytes.remove(at);
                case 3 -> bytes.addAll(at, new ArrayList<>(bytes.subList(at, Math.min(bytes.size(), at + 8))));
                default -> bytes.subList(at, bytes.size()).clear();
            }
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }

    private static byte[] without(byte[] bytes, byte unwanted) {
        var out = new ByteArrayOutputStream();
        for (byte b : bytes) {
            if (b != unwanted) {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static long count(byte[] bytes, byte wanted) {
        long n = 0;
        for (byte b : bytes) {
            if (b == wanted) {
                n++;
            }
        }
        return n;
    }
}
