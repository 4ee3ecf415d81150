package dev.loomchat.bench;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.Codec;
import dev.loomchat.protocol.Decoded;
import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.MessageReader;
import dev.loomchat.protocol.ServerMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Decode and encode of a typical chat line, the per-message cost of the protocol module
 * (issue 3 target: decode + encode under 1 µs; issue 20: a {@code say}'s decode + encode at most
 * 400 ns). Run with {@code -prof gc} for bytes allocated per operation; see BENCHMARKS.md for the
 * command and the figures. The lines measured are the protocol's hot path (Jackson's streaming
 * parser and generator); {@code decodeBadLine} is the slow path that explains a rejected line.
 *
 * <ul>
 *   <li>{@code decodeSay}, {@code encodeSay}: a client {@code say} of about 100 bytes.</li>
 *   <li>{@code decodeMessage}, {@code encodeMessage}: the server {@code message} it becomes.</li>
 *   <li>{@code sayToMessage}: what a server does per incoming say before fan-out: decode the
 *       say, build the message, encode it once.</li>
 *   <li>{@code readSayFromStream}: framing included: a {@link MessageReader} over a stream of
 *       identical say lines, per line.</li>
 *   <li>{@code decodeBadLine}: a say cut short, answered with {@code bad_json} and a message that
 *       says where (what a flood of bad lines costs the server per line).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark {

    private static final int LINES_PER_STREAM = 1000;

    private final ClientMessage.Say say = new ClientMessage.Say("#general",
            "Has anyone tried the new virtual thread scheduler yet?", "42");
    private final ServerMessage.ChatMessage message = ServerMessage.ChatMessage.toRoom(
            1_234_567L, 1_700_000_000_000L, "alice", "#general",
            "Has anyone tried the new virtual thread scheduler yet?");

    private final byte[] badLine = "{\"type\":\"say\",\"room\":\"#general\",\"text\":\"Has anyone tried"
            .getBytes(StandardCharsets.UTF_8);

    private byte[] sayLine;
    private byte[] messageLine;
    private byte[] sayStream;
    private long nextId;

    @Setup
    public void setUp() {
        byte[] sayFrame = Frame.of(say).toByteArray();
        sayLine = Arrays.copyOf(sayFrame, sayFrame.length - 1);
        byte[] messageFrame = Frame.of(message).toByteArray();
        messageLine = Arrays.copyOf(messageFrame, messageFrame.length - 1);
        var stream = new ByteArrayOutputStream();
        for (int i = 0; i < LINES_PER_STREAM; i++) {
            stream.writeBytes(sayFrame);
        }
        sayStream = stream.toByteArray();
        if (!(Codec.CLIENT_TO_SERVER.decode(sayLine) instanceof Decoded.Ok<ClientMessage>(ClientMessage m))
                || !m.equals(say)) {
            throw new IllegalStateException("the say line does not decode: " + new String(sayLine));
        }
    }

    @Benchmark
    public Decoded<ClientMessage> decodeSay() {
        return Codec.CLIENT_TO_SERVER.decode(sayLine);
    }

    @Benchmark
    public Frame encodeSay() {
        return Codec.CLIENT_TO_SERVER.encode(say);
    }

    @Benchmark
    public Decoded<ServerMessage> decodeMessage() {
        return Codec.SERVER_TO_CLIENT.decode(messageLine);
    }

    @Benchmark
    public Frame encodeMessage() {
        return Codec.SERVER_TO_CLIENT.encode(message);
    }

    @Benchmark
    public Decoded<ClientMessage> decodeBadLine() {
        return Codec.CLIENT_TO_SERVER.decode(badLine);
    }

    @Benchmark
    public Frame sayToMessage() {
        if (Codec.CLIENT_TO_SERVER.decode(sayLine) instanceof Decoded.Ok<ClientMessage>(ClientMessage.Say s)) {
            return Codec.SERVER_TO_CLIENT.encode(
                    ServerMessage.ChatMessage.toRoom(nextId++, 1_700_000_000_000L, "alice", s.room(), s.text())
                            .withRef(s.ref()));
        }
        throw new IllegalStateException("not a say");
    }

    @Benchmark
    @OperationsPerInvocation(LINES_PER_STREAM)
    public void readSayFromStream(Blackhole blackhole) throws IOException {
        var reader = new MessageReader<>(new ByteArrayInputStream(sayStream), Codec.CLIENT_TO_SERVER);
        for (int i = 0; i < LINES_PER_STREAM; i++) {
            blackhole.consume(reader.read());
        }
    }

    /** Prints the benchmarked lines and their sizes (so BENCHMARKS.md can quote them). */
    public static void main(String[] args) {
        var benchmark = new CodecBenchmark();
        benchmark.setUp();
        System.out.println(benchmark.sayLine.length + " bytes: " + new String(benchmark.sayLine));
        System.out.println(benchmark.messageLine.length + " bytes: " + new String(benchmark.messageLine));
    }
}
