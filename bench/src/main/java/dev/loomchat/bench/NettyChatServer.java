package dev.loomchat.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelMatcher;
import io.netty.channel.group.ChannelMatchers;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Netty 4.2 comparison server: {@link LineBasedFrameDecoder}, then one handler that parses
 * each line with Jackson (tree model) and builds the reply with Jackson, like the chat server's
 * codec does. A {@link ChannelGroup} per room; a say is encoded once for the other members and
 * once more with the ref for the sender. Same subset as {@code bench/python/chat_server.py}.
 * Event-loop threads: one per available processor (so 1 under {@code taskset -c 0}); epoll when
 * the native transport loads, NIO otherwise.
 *
 * <p>Fan-out as a Netty user who cares writes it (the default, the bench's {@code netty} row):
 * a {@link FlushConsolidationHandler} in front of every channel, so the writes a channel gets
 * while the event loop works through a batch of reads (its own replies, and the say copies other
 * channels' handlers write to it) leave in one flush when the batch is done, not one system call
 * per message per member; the group write uses void promises (no future per member); frames are
 * pooled buffers, shared by every member's write. With {@code --flush-each} (the
 * {@code netty-flush-each} row, the bench's server before issue 20): a flush per message per
 * member ({@code ChannelGroup.writeAndFlush} without flush consolidation), a future per member and
 * unpooled heap buffers, which the epoll transport copies once per member.
 *
 * <p>Run: {@code ./loomchat bench netty-server --port 9999 [--flush-each]}
 */
public final class NettyChatServer {

    /** The options of {@code ./loomchat bench netty-server}. */
    static final Set<String> OPTIONS = Set.of("host", "port", "threads", "flush-each");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicLong IDS = new AtomicLong();

    private record Room(String name, ChannelGroup members) {
    }

    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    /** Today's fair fan-out (false) or the flush per message per member of the old bench server (true). */
    private final boolean flushEach;

    private NettyChatServer(boolean flushEach) {
        this.flushEach = flushEach;
    }

    /** {@code java -cp bench/target/benchmarks.jar dev.loomchat.bench.NettyChatServer ARGS} = {@code ./loomchat bench netty-server ARGS}. */
    public static void main(String[] args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "netty-server";
        System.arraycopy(args, 0, all, 1, args.length);
        Main.main(all);
    }

    /** Serves until the process is stopped; an address it cannot listen on is an {@link IOException}. */
    static void serve(Flags f, PrintStream out) throws IOException, InterruptedException {
        String host = f.string("host", "127.0.0.1");
        int port = f.integer("port", 9999);
        int threads = f.integer("threads", Runtime.getRuntime().availableProcessors());
        if (port < 0 || port > 65_535 || threads < 1) {
            throw new UsageException("--port must be 0..65535 and --threads at least 1");
        }
        try (Running server = start(host, port, threads, f.flag("flush-each"))) {
            out.println("listening on " + host + ":" + server.port() + " (netty " + (server.epoll ? "epoll" : "nio")
                    + ", " + threads + " event loop(s), "
                    + (server.flushEach ? "a flush per message per member" : "flushes consolidated") + ")");
            out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            server.channel.closeFuture().sync();
        }
    }

    /** A listening server; {@link #close} stops it and its event loops. */
    static final class Running implements AutoCloseable {
        final Channel channel;
        final boolean epoll;
        final boolean flushEach;
        private final EventLoopGroup boss;
        private final EventLoopGroup workers;

        private Running(Channel channel, boolean epoll, boolean flushEach, EventLoopGroup boss, EventLoopGroup workers) {
            this.channel = channel;
            this.epoll = epoll;
            this.flushEach = flushEach;
            this.boss = boss;
            this.workers = workers;
        }

        int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Starts a server on {@code host:port} (0: any free port) with {@code threads} event loops;
     * {@code flushEach}: the old fan-out, a flush per message per member.
     *
     * @throws IOException if it cannot listen there
     */
    static Running start(String host, int port, int threads, boolean flushEach) throws IOException {
        NettyChatServer chat = new NettyChatServer(flushEach);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, factory);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, factory);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!flushEach) {
                            // Also consolidate flushes that arrive outside this channel's own reads (the
                            // say copies written by other channels' handlers): they go out in one flush
                            // once the event loop has run its current batch.
                            ch.pipeline().addLast(new FlushConsolidationHandler(
                                    FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
                        }
                        ch.pipeline().addLast(new LineBasedFrameDecoder(65_536), chat.new Handler());
                    }
                });
        ChannelFuture bound = b.bind(host, port).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            throw new IOException("netty-server: cannot listen on " + host + ":" + port + ": " + bound.cause().getMessage());
        }
        return new Running(bound.channel(), epoll, flushEach, boss, workers);
    }

    /** One JSON line: a pooled buffer, or (--flush-each, as the old server did) an unpooled heap buffer. */
    private ByteBuf encode(ChannelHandlerContext ctx, ObjectNode node) {
        byte[] json = JSON.writeValueAsBytes(node);
        ByteBuf buf = flushEach ? Unpooled.buffer(json.length + 1) : ctx.alloc().buffer(json.length + 1);
        buf.writeBytes(json).writeByte('\n');
        return buf;
    }

    /** Writes {@code frame} to every member {@code matcher} selects. */
    private void broadcast(Room room, ByteBuf frame, ChannelMatcher matcher) {
        if (flushEach) {
            room.members().writeAndFlush(frame, matcher);
        } else {
            room.members().writeAndFlush(frame, matcher, true); // each member's FlushConsolidationHandler batches
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<ByteBuf> {
        private String nick;
        private final Map<String, Room> joined = new HashMap<>();

        private void reply(ChannelHandlerContext ctx, ObjectNode node, String ref) {
            if (ref != null) {
                node.put("ref", ref);
            }
            if (flushEach) {
                ctx.writeAndFlush(encode(ctx, node));
            } else {
                ctx.writeAndFlush(encode(ctx, node), ctx.voidPromise());
            }
        }

        private ObjectNode error(String code, String message) {
            return JSON.createObjectNode().put("type", "error").put("code", code).put("message", message);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
            JsonNode req;
            try {
                req = JSON.readTree(ByteBufUtil.getBytes(line));
            } catch (RuntimeException e) {
                reply(ctx, error("bad_json", "not JSON"), null);
                return;
            }
            if (req == null || !req.isObject()) {
                reply(ctx, error("bad_json", "not an object"), null);
                return;
            }
            String type = req.path("type").asString(null);
            String ref = req.path("ref").asString(null);
            switch (type == null ? "" : type) {
                case "ping" -> reply(ctx, JSON.createObjectNode().put("type", "pong"), ref);
                case "say" -> {
                    Room room = joined.get(req.path("room").asString("").toLowerCase(Locale.ROOT));
                    if (room == null) {
                        reply(ctx, error("not_in_room", "join first"), ref);
                        return;
                    }
                    ObjectNode msg = JSON.createObjectNode().put("type", "message").put("id", IDS.incrementAndGet())
                            .put("ts", System.currentTimeMillis()).put("from", nick)
                            .put("text", req.path("text").asString("")).put("room", room.name());
                    broadcast(room, encode(ctx, msg), ChannelMatchers.isNot(ctx.channel()));
                    reply(ctx, msg, ref);
                }
                case "hello" -> {
                    nick = req.path("nick").asString(null);
                    reply(ctx, JSON.createObjectNode().put("type", "welcome").put("nick", nick)
                            .put("server", "netty").put("version", "0").put("proto", 1), ref);
                }
                case "join" -> {
                    String name = req.path("room").asString("");
                    String key = name.toLowerCase(Locale.ROOT);
                    Room room = rooms.computeIfAbsent(key,
                            k -> new Room(name, new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE)));
                    ObjectNode event = JSON.createObjectNode().put("type", "joined").put("room", room.name())
                            .put("nick", nick).put("ts", System.currentTimeMillis());
                    broadcast(room, encode(ctx, event), ChannelMatchers.all());
                    room.members().add(ctx.channel());
                    joined.put(key, room);
                    reply(ctx, event, ref);
                    reply(ctx, JSON.createObjectNode().put("type", "history").put("room", room.name()).put("count", 0), ref);
                }
                case "quit" -> {
                    ObjectNode bye = JSON.createObjectNode().put("type", "bye");
                    if (ref != null) {
                        bye.put("ref", ref);
                    }
                    ctx.writeAndFlush(encode(ctx, bye)).addListener(f -> ctx.close());
                }
                case "pong" -> {
                }
                default -> reply(ctx, error("bad_request", "not supported here"), ref);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            for (Map.Entry<String, Room> e : joined.entrySet()) {
                Room room = e.getValue();
                room.members().remove(ctx.channel());
                if (room.members().isEmpty()) {
                    rooms.remove(e.getKey(), room);
                }
                broadcast(room, encode(ctx, JSON.createObjectNode().put("type", "parted").put("room", room.name())
                        .put("nick", nick).put("reason", "quit").put("ts", System.currentTimeMillis())), ChannelMatchers.all());
            }
            joined.clear();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

}
