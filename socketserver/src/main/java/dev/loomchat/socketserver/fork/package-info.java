/**
 * The machinery behind {@link dev.loomchat.socketserver.Forking}: child JVMs, and handing them a
 * request's socket by file-descriptor passing. Applications do not use this package: they give a
 * server a {@code Forking} strategy (or use a {@code Forking*Server}), which drives it.
 *
 * <p>What it owns:
 * <ul>
 *   <li>{@link dev.loomchat.socketserver.fork.ChildProcesses} — the child processes of one
 *       server, the only public type: one child per request ({@code ProcessPerRequest}) or a
 *       pre-forked pool of workers ({@code PreforkedPool});</li>
 *   <li>starting a child JVM ({@code ChildJvm}) and its main class ({@code ForkedChild}), with the
 *       stand-in server a handler sees there ({@code ChildServer});</li>
 *   <li>the parent's side of the call-back socket ({@code HandoffListener}), the little protocol
 *       on it ({@code Handoff}) and a request on its way to a child ({@code PendingRequest});</li>
 *   <li>the descriptor under a channel and a channel over a received descriptor
 *       ({@code ChannelDescriptors}), with the platform checks forking needs.</li>
 * </ul>
 *
 * <p>It depends on the public API of {@code dev.loomchat.socketserver} only (servers, requests,
 * {@link dev.loomchat.socketserver.NamedHandlerFactory}), and on junixsocket for AF_UNIX
 * descriptor passing.
 */
package dev.loomchat.socketserver.fork;
