package dev.loomchat.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
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
import io.netty.channel.group.ChannelMatchers;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Run: {@code java -cp bench/target/benchmarks.jar dev.loomchat.bench.NettyChatServer --port 9999}
 */
public final class NettyChatServer {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicLong IDS = new AtomicLong();

    private record Room(String name, ChannelGroup members) {
    }

    private final Map<String, Room> rooms = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 9999;
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: NettyChatServer [--host H] [--port P] [--threads T]");
            }
        }
        new NettyChatServer().run(host, port, threads);
    }

    void run(String host, int port, int threads) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, factory);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, factory);
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(channelClass)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new LineBasedFrameDecoder(65_536), new Handler());
                        }
                    });
            Channel server = b.bind(host, port).sync().channel();
            System.out.println("listening on " + host + ":" + port + " (netty " + (epoll ? "epoll" : "nio")
                    + ", " + threads + " event loop(s))");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close().syncUninterruptibly();
                workers.shutdownGracefully();
                boss.shutdownGracefully();
            }));
            server.closeFuture().sync();
        } finally {
            workers.shutdownGracefully();
            boss.shutdownGracefully();
        }
    }

    private static ByteBuf encode(ObjectNode node) {
        byte[] json = JSON.writeValueAsBytes(node);
        ByteBuf buf = Unpooled.buffer(json.length + 1);
        buf.writeBytes(json).writeByte('\n');
        return buf;
    }

    private final class Handler extends SimpleChannelInboundHandler<ByteBuf> {
        private String nick;
        private final Map<String, Room> joined = new HashMap<>();

        private void reply(ChannelHandlerContext ctx, ObjectNode node, String ref) {
            if (ref != null) {
                node.put("ref", ref);
            }
            ctx.writeAndFlush(encode(node));
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
                    ByteBuf others = encode(msg);
                    room.members().writeAndFlush(others, ChannelMatchers.isNot(ctx.channel()));
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
                    room.members().writeAndFlush(encode(event));
                    room.members().add(ctx.channel());
                    joined.put(key, room);
                    reply(ctx, event, ref);
                    reply(ctx, JSON.createObjectNode().put("type", "history").put("room", room.name()).put("count", 0), ref);
                }
                case "quit" -> {
                    if (ref != null) {
                        ctx.writeAndFlush(encode(JSON.createObjectNode().put("type", "bye").put("ref", ref)))
                                .addListener(f -> ctx.close());
                    } else {
                        ctx.writeAndFlush(encode(JSON.createObjectNode().put("type", "bye"))).addListener(f -> ctx.close());
                    }
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
                room.members().writeAndFlush(encode(JSON.createObjectNode().put("type", "parted").put("room", room.name())
                        .put("nick", nick).put("reason", "quit").put("ts", System.currentTimeMillis())));
            }
            joined.clear();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    static String utf8(ByteBuf buf) {
        return buf.toString(StandardCharsets.UTF_8);
    }
}
